"""GitLab Code Quality, JUnit XML and the Markdown summary: snapshots, their consumers' shapes, escaping."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from archlint.finding import Severity

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
    failing = [f for f in report.findings if f.severity.rank >= report.fail_on.rank]
    assert root.tag == "testsuites" and int(root.get("failures")) == len(failing)
    suites = root.findall("testsuite")
    assert [s.get("name").split()[0] for s in suites] == sorted({r.id for r in report.rules} |
                                                                  {f.rule for f in report.findings})
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


def _junit(report):
    from junitparser import JUnitXml

    return JUnitXml.fromstring(renderer("junit")(report))


@pytest.mark.parametrize("fail_on", [Severity.ERROR, Severity.WARNING, Severity.INFO])
def test_junit_as_junitparser_reads_it_fails_only_at_the_failing_severity(report, fail_on):
    """A finding below --fail-on is a passed test case carrying its text: a run that passes has no failure."""
    from junitparser import Failure

    report = replace(report, findings=tuple(f for f in report.findings if f.rule != "OP001"))  # OP001: clean
    xml = _junit(replace(report, fail_on=fail_on))
    cases = [case for suite in xml for case in suite]
    failed = [case for case in cases if any(isinstance(r, Failure) for r in case.result)]
    expected = [f for f in report.findings if f.severity.rank >= fail_on.rank]
    assert len(failed) == len(expected)
    assert sum(suite.failures for suite in xml) == len(expected) and sum(suite.tests for suite in xml) == len(cases)
    passed_with_text = [case for case in cases if case.is_passed and case.system_out]
    assert len(passed_with_text) == len(report.findings) - len(expected)
    for case in passed_with_text:
        assert case.system_out.split()[0] in {s.value for s in Severity if s.rank < fail_on.rank}
    clean = [case for case in cases if case.name.endswith(": no findings")]
    assert all(case.is_passed for case in clean) and clean


def test_junit_of_a_passing_run_has_no_failure(report):
    passing = replace(report, findings=tuple(f for f in report.findings if f.severity is not Severity.ERROR))
    assert not passing.failed()
    assert sum(suite.failures for suite in _junit(passing)) == 0


def test_markdown_snapshot_escapes_markup_and_pipes(report, snapshot):
    text = renderer("markdown")(report)
    assert text == snapshot
    assert "<script>" not in text and "\\<script\\>" in text  # CommonMark's backslash escapes: read as text
    assert text.startswith("### archlint fails:")


def test_markdown_of_a_clean_run(empty_report):
    assert "No findings." in renderer("markdown")(empty_report)


def test_markdown_stays_within_a_comment_with_the_errors_first_and_says_what_it_cut(report):
    from archlint.report.markdown import COMMENT_LIMIT, size

    base = report.findings[0]
    many = tuple(base._replace(line=i + 1, severity=s, message="x" * 300 + " 🔴 é")
                 for i, s in enumerate([Severity.ERROR] * 150 + [Severity.WARNING] * 400 + [Severity.INFO] * 400))
    text = renderer("markdown")(replace(report, findings=many))
    assert size(text) <= COMMENT_LIMIT and len(text.encode("utf-16-le")) // 2 <= COMMENT_LIMIT
    assert text.startswith("### archlint fails: 150 errors, 400 warnings, 400 info")
    assert text.index("**150 errors**") < text.index("warnings</summary>") if "warnings</summary>" in text else True
    assert text.count("| 🔴 |") == 150  # every error fits, warnings are cut, info does not fit at all
    note = text.rstrip().splitlines()[-1]
    assert note.startswith("*Left out to stay within 65,536 characters:") and "400 info" in note
    assert text.count("<details>") == text.count("</details>")


def test_markdown_limit_is_the_budget(report):
    text = renderer("markdown")(replace(report, markdown_limit=1500))
    assert len(text.encode()) <= 1500 and "Left out" in text


def test_step_summary_is_appended_within_a_step_s_megabyte(tmp_path):
    from tests.conftest import run_cli

    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step output\n")
    done = run_cli("demo", "--format", "github", "--fail-on", "error", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1 and done.stdout.startswith(b"::")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step output\n\n### archlint fails:")
    assert "| 🔴 |" in text and len(text.encode()) <= 1024 * 1024
    done = run_cli("demo", "--format", "json", env={"GITHUB_STEP_SUMMARY": str(tmp_path / "none.md")})
    assert not (tmp_path / "none.md").exists()  # only the github format writes it
