"""The resilience policy of `.archlint.yaml`: validated with lines, named per journey or criticality, the team's
own figures, and the rules that turn its breaches into findings at the deciding line with the cheapest fix."""

from __future__ import annotations

import pytest

from archlint.engine.config import ConfigError, load_config
from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.rules import all_rules

from tests.resilience.helpers import assessed, cell, model_of
from tests.resilience.test_mechanisms import AWS, FRONT, LINK

RDS = AWS + f'resource "aws_db_instance" "main" {{\n  engine = "postgres"\n  instance_class = "db.m6g.large"\n' \
            f'  allocated_storage = 50\n{LINK}}}\n'
POLICY = """\
resilience:
  policies:
    critical:
      zone: {rto: 15m, rpo: 5m}
      node: {rto: 10m}
      availability: 99.9
    relaxed:
      zone: {rto: 1d}
  default: relaxed
  criticality:
    critical: critical
"""


def _findings(model, *rules):
    loaded = type("Loaded", (), {"model": model, "findings": [], "sources": {}, "stats": {}})()
    return [f for f in analyze(loaded, Config(), all_rules()).findings if f.rule in rules]


def test_the_policy_is_read_with_the_lines_of_each_objective(tmp_path):
    (tmp_path / ".archlint.yaml").write_text(POLICY)
    policy = load_config(tmp_path / ".archlint.yaml", all_rules()).resilience.relocated(".archlint.yaml")
    critical = policy.policies["critical"]
    assert (critical.objectives["zone"].rto, critical.objectives["zone"].rpo) == (900.0, 300.0)
    assert critical.objectives["zone"].rto_span.line == 4 and critical.availability == 99.9
    assert policy.policy_for("anything", "critical").name == "critical"
    assert policy.policy_for("anything", None).name == "relaxed"
    assert critical.objective("primary") is critical.objectives["node"]  # a store's primary is a node failure


@pytest.mark.parametrize("text, message", [
    ("resilience:\n  default: strict\n", ".archlint.yaml:2: resilience.default: no policy named 'strict'"),
    ("resilience:\n  policies: {a: {zone: {rto: 15m}}}\n  journeys:\n    checkout: b\n",
     ".archlint.yaml:4: resilience.journeys.checkout: no policy named 'b'"),
    ("resilience:\n  figures:\n    - {mechanism: warp-drive, measure: rto, high: 1s, source: dream}\n",
     ".archlint.yaml:3: resilience.figures[0].mechanism: unknown mechanism 'warp-drive'"),
    ("resilience:\n  policies: {a: {zone: {rto: soon}}}\n", ".archlint.yaml:2: resilience.policies.a.zone.rto:"),
])
def test_invalid_policies_are_configuration_errors_with_lines(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".archlint.yaml").write_text(text)
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path.joinpath(".archlint.yaml").relative_to(tmp_path), all_rules())
    assert any(line.startswith(message) for line in error.value.errors), error.value.errors


def test_a_broken_policy_is_one_finding_at_the_deciding_line_with_the_cheapest_fix(tmp_path):
    front = FRONT.replace("      dependencies:", "      criticality: critical\n      dependencies:", 1)
    model = model_of(tmp_path, {"main.tf": RDS, "graph.yaml": front}, POLICY)
    found = _findings(model, "FI050", "FI051")
    # the resource line (multi_az is absent), once for a zone outage and once for its primary lost (a node failure)
    assert [(f.rule, f.file, f.line, f.key) for f in found] == [("FI050", "main.tf", 4, "primary:rto"),
                                                               ("FI050", "main.tf", 4, "zone:rto")]
    assert "policy critical allows 10 min for a node disruption" in found[0].message
    found = found[1:]
    message, fix = found[0].message, found[0].fix
    assert message.startswith("A zone outage (eu-west-1a, eu-west-1b or eu-west-1c) stops journey app for at least 1 h")
    assert "https://aws.amazon.com/rds/features/multi-az/" in message and "policy critical allows 15 min" in message
    assert fix.startswith("Cheapest change that meets the policy: set multi_az = true")
    assert "+$" in fix and "recovery 60 s to 2 min" in fix
    assert [(r.file, r.line) for r in found[0].related] == [(".archlint.yaml", 4)]


def test_the_policy_met_gives_no_finding(tmp_path):
    front = FRONT.replace("      dependencies:", "      criticality: critical\n      dependencies:", 1)
    model = model_of(tmp_path, {"main.tf": RDS.replace("  allocated_storage", "  multi_az = true\n  allocated_storage"),
                                "graph.yaml": front}, POLICY)
    assert _findings(model, "FI050", "FI051") == []


def test_without_a_policy_nothing_is_judged(tmp_path):
    model = model_of(tmp_path, {"main.tf": RDS, "graph.yaml": FRONT})
    assert _findings(model, "FI050", "FI051", "FI054") == []


def test_a_team_figure_replaces_the_bundled_one_and_is_cited(tmp_path):
    config = POLICY + "  figures:\n    - {mechanism: rds-single-az-restore, measure: rto, high: 10m, " \
                      "source: 'game day 2026-10-12', date: '2026-10-12'}\n"
    front = FRONT.replace("      dependencies:", "      criticality: critical\n      dependencies:", 1)
    model, assessment = assessed(tmp_path, {"main.tf": RDS, "graph.yaml": front}, config)
    found = cell(assessment, "app", "zone=eu-west-1a")
    assert found.rto.text() == "under 10 min" and found.breaches == ("rpo",) or found.breaches == ()
    assert found.figures[0].source == "game day 2026-10-12" and found.figures[0].declared == ".archlint.yaml:13"
    assert _findings(model, "FI050") == []


def test_journey_availability_below_its_target_extends_the_availability_chain(tmp_path):
    text = FRONT.replace("      replicas: 3\n", "      replicas: 3\n      slo: {availability: 99.95}\n", 1)
    text += "  journeys:\n    - {name: checkout, entry: app, availability: 99.99}\n"
    model = model_of(tmp_path, {"main.tf": RDS, "graph.yaml": text})
    found = _findings(model, "FI052")
    assert [(f.file, f.line) for f in found] == [("graph.yaml", 18)]
    assert "targets 99.99%" in found[0].message and "region eu-west-1" not in found[0].message
    assert "single-zone deployment, aws SLA 99.5%" in found[0].message


def test_a_policy_naming_no_journey_is_reported_at_its_line(tmp_path):
    config = POLICY + "  journeys:\n    chekout: critical\n"
    model = model_of(tmp_path, {"main.tf": RDS, "graph.yaml": FRONT}, config)
    found = _findings(model, "FI054")
    assert [(f.file, f.line) for f in found] == [(".archlint.yaml", 13)]
