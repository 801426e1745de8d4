"""The compiled interpreter's short cuts keep the language's meaning: shadowing names, kinds narrowed by `where`,
lets computed late, one scope moved from subject to subject, fields read straight through containers and edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.rules.policy.load import load_file

HEADER = """\
policies:
  - id: T-001
    name: t
    title: T
    concern: cost
    severity: info
    documentation: {summary: s, flags: f, why: w, fix: x}
"""

GRAPH = """\
apiVersion: archlint.dev/v1
kind: ServiceGraph
metadata: {name: shop}
spec:
  components:
    - name: web
      kind: gateway
      replicas: 2
      dependencies:
        - {target: api, kind: calls, mode: sync, timeout: 2s, retries: 3, backoff: none}
    - name: api
      kind: service
      criticality: critical
      replicas: 1
      dependencies:
        - {target: db, kind: reads, mode: sync}
        - {target: events, kind: publishes, mode: async}
    - name: db
      kind: datastore
      replicas: 1
    - name: events
      kind: queue
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: shop/api:1.4
          resources:
            requests: {cpu: 250m, memory: 256Mi}
        - name: sidecar
          image: envoy:1.30
"""


def _messages(tmp_path: Path, body: str, inputs: dict[str, str] | None = None) -> list[str]:
    policy = tmp_path / "p.yaml"
    policy.write_text(HEADER + body, encoding="utf-8")
    (rule,) = load_file(policy, "p.yaml")
    inputs = inputs or {"shop.yaml": GRAPH}
    for name, text in inputs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    model = load([SourcePath(tmp_path / name, name) for name in sorted(inputs)]).model
    return [f.message for f in rule.check(model, dict(rule.meta.options))]


def test_a_let_that_shadows_a_field_is_what_paths_read(tmp_path):
    body = ("    for: nodes\n    let:\n      replicas: {ratio: [replicas, replicas]}\n"
            "    where: {attr: replicas, equals: 1}\n    message: \"{replicas} of {facts.replica_text}\"\n")
    assert _messages(tmp_path, body) == ["1.0 of 1 replica", "1.0 of 1 replica", "1.0 of 2 replicas"]


@pytest.mark.parametrize("where, select", [
    ("{attr: kind, equals: datastore}", "{kind: datastore}"),
    ("{all: [{attr: kind, in: [service, queue]}, {attr: name, exists: true}]}", "{kind: [service, queue]}"),
    ("{attr: kind, not_in: [service, queue, datastore]}", "{kind: gateway}"),
    ("{all: [{attr: kind, not_equals: gateway}, {attr: kind, equals: gateway}]}", "{name: nobody}"),
])
def test_a_kind_test_in_where_narrows_like_select(tmp_path, where, select):
    narrowed = _messages(tmp_path, f"    for: nodes\n    where: {where}\n    message: \"{{name}}\"\n")
    selected = _messages(tmp_path, f"    for: nodes\n    select: {select}\n    message: \"{{name}}\"\n")
    assert narrowed == selected


def test_a_name_a_graph_question_sets_is_not_seen_by_the_next_subject(tmp_path):
    body = ("    for: nodes\n    where:\n      any:\n        - {attr: kind, in: [datastore, queue]}\n"
            "        - {related: {direction: out, as: calls}}\n    message: \"{name} {calls}\"\n")
    assert _messages(tmp_path, body) == ["api 2", "db ?", "events ?", "web 1"]


def test_lets_where_does_not_read_are_the_same_when_computed_late(tmp_path):
    body = ("    for: edges\n    let:\n      how: {cases: [{where: {attr: backoff, equals: none}, value: bare}], "
            "default: other}\n    where: {attr: sync, equals: true}\n"
            "    message: \"{source.name} -> {target.name} {how} {retries|plural:retry}\"\n")
    assert _messages(tmp_path, body) == ["api -> db other ? retrys", "web -> api bare 3 retrys"]


def test_container_and_node_fields_and_facts_read_through(tmp_path):
    body = ("    for: containers\n    where:\n      all:\n        - {attr: node.facts.long_running, equals: true}\n"
            "        - {attr: container.cpu_request, exists: false}\n"
            "    message: \"{container.name} of {node.name} ({node.replicas}, {container.image}, "
            "{node.facts.replica_text}) {len(node.containers)}\"\n    key: \"{container.name}\"\n")
    assert _messages(tmp_path, body, {"api.yaml": DEPLOYMENT}) == [
        "sidecar of api (2, envoy:1.30, 2 replicas) 2"]


def test_contains_a_list_asked_of_a_mapping_is_false_not_a_crash(tmp_path):
    body = "    for: nodes\n    where: {attr: labels, contains: [a]}\n    message: \"{name}\"\n"
    assert _messages(tmp_path, body) == []


def test_fields_read_straight_give_what_the_getter_gives(tmp_path):
    # enums as their value, a missing key or field as absent, a mapping's key: in tests and in message fields
    body = ("    for: nodes\n    where:\n      all:\n        - {attr: kind, in: [service, datastore]}\n"
            "        - {attr: attrs.nothing, exists: false}\n        - {attr: autoscaling, truthy: false}\n"
            "        - {attr: criticality, equals: critical}\n"
            "    message: \"{name} {kind} {attrs.nothing} {autoscaling} {criticality}\"\n")
    assert _messages(tmp_path, body) == ["api service ? ? critical"]


def test_a_graph_question_named_like_a_field_shadows_it_after(tmp_path):
    body = ("    for: nodes\n    where: {related: {direction: out, as: name}}\n"
            "    message: \"{name}\"\n    key: \"{kind}\"\n")
    assert _messages(tmp_path, body) == ["2", "1"]
