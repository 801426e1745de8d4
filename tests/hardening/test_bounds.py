"""Small input, bounded work, through the real CLI: a user policy's regular expression is matched in linear time,
a rule's finding lists a bounded number of paths and nodes, and figures that overflow saturate with a message."""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.conftest import run_cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: %s}
spec:
  replicas: 1
  selector: {matchLabels: {app: ok}}
  template:
    metadata: {labels: {app: ok}}
    spec:
      containers: [{name: ok, image: "acme/ok:1"}]
"""

POLICY = """\
policies:
  - id: ACME-001
    name: all-a
    title: A name of a's
    concern: observability
    severity: info
    documentation: {summary: s., flags: f., why: w., fix: x.}
    for: nodes
    where: {attr: name, matches: '%s'}
    message: "{name} matches"
    fix: Rename it.
"""


def _policy_project(tmp_path, pattern: str, name: str):
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "p.yaml").write_text(POLICY % pattern)
    (tmp_path / ".archlint.yaml").write_text("policies: [acme]\n")
    (tmp_path / "d.yaml").write_text(DEPLOYMENT % name)
    return tmp_path


def test_a_catastrophic_pattern_is_matched_in_linear_time(tmp_path):
    # Python's backtracking `re` takes minutes on 34 a's and a mismatch; the run_cli timeout (120 s) would fire.
    project = _policy_project(tmp_path, "^(a+)+$", "a" * 34 + "-x")
    done = run_cli("check", ".", "--format", "json", cwd=project)
    assert done.returncode in (0, 1), done.stderr.decode()
    assert not [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "ACME-001"]
    (project / "d.yaml").write_text(DEPLOYMENT % ("a" * 34))
    done = run_cli("check", ".", "--format", "json", cwd=project)
    assert [f["line"] for f in json.loads(done.stdout)["findings"] if f["rule"] == "ACME-001"] == [1]


def test_a_pattern_that_needs_backtracking_is_refused_at_its_line(tmp_path):
    project = _policy_project(tmp_path, r"^(a)\1$", "aa")
    done = run_cli("check", ".", cwd=project)
    stderr = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in stderr and "re2.cc" not in stderr, stderr
    assert "acme/p.yaml:9: policies[0].where.matches: regular expression not supported: back-references" in stderr
    assert "linear in the text" in stderr


def test_look_around_is_refused_by_policy_validate(tmp_path):
    project = _policy_project(tmp_path, "^(?!db-)", "aa")
    done = run_cli("policy", "validate", "acme", cwd=project)
    assert done.returncode == 2
    assert textwrap.dedent("""\
        acme/p.yaml:9: policies[0].where.matches: regular expression not supported: look-ahead and look-behind
        """).strip() in done.stdout.decode() + done.stderr.decode()


def test_a_kustomize_target_pattern_is_matched_as_kustomize_does_in_linear_time(tmp_path):
    # kustomize matches target fields as anchored Go (RE2) regular expressions; a backtracking matcher would take
    # minutes on `(a+)+` against a name of 34 a's and a mismatch.
    (tmp_path / "d.yaml").write_text(DEPLOYMENT % ("a" * 34 + "-x") + "---\n" + DEPLOYMENT % "web")
    (tmp_path / "kustomization.yaml").write_text(textwrap.dedent("""\
        resources: [d.yaml]
        patches:
          - target: {kind: Deployment, name: "(a+)+"}
            patch: '[{"op": "replace", "path": "/spec/replicas", "value": 3}]'
          - target: {kind: Deploy.*, name: "w[a-z]+"}
            patch: '[{"op": "replace", "path": "/spec/replicas", "value": 4}]'
        """))
    done = run_cli("graph", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    replicas = {node["name"]: node.get("replicas") for node in json.loads(done.stdout)["nodes"]}
    assert replicas == {"a" * 34 + "-x": 1, "web": 4}


def _dense_graph(n: int, fan: int = 3, retries: int = 3) -> str:
    """n components with an availability target, each calling the next `fan` ones synchronously with retries: the
    first reaches all the others, and a chain of n hops runs through them."""
    lines = ["apiVersion: archlint.dev/v1", "kind: ServiceGraph", "metadata: {name: dense}", "spec:", "  components:"]
    for i in range(n):
        lines += [f"    - name: s{i:05d}", "      replicas: 2", "      slo: {availability: 99.9}"]
        calls = range(i + 1, min(n, i + 1 + fan))
        if calls:
            lines.append("      dependencies:")
            lines += [f"        - {{target: s{j:05d}, mode: sync, timeout: 1s, retries: {retries}}}" for j in calls]
    return "\n".join(lines) + "\n"


def test_a_finding_on_a_dense_graph_lists_a_bounded_number_of_nodes_and_says_how_many(tmp_path):
    (tmp_path / "g.yaml").write_text(_dense_graph(400))
    done = run_cli("check", ".", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode()
    findings = json.loads(done.stdout)["findings"]
    assert max(len(f["nodes"]) for f in findings) == 100
    assert max(len(f["related"]) for f in findings) <= 100
    assert max(len(f["message"]) for f in findings) < 1000
    first = next(f for f in findings if f["rule"] == "FI012" and f["node"] == "s00000")
    assert "(s00001 99.9% x s00002 99.9% x s00003 99.9% and 396 more)" in first["message"]
    assert first["nodes"][:2] == ["s00001", "s00002"] and len(first["nodes"]) == 100


@pytest.mark.parametrize("retries, times", [(3, "4"), (10**6, "1,000,000+")])
def test_retries_multiplied_along_an_800_hop_chain_saturate_with_a_plain_figure(tmp_path, retries, times):
    # 4^800 has 482 digits; 1,000,001^800 is past the 4,300 digits Python prints (the rule failed: IN008)
    (tmp_path / "g.yaml").write_text(_dense_graph(801, fan=1, retries=retries))
    done = run_cli("check", ".", "--format", "json", "--select", "FI017,IN008", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()  # FI017 is a warning
    [found] = json.loads(done.stdout)["findings"]
    x = f"(x{times})"
    assert found["message"] == (f"one request can become more than 1,000,000 attempts at s00800: s00000 -> s00001 {x} "
                                f"-> s00002 {x} -> s00003 {x} -> (795 more) -> s00799 {x} -> s00800 {x}")
    assert len(found["nodes"]) == 100
