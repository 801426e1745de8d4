"""Inline suppressions: comments on or above a line or a document, annotations, reasons, unused ones."""

from __future__ import annotations

import textwrap

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.rules import all_rules

RULES = all_rules()

SINGLE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  {annotations}
spec:
  {comment}
  replicas: 1{trailing}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1
          resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}
          readinessProbe: {{httpGet: {{path: /, port: 80}}}}
          livenessProbe: {{httpGet: {{path: /, port: 80}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: api}}
spec: {{selector: {{app: api}}}}
"""


def run(tmp_path, text, name="api.yaml"):
    (tmp_path / name).write_text(textwrap.dedent(text))
    return analyze(load(discover([tmp_path], tmp_path)), Config(), RULES)


#: The rules these tests exercise; other rules (telemetry, blast radius, ...) may also fire on the fixture.
WATCHED = {"FI001", "FI004", "FI006", "IN003", "IN004"}


def rules_at(analysis):
    return sorted((f.rule, f.line) for f in analysis.findings if f.rule in WATCHED)


def fill(annotations="", comment="", trailing="", prefix=""):
    return prefix + SINGLE.format(annotations=annotations, comment=comment, trailing=trailing)


def test_unsuppressed(tmp_path):
    assert rules_at(run(tmp_path, fill())) == [("FI001", 8)]


def test_comment_on_the_line(tmp_path):
    analysis = run(tmp_path, fill(trailing="  # archlint: ignore FI001 -- canary"))
    assert rules_at(analysis) == [] and [f.rule for f in analysis.suppressed] == ["FI001"]


def test_comment_above_the_line_by_name(tmp_path):
    analysis = run(tmp_path, fill(comment="# archlint: ignore single-replica-without-autoscaler -- canary"))
    assert rules_at(analysis) == []


def test_comment_above_the_document_covers_it(tmp_path):
    analysis = run(tmp_path, fill(prefix="# archlint: ignore FI001, FI006 -- staging only\n---\n"))
    assert rules_at(analysis) == [("IN004", 1)]  # FI006 did not fire: that half is unused


def test_comment_elsewhere_does_not_apply_and_is_unused(tmp_path):
    analysis = run(tmp_path, fill().replace("kind: Deployment", "kind: Deployment  # archlint: ignore FI001 -- x"))
    assert rules_at(analysis) == [("FI001", 8), ("IN004", 2)]


def test_missing_reason_is_reported_but_still_suppresses(tmp_path):
    assert rules_at(run(tmp_path, fill(comment="# archlint: ignore FI001"))) == [("IN003", 7)]


def test_unknown_rule_in_a_suppression(tmp_path):
    analysis = run(tmp_path, fill(comment="# archlint: ignore FI0001 -- typo"))
    assert rules_at(analysis) == [("FI001", 8), ("IN004", 7)]
    assert "unknown rule 'FI0001'" in next(f.message for f in analysis.findings if f.rule == "IN004")


def test_annotation_with_and_without_reason(tmp_path):
    annotated = fill(annotations='annotations: {archlint.dev/ignore: "FI001,FI004", archlint.dev/ignore-reason: "batch"}')
    assert rules_at(run(tmp_path, annotated)) == [("IN004", 3)]
    bare = fill(annotations='annotations: {archlint.dev/ignore: "FI001"}')
    assert rules_at(run(tmp_path, bare)) == [("IN003", 3)]


def test_fingerprints_survive_moved_lines(tmp_path):
    before = [f for f in run(tmp_path, fill()).findings if f.rule in WATCHED]
    after = [f for f in run(tmp_path, "# a comment\n\n" + fill()).findings if f.rule in WATCHED]
    assert [f.line for f in before] != [f.line for f in after]
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]


def test_rules_separated_by_spaces_work_like_a_comma_list(tmp_path):
    spaced = run(tmp_path, fill(prefix="# archlint: ignore FI001 FI006 -- staging only\n---\n"))
    listed = run(tmp_path, fill(prefix="# archlint: ignore FI001, FI006 -- staging only\n---\n"))
    assert rules_at(spaced) == rules_at(listed) == [("IN004", 1)]
    assert [f.rule for f in spaced.suppressed] == ["FI001"]


def test_a_reason_without_its_dashes_is_not_silently_read_half(tmp_path):
    analysis = run(tmp_path, fill(comment="# archlint: ignore FI001 canary build"))
    unknown = sorted(f.message for f in analysis.findings if f.rule == "IN004")
    assert unknown == ["suppression names unknown rule 'build'", "suppression names unknown rule 'canary'"]
