"""The GitHub Actions format: one workflow command per finding, escaped as the runner unescapes it."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from archlint.finding import Severity
from archlint.report import escape
from archlint.report.github import escape_data, escape_property, render

COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def _unescape_data(text: str) -> str:
    """What the runner does to a command's message (ActionCommand.cs): the reverse order of escaping."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    properties = dict(pair.split("=", 1) for pair in match["props"].split(","))
    return match[1], {k: _unescape_property(v) for k, v in properties.items()}, _unescape_data(match["data"])


def test_github_snapshot(report, snapshot):
    assert render(report) == snapshot


def test_tricky_finding_is_escaped_exactly(report, tricky):
    line = next(line for line in render(report).splitlines() if "FI012" in line)
    assert line == (
        "::error file=overlays/prod%2Ceu/web app.yaml,line=104,title=FI012 availability-chain-below-slo"
        "::checkout: availability 99.5%25 < SLO 99.9%25, chain: api,pay\\nsee <script>alert(1)</script>"
        "%0AFix: Make pay asynchronous, or add a fallback: retries=2, timeout=1s."
    )


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("100%", "100%25", "100%25"),
    ("%0A", "%250A", "%250A"),  # an already escaped-looking text is escaped again, not passed through
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("k: v, w", "k: v, w", "k%3A v%2C w"),
    ("<script>", "<script>", "<script>"),
])
def test_escaping_rules(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_every_finding_is_one_command_that_round_trips(report):
    lines = render(report).splitlines()
    assert len(lines) == len(report.findings)
    names = {r.id: r.name for r in report.rules}
    expected = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    ordered = sorted(report.findings, key=lambda f: -f.severity.rank)  # errors first: GitHub shows the first ones
    for line, finding in zip(lines, ordered):
        command, properties, message = _parse(line)
        assert command == expected[finding.severity]
        assert properties == {"file": escape.line(finding.file), "line": str(finding.line),
                              "title": f"{finding.rule} {names[finding.rule]}"}
        # the input's own line breaks are shown, not followed (escape.line); archlint's "Fix:" line is a line
        assert message == escape.line(finding.message) + (f"\nFix: {finding.fix}" if finding.fix else "")


def test_hostile_properties_cannot_break_out(report):
    hostile = report.findings[0]._replace(file="a,line=9::x\n::set-env y.yaml", message="m\n::error::forged")
    text = render(replace(report, findings=(hostile,)))
    assert text.count("\n") == 1 and text.endswith("\n")
    _, properties, message = _parse(text.rstrip("\n"))
    assert properties["file"] == "a,line=9::x\\n::set-env y.yaml" and properties["line"] == str(hostile.line)
    assert message == "m\\n::error::forged"


def test_line_zero_leaves_the_line_out(report):
    whole_file = report.findings[0]._replace(line=0)
    assert render(replace(report, findings=(whole_file,))).startswith(
        "::error file=graph/services.yaml,title=FI011 synchronous-dependency-cycle::")


def test_rule_without_description_is_titled_by_its_id(report):
    stray = report.findings[0]._replace(rule="XX999")
    assert ",title=XX999::" in render(replace(report, findings=(stray,)))


def test_empty_report_prints_nothing(empty_report):
    assert render(empty_report) == ""


def test_a_level_with_more_annotations_than_github_shows_gets_a_notice_first(report):
    from archlint.report.github import SHOWN_PER_LEVEL

    many = tuple(report.findings[0]._replace(line=i + 1, severity=Severity.WARNING) for i in range(SHOWN_PER_LEVEL + 2))
    lines = render(replace(report, findings=many + report.findings)).splitlines()
    command, properties, message = _parse(lines[0])
    assert command == "notice" and properties == {"title": "archlint: more findings than annotations"}
    assert message.startswith("archlint wrote 15 warnings: GitHub shows 10 annotations of each level per step")
    assert [_parse(line)[0] for line in lines[1:]] == sorted((_parse(line)[0] for line in lines[1:]),
                                                              key=["error", "warning", "notice"].index)
    assert not render(report).startswith("::notice title=archlint")  # 3 errors, 3 warnings, 1 notice: all shown
