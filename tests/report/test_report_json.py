"""The JSON format: deterministic, and exactly what schemas/report.schema.json documents."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from archlint.finding import Concern, Severity
from archlint.report.json_format import render
from archlint.resources import schema as shipped_schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = shipped_schema("report.schema.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_snapshot(report, snapshot):
    assert render(report) == snapshot


def test_output_is_valid_against_the_report_schema(report, empty_report, validator):
    for each in (report, empty_report, replace(empty_report, model_summary={})):
        validator.validate(json.loads(render(each)))


def test_schema_rejects_unknown_keys(report, validator):
    document = json.loads(render(report))
    document["findings"][0]["column"] = 3
    assert not validator.is_valid(document)
    document = json.loads(render(report))
    document["summary"]["by_concern"]["security"] = 1
    assert not validator.is_valid(document)


def test_schema_enums_are_the_enums_values():
    schema = shipped_schema("report.schema.json")
    finding = schema["$defs"]["finding"]["properties"]
    summary = schema["properties"]["summary"]["properties"]
    severities, concerns = [s.value for s in Severity], [c.value for c in Concern]
    assert finding["severity"]["enum"] == severities == summary["fail_on"]["enum"]
    assert finding["concern"]["enum"] == concerns
    assert list(summary["by_severity"]["properties"]) == severities == summary["by_severity"]["required"]
    assert list(summary["by_concern"]["properties"]) == concerns


def test_every_property_is_described():
    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert sub.get("description"), f"{path}/{name} has no description"
            for key, sub in node.items():
                walk(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}/{i}")

    walk(shipped_schema("report.schema.json"), "")


def test_summary_counts_and_verdict(report):
    summary = json.loads(render(report))["summary"]
    assert summary["by_severity"] == {"error": 3, "warning": 3, "info": 1}
    assert summary["by_concern"] == {"cost": 1, "failure-isolation": 4, "input": 1, "over-provisioning": 1}
    assert summary["total"] == 7 and summary["failed"] is True and summary["fail_on"] == "error"
    assert summary["model"]["nodes"] == {"datastore": 1, "gateway": 1, "service": 4}


def test_not_failed_when_nothing_reaches_fail_on(report):
    quiet = replace(report, findings=tuple(f for f in report.findings if f.severity is Severity.INFO))
    summary = json.loads(render(quiet))["summary"]
    assert summary["failed"] is False and summary["total"] == 1


def test_findings_keep_the_report_order_and_every_field(report, tricky):
    findings = json.loads(render(report))["findings"]
    assert [(f["file"], f["line"], f["rule"]) for f in findings] == [(f.file, f.line, f.rule) for f in report.findings]
    entry = next(f for f in findings if f["rule"] == tricky.rule)
    assert entry == {"rule": "FI012", "concern": "failure-isolation", "severity": "error", "message": tricky.message,
                     "file": tricky.file, "line": 104, "node": "prod/checkout", "fix": tricky.fix, "key": "",
                     "fingerprint": tricky.fingerprint, "nodes": ["prod/api", "prod/pay"],
                     "related": [{"file": "base/checkout.yaml", "line": 7, "note": "the base's Deployment checkout"}],
                     "instances": [], "sources": []}


def test_deterministic_whatever_the_model_summary_order(report):
    first = render(report)
    assert render(report) == first
    shuffled = {key: dict(reversed(list(value.items()))) if isinstance(value, dict) else value
                for key, value in reversed(list(report.model_summary.items()))}
    assert render(replace(report, model_summary=shuffled)) == first


def test_pretty_printed_with_a_trailing_newline(report):
    text = render(report)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.splitlines()[1].startswith('  "')


def test_coverage_is_in_the_json_as_the_schema_says(report, validator):
    from tests.report.test_report_text import COVERAGE

    document = json.loads(render(replace(report, coverage=COVERAGE)))
    validator.validate(document)
    assert document["coverage"] == COVERAGE
    broken = json.loads(render(replace(report, coverage=COVERAGE)))
    del broken["coverage"]["not_read"][0]["how"]
    assert not validator.is_valid(broken)


def test_a_real_run_says_what_it_read_and_what_it_did_not(tmp_path, validator):
    from tests.conftest import run_cli

    (tmp_path / "web.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {}\n")
    (tmp_path / "chart.yaml").write_text("name: {{ .Values.name }}\n")
    (tmp_path / "other.yaml").write_text("just: data\n")
    (tmp_path / "broken.yaml").write_text("a: [\n")
    document = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    validator.validate(document)
    coverage = document["coverage"]
    assert coverage["files"] == 4
    assert [f["format"] for f in coverage["formats"]] == ["kubernetes"]
    assert {item["counter"]: item["count"] for item in coverage["not_read"]} == {
        "unread.templates": 1, "skipped.unknown-documents": 1, "findings.IN001": 1}
