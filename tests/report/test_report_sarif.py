"""The SARIF format: valid against the official OASIS schema, stable, and readable by code-scanning services."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from archlint.finding import Severity
from archlint.report.sarif import render

SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    # The OASIS schema declares draft-04: validate with the validator that draft calls for.
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema)


def _run(report) -> dict:
    return json.loads(render(report))["runs"][0]


def test_sarif_snapshot(report, snapshot):
    assert render(report) == snapshot


def test_valid_against_the_official_schema(report, empty_report, validator):
    for each in (report, empty_report):
        errors = sorted(validator.iter_errors(json.loads(render(each))), key=str)
        assert not errors, "\n".join(e.message for e in errors)


def test_the_schema_check_can_fail(report, validator):
    document = json.loads(render(report))
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(document)


def test_header_and_driver(report):
    document = json.loads(render(report))
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0" and len(document["runs"]) == 1
    driver = document["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == ("archlint", "0.3.0", "https://archlint.dev")


def test_rules_sorted_by_id_and_described(report):
    rules = _run(report)["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r.id for r in report.rules)
    op001 = next(r for r in rules if r["id"] == "OP001")
    assert op001["shortDescription"]["text"] == "Autoscaler minimum equals maximum"
    assert op001["fullDescription"]["text"] == "An autoscaler whose min equals its max."
    assert op001["defaultConfiguration"]["level"] == "warning"
    assert op001["properties"]["tags"] == ["over-provisioning"]
    # OP001 has no fix text: its help leaves that section out rather than printing an empty one.
    assert op001["help"]["markdown"] == "**What it flags:** An autoscaler whose min equals its max.\n\n" \
                                        "**Why it matters:** It never scales."
    assert "helpUri" not in op001
    assert next(r for r in rules if r["id"] == "FI011")["helpUri"] == "https://archlint.dev/rules/FI011"


def test_rule_index_points_at_the_result_rule(report):
    run = _run(report)
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(report.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_map_info_to_note(report):
    levels = {r["ruleId"]: r["level"] for r in _run(report)["results"]}
    assert levels == {"FI011": "error", "OP001": "note", "IN004": "warning", "FI001": "error", "CO001": "warning",
                      "FI002": "warning", "FI012": "error"}


def test_message_carries_the_fix_only_when_there_is_one(report, tricky):
    texts = {r["ruleId"]: r["message"]["text"] for r in _run(report)["results"]}
    assert texts["FI012"] == tricky.message + " Fix: " + tricky.fix
    assert texts["FI002"] == "web runs up to 3 replicas but no PodDisruptionBudget selects its pods"


def test_locations_are_percent_encoded_relative_uris(report, tricky):
    results = _run(report)["results"]
    for result, finding in zip(results, report.findings):
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert urlsplit(uri).scheme == "" and not uri.startswith("/")
        assert unquote(uri) == finding.file
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] == finding.line
        assert result["partialFingerprints"] == {"archlint/v1": finding.fingerprint}
        assert result["properties"] == {"concern": finding.concern.value, "node": finding.node}
    tricky_result = next(r for r in results if r["ruleId"] == tricky.rule)
    assert tricky_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "overlays/prod%2Ceu/web%20app.yaml"


def test_colon_in_first_segment_cannot_read_as_a_scheme(report):
    odd = report.findings[0]._replace(file="c:d/x.yaml")
    uri = _run(replace(report, findings=(odd,)))["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "c%3Ad/x.yaml", "uriBaseId": "%SRCROOT%"}


def test_files_outside_the_scan_root_get_absolute_file_uris(report, validator):
    outside = (report.findings[0]._replace(file="/etc/arch lint/x.yaml"),
               report.findings[1]._replace(file="C:/work/x.yaml"))
    document = json.loads(render(replace(report, findings=outside)))
    validator.validate(document)
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in document["runs"][0]["results"]]
    assert artifacts == [{"uri": "file:///etc/arch%20lint/x.yaml"}, {"uri": "file:///C:/work/x.yaml"}]


def test_line_zero_points_at_the_first_line(report, validator):
    whole_file = report.findings[0]._replace(line=0)
    document = json.loads(render(replace(report, findings=(whole_file,))))
    validator.validate(document)
    assert document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_finding_of_an_undescribed_rule_has_no_rule_index(report, validator):
    stray = report.findings[0]._replace(rule="XX999")
    document = json.loads(render(replace(report, findings=(stray,))))
    validator.validate(document)
    result = document["runs"][0]["results"][0]
    assert result["ruleId"] == "XX999" and "ruleIndex" not in result


def test_deterministic_and_independent_of_rule_order(report):
    first = render(report)
    assert render(report) == first
    rules = list(report.rules)
    random.Random(7).shuffle(rules)
    assert rules != list(report.rules)
    assert render(replace(report, rules=tuple(rules))) == first
    assert render(replace(report, rules=tuple(reversed(report.rules)))) == first


def test_result_level_follows_the_configured_severity(report):
    raised = replace(report, findings=tuple(f._replace(severity=Severity.ERROR) for f in report.findings))
    assert {r["level"] for r in _run(raised)["results"]} == {"error"}
    assert {r["defaultConfiguration"]["level"] for r in _run(raised)["tool"]["driver"]["rules"]} == {"error", "warning"}


def _quiet(report):
    silenced, recorded, new = report.findings[0], report.findings[1], report.findings[2:]
    return silenced, recorded, replace(report, findings=new, suppressed=(silenced,),
                                       reasons={silenced.fingerprint: "owned by DBA team"}, baselined=(recorded,),
                                       baseline=True)


def test_suppressed_and_baselined_findings_are_left_out_by_default_and_said(report, validator):
    """GitHub code scanning ignores `suppressions`: a suppressed result would become an open alert."""
    _, _, reported = _quiet(report)
    document = json.loads(render(reported))
    assert not sorted(validator.iter_errors(document), key=str)
    run = document["runs"][0]
    assert len(run["results"]) == len(reported.findings)
    assert not any("suppressions" in r for r in run["results"])
    notes = run["invocations"][0]["toolExecutionNotifications"]
    said = next(n for n in notes if n["descriptor"]["id"] == "archlint/suppressed")
    assert said["message"]["text"].startswith("1 suppressed and 1 baselined findings are not in this file")


def test_with_sarif_suppressions_they_are_results_with_suppressions(report, validator):
    silenced, _, reported = _quiet(report)
    document = json.loads(render(replace(reported, sarif_suppressions=True)))
    assert not sorted(validator.iter_errors(document), key=str)
    results = document["runs"][0]["results"]
    assert len(results) == len(report.findings)
    new = reported.findings
    assert all(r["baselineState"] == "new" and "suppressions" not in r for r in results[:len(new)])
    assert results[-2]["suppressions"] == [{"kind": "inSource", "justification": "owned by DBA team"}]
    assert results[-2]["partialFingerprints"]["archlint/v1"] == silenced.fingerprint
    assert results[-1]["suppressions"][0]["kind"] == "external" and results[-1]["baselineState"] == "unchanged"


def test_demo_sarif_leaves_out_its_suppressed_finding_unless_asked(tmp_path):
    from tests.conftest import run_cli

    results = json.loads(run_cli("demo", "--format", "sarif").stdout)["runs"][0]["results"]
    assert not [r for r in results if r.get("suppressions")]
    results = json.loads(run_cli("demo", "--format", "sarif", "--sarif-suppressions").stdout)["runs"][0]["results"]
    silenced = [r for r in results if r.get("suppressions")]
    assert [(r["ruleId"], r["suppressions"][0]["kind"]) for r in silenced] == [("FI001", "inSource")]


def test_results_are_capped_at_what_code_scanning_keeps_the_most_severe_first(report, validator):
    from archlint.report.sarif import MAX_RESULTS

    base = report.findings[0]
    many = tuple(base._replace(line=i + 1, severity=Severity.INFO) for i in range(MAX_RESULTS))
    many += tuple(base._replace(line=MAX_RESULTS + i + 1, severity=Severity.ERROR) for i in range(30))
    document = json.loads(render(replace(report, findings=many)))
    validator.validate(document)
    run = document["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    assert sum(r["level"] == "error" for r in run["results"]) == 30
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]]
    assert lines == sorted(lines)  # the report's order is kept among the results kept
    cut = run["invocations"][0]["toolExecutionNotifications"][0]
    assert cut["level"] == "warning" and cut["message"]["text"].startswith("5030 results, 30 left out (30 note)")


def test_only_the_results_kept_are_built(report, monkeypatch):
    """A large system's findings are chosen first: the results left out are never built (at 50,000 manifests they
    would hold 100 MB for 5,000 to be written)."""
    from archlint.report import sarif

    built = []
    result = sarif._result
    monkeypatch.setattr(sarif, "_result", lambda finding, index: built.append(finding) or result(finding, index))
    base = report.findings[0]
    many = tuple(base._replace(line=i + 1, severity=Severity.INFO) for i in range(sarif.MAX_RESULTS + 40))
    run = json.loads(render(replace(report, findings=many)))["runs"][0]
    assert len(built) == len(run["results"]) == sarif.MAX_RESULTS
    assert built == list(many[:sarif.MAX_RESULTS])


def test_coverage_is_a_notification_each(report, validator):
    from tests.report.test_report_text import COVERAGE

    document = json.loads(render(replace(report, coverage=COVERAGE)))
    validator.validate(document)
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["archlint/coverage/read", "archlint/coverage/skipped.templates"]
    assert notes[1]["message"]["text"] == ("Not read: 1 template files: Helm or Jinja markers. To read them: helm "
                                           "template CHART | archlint check -.")


def test_within_code_scanning_s_limits_per_result_and_per_rule(report, validator):
    """GitHub code scanning (docs: "SARIF results exceed limit"): it rejects a file with more than 1,000 locations
    in a result or 20 tags on a rule, and shows 100 locations; one run per file (it accepts 20)."""
    from archlint.finding import Location
    from archlint.report.sarif import MAX_LOCATIONS

    many = report.findings[0]._replace(related=tuple(Location("k8s/x.yaml", n, "copy") for n in range(1, 1501)))
    document = json.loads(render(replace(report, findings=(many, *report.findings[1:]))))
    validator.validate(document)
    assert len(document["runs"]) == 1
    result = document["runs"][0]["results"][0]
    assert 1 + len(result["relatedLocations"]) == MAX_LOCATIONS <= 100
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 1  # the nearest kept
    assert "1401 more related locations" in result["message"]["text"]
    assert all(len(rule["properties"]["tags"]) <= 20 for rule in document["runs"][0]["tool"]["driver"]["rules"])
