"""The text format: grouped by file, coloured only when asked, with a summary that counts right."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from archlint.finding import Finding, Severity
from archlint.report.text import render

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: The start of a finding's line: indent, line number, severity, rule id, up to the message.
FINDING_HEAD = re.compile(r"^ +\d+  [a-z]+ +[A-Z]{2}\d{3}  ")


def test_text_snapshot(report, snapshot):
    assert render(report) == snapshot


def test_coloured_text_snapshot(report, snapshot):
    # Escape characters made visible, so the stored snapshot is plain text that diffs readably.
    assert render(replace(report, color=True)).replace("\x1b", "\\x1b") == snapshot


def test_no_escape_codes_without_colour(report):
    assert "\x1b" not in render(report)


def test_colour_only_adds_codes(report):
    coloured = render(replace(report, color=True))
    assert coloured != render(report)
    assert ANSI.sub("", coloured) == render(report)


@pytest.mark.parametrize(("severity", "code"), [("error", "31"), ("warning", "33"), ("info", "34")])
def test_each_severity_has_its_colour(report, severity, code):
    coloured = render(replace(report, color=True))
    assert f"\x1b[{code}m{severity.ljust(7)}\x1b[0m" in coloured


def test_files_sorted_and_findings_kept_in_report_order(report):
    lines = render(report).splitlines()
    headers = [line for line in lines if line and not line.startswith(" ")]
    files = sorted({f.file for f in report.findings})
    assert headers[: len(files)] == files
    rules = [line.split()[2] for line in lines if FINDING_HEAD.match(line)]
    assert rules == [f.rule for f in sorted(report.findings, key=lambda f: f.file)]


def test_line_numbers_share_one_width_across_files(report):
    # 104 is the widest line number: every message starts in the same column.
    heads = [m.group(0) for line in render(report).splitlines() if (m := FINDING_HEAD.match(line))]
    assert len(heads) == len(report.findings)
    assert {len(head) for head in heads} == {len("  104  warning  FI001  ")}


def test_finding_line_shape(report):
    assert ("   12  error    FI001  api serves traffic with 1 replica and no autoscaler (node default/api)"
            in render(report).splitlines())


def test_fix_is_indented_under_the_message_and_only_when_present(report):
    lines = render(report).splitlines()
    at = lines.index("   12  error    FI001  api serves traffic with 1 replica and no autoscaler (node default/api)")
    assert lines[at + 1] == " " * lines[at].index("api serves") + "fix: Set replicas to at least 2."
    unused = next(i for i, line in enumerate(lines) if "IN004" in line)
    assert "fix:" not in lines[unused + 1]
    assert sum("fix:" in line for line in lines) == sum(bool(f.fix) for f in report.findings)


def test_multiline_message_continues_under_the_message_column(report, tricky):
    lines = render(report).splitlines()
    first, second = tricky.message.split("\n")
    at = next(i for i, line in enumerate(lines) if line.endswith(first))
    assert lines[at + 1] == " " * lines[at].index(first) + second + f" (node {tricky.node})"


def test_control_characters_from_the_input_cannot_reach_the_terminal(report):
    hostile = Finding(rule="FI001", message="name\x1b[2J\rwiped", file="k8s/\x07.yaml", line=1,
                      severity=Severity.ERROR)
    text = render(replace(report, findings=(hostile,)))
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "name\\x1b[2J\\x0dwiped" in text and "k8s/\\x07.yaml" in text


def test_summary_line_ends_the_report(report):
    lines = render(report).splitlines()
    assert lines[-3:] == ["", "Model: 3 files, 7 documents, 6 nodes, 7 edges",
                          "3 errors, 3 warnings, 1 info · failure-isolation 4, cost 1, input 1, over-provisioning 1"]


def _only(report, *severities: Severity):
    base = report.findings[0]
    return replace(report, findings=tuple(replace(base, severity=s, line=i + 1) for i, s in enumerate(severities)))


@pytest.mark.parametrize(("severities", "expected"), [
    ((Severity.ERROR,), "1 error · failure-isolation 1"),
    ((Severity.ERROR, Severity.ERROR), "2 errors · failure-isolation 2"),
    ((Severity.WARNING,), "1 warning · failure-isolation 1"),
    ((Severity.WARNING, Severity.INFO, Severity.WARNING), "2 warnings, 1 info · failure-isolation 3"),
    ((Severity.INFO, Severity.INFO), "2 info · failure-isolation 2"),
])
def test_summary_pluralises_and_leaves_out_zero_counts(report, severities, expected):
    assert render(_only(report, *severities)).splitlines()[-1] == expected


def test_concerns_listed_most_frequent_first_then_by_name(report):
    assert render(report).splitlines()[-1].endswith("· failure-isolation 4, cost 1, input 1, over-provisioning 1")


def test_empty_report(empty_report):
    assert render(empty_report) == "Model: 3 files, 7 documents, 6 nodes, 7 edges\nNo findings.\n"


def test_empty_report_without_model_summary(empty_report):
    assert render(replace(empty_report, model_summary={})) == "No findings.\n"


def test_model_summary_tolerates_missing_and_odd_keys(empty_report):
    odd = {"files": 1, "nodes": {"service": 1}, "edges": "unknown"}
    assert render(replace(empty_report, model_summary=odd)) == "Model: 1 file, 1 node\nNo findings.\n"
