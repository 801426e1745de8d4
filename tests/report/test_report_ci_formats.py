"""GitLab Code Quality, JUnit XML and the Markdown summary: snapshots, their consumers' shapes, escaping."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema

from archlint.report import renderer

DATA = Path(__file__).resolve().parent.parent / "data"


def test_gitlab_snapshot_schema_and_unique_fingerprints(report, snapshot):
    text = renderer("gitlab")(report)
    assert text == snapshot
    issues = json.loads(text)
    jsonschema.validate(issues, json.loads((DATA / "gitlab-codequality.schema.json").read_text()))
    assert len(issues) == len(report.findings)
    twice = replace(report, findings=report.findings + report.findings[:1])
    fingerprints = [i["fingerprint"] for i in json.loads(renderer("gitlab")(twice))]
    assert len(set(fingerprints)) == len(fingerprints)


def test_junit_snapshot_and_structure(report, snapshot):
    text = renderer("junit")(report)
    assert text == snapshot
    root = ET.fromstring(text)
    assert root.tag == "testsuites" and int(root.get("failures")) == len(report.findings)
    suites = root.findall("testsuite")
    assert [s.get("name").split()[0] for s in suites] == sorted({r.id for r in report.rules} |
                                                                  {f.rule for f in report.findings})
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


def test_markdown_snapshot_escapes_markup_and_pipes(report, snapshot):
    text = renderer("markdown")(report)
    assert text == snapshot
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert text.startswith("### archlint fails:")


def test_markdown_of_a_clean_run(empty_report):
    assert "No findings." in renderer("markdown")(empty_report)
