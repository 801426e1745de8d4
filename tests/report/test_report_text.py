"""The text format: what was read, the errors first, the rest grouped by file, every line within the width,
coloured only when asked, with a summary that counts right and comes last."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from archlint.finding import Finding, Severity
from archlint.report import Report
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


def test_errors_come_first_then_the_rest_each_grouped_by_sorted_file(report):
    lines = render(report).splitlines()
    assert lines[0] == "3 errors" and "3 warnings, 1 info" in lines
    middle = lines.index("3 warnings, 1 info")
    for part in (lines[:middle], lines[middle:]):
        headers = [line for line in part[1:] if line and not line.startswith(" ")]
        found = [line for line in part if FINDING_HEAD.match(line)]
        files = [h for h in headers if "/" in h or h.endswith(".yaml")]
        assert files == sorted(files) and files
        assert found
    errors = [line.split()[2] for line in lines[:middle] if FINDING_HEAD.match(line)]
    assert errors == [f.rule for f in sorted(report.findings, key=lambda f: f.file) if f.severity is Severity.ERROR]


def test_line_numbers_share_one_width_across_files(report):
    # 104 is the widest line number: every message starts in the same column.
    heads = [m.group(0) for line in render(report).splitlines() if (m := FINDING_HEAD.match(line))]
    assert len(heads) == len(report.findings)
    assert {len(head) for head in heads} == {len("  104  warning  FI001  ")}


def test_finding_line_shape(report):
    assert "   12  error    FI001  api serves traffic with 1 replica and no autoscaler" in render(report).splitlines()
    verbose = render(replace(report, verbose=True)).splitlines()
    assert "   12  error    FI001  api serves traffic with 1 replica and no autoscaler (node default/api)" in verbose


def test_fix_is_indented_under_the_message_and_only_when_present(report):
    lines = render(report).splitlines()
    at = lines.index("   12  error    FI001  api serves traffic with 1 replica and no autoscaler")
    assert lines[at + 1] == " " * lines[at].index("api serves") + "fix: Set replicas to at least 2."
    unused = next(i for i, line in enumerate(lines) if "IN004" in line)
    assert "fix:" not in lines[unused + 1]
    assert sum("fix:" in line for line in lines) == sum(bool(f.fix) for f in report.findings)


def test_a_line_break_from_the_input_is_shown_not_followed(report, tricky):
    """No rule writes a line break into a message: one there came from the input (a name), and in a CI log the line
    after it could run as a workflow command. It is shown as \\n, on the message's line."""
    first, second = tricky.message.split("\n")
    text = " ".join(line.strip() for line in render(report).splitlines())
    assert f"{first}\\n{second}" in text and f"{first}\n" not in render(report)


def test_control_characters_from_the_input_cannot_reach_the_terminal(report):
    hostile = Finding(rule="FI001", message="name\x1b[2J\rwiped", file="k8s/\x07.yaml", line=1,
                      severity=Severity.ERROR)
    text = render(replace(report, findings=(hostile,)))
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text
    assert "name\\x1b[2J\\rwiped" in text and "k8s/\\x07.yaml" in text


def test_summary_line_ends_the_report(report):
    lines = render(report).splitlines()
    assert lines[-4:] == ["", "Model: 3 files, 7 documents, 6 nodes, 7 edges",
                          "By concern: failure-isolation 4, cost 1, input 1, over-provisioning 1",
                          "3 errors, 3 warnings, 1 info · fails (--fail-on error)"]


def _only(report, *severities: Severity):
    base = report.findings[0]
    return replace(report, findings=tuple(base._replace(severity=s, line=i + 1) for i, s in enumerate(severities)))


@pytest.mark.parametrize(("severities", "expected"), [
    ((Severity.ERROR,), "1 error · fails (--fail-on error)"),
    ((Severity.ERROR, Severity.ERROR), "2 errors · fails (--fail-on error)"),
    ((Severity.WARNING,), "1 warning · passes (--fail-on error)"),
    ((Severity.WARNING, Severity.INFO, Severity.WARNING), "2 warnings, 1 info · passes (--fail-on error)"),
    ((Severity.INFO, Severity.INFO), "2 info · passes (--fail-on error)"),
])
def test_summary_pluralises_and_leaves_out_zero_counts(report, severities, expected):
    assert render(_only(report, *severities)).splitlines()[-1] == expected


def test_concerns_listed_most_frequent_first_then_by_name(report):
    assert render(report).splitlines()[-2] == "By concern: failure-isolation 4, cost 1, input 1, over-provisioning 1"


def test_a_run_that_is_not_judged_has_no_verdict(report):
    assert render(replace(report, judged=False)).splitlines()[-1] == "3 errors, 3 warnings, 1 info"


def test_empty_report(empty_report):
    assert render(empty_report) == "Model: 3 files, 7 documents, 6 nodes, 7 edges\nNo findings.\n"


def test_empty_report_without_model_summary(empty_report):
    assert render(replace(empty_report, model_summary={})) == "No findings.\n"


def test_model_summary_tolerates_missing_and_odd_keys(empty_report):
    odd = {"files": 1, "nodes": {"service": 1}, "edges": "unknown"}
    assert render(replace(empty_report, model_summary=odd)) == "Model: 1 file, 1 node\nNo findings.\n"


def _long(report, count: int = 1, **changes) -> Report:
    base = report.findings[0]._replace(**{"message": "word " * 60 + "/a/very/long/path/" * 12, "fix": "fix it " * 30,
                                          **changes})
    return replace(report, findings=tuple(base._replace(line=i + 1) for i in range(count)))


@pytest.mark.parametrize("width", [60, 80, 100, 132])
def test_no_line_is_wider_than_the_width(report, width):
    for view in (replace(report, width=width), replace(_long(report), width=width),
                 replace(_long(report, instances=tuple(f"overlay-{i}" for i in range(40))), width=width, verbose=True),
                 replace(report, width=width, findings=tuple(f._replace(file="d/" * 80 + "x.yaml")
                                                             for f in report.findings))):
        assert max(len(line) for line in render(view).splitlines()) <= width


def test_long_messages_wrap_under_their_column(report):
    lines = render(_long(report)).splitlines()
    at = next(i for i, line in enumerate(lines) if FINDING_HEAD.match(line))
    column = FINDING_HEAD.match(lines[at]).end()
    assert lines[at + 1].startswith(" " * column + "word") and len(lines[at]) <= 100


def test_a_fix_shared_by_several_findings_is_printed_once_after_them(report):
    text = render(_long(report, count=3, fix="Set replicas to at least 2."))
    assert text.count("Set replicas to at least 2.") == 1
    assert "  FI011  Set replicas to at least 2. (3 findings)" in text.splitlines()
    verbose = render(replace(_long(report, count=3, fix="Set replicas to at least 2."), verbose=True))
    assert verbose.count("fix: Set replicas to at least 2.") == 3 and "How to fix" not in verbose


def test_instances_are_listed_and_cut(report):
    many = tuple(f"graph/overlay-{i:02}" for i in range(12)) + ("other/x.yaml",)
    one = replace(report, findings=(report.findings[0]._replace(instances=many),))
    # named without the finding's own directory (graph/), four of them, then a count
    assert ("in 13 instances: overlay-00, overlay-01, overlay-02, overlay-03 and 9 more"
            in " ".join(render(one).split()))
    assert "overlay-11" in render(replace(one, verbose=True)) and "other/x.yaml" in render(replace(one, verbose=True))


def test_price_sources_only_with_verbose(report):
    priced = replace(report, findings=(report.findings[0]._replace(sources=("$1.21/GPU-hour: AWS g5, 2026-11-01",)),))
    assert "AWS g5" not in render(priced)
    assert "price: $1.21/GPU-hour: AWS g5, 2026-11-01" in render(replace(priced, verbose=True))


def test_quiet_prints_the_summary_only(report):
    assert render(replace(report, view="quiet")) == "3 errors, 3 warnings, 1 info · fails (--fail-on error)\n"


def test_statistics_count_per_rule_most_frequent_first(report):
    doubled = replace(report, findings=report.findings + (report.findings[-1]._replace(line=999),))
    lines = render(replace(doubled, view="statistics")).splitlines()
    rows = lines[:lines.index("")]
    assert rows[0].split()[:3] == ["2", rows[0].split()[1], rows[0].split()[2]]
    assert len(rows) == len({f.rule for f in report.findings})
    assert "1  FI001  error    single-replica-without-autoscaler" in rows
    assert lines[-1].startswith("4 errors") or lines[-1].startswith("3 errors")


COVERAGE = {"files": 12, "documents": 30, "components": 9,
            "formats": [{"format": "kubernetes", "files": 10, "documents": 28, "components": 8},
                        {"format": "terraform", "files": 2, "documents": 2, "components": 1}],
            "not_read": [{"what": "template files", "one": "template file", "count": 1,
                          "reason": "Helm or Jinja markers", "how": "helm template CHART | archlint check -",
                          "counter": "skipped.templates"}]}


def test_the_report_opens_with_what_was_read(report):
    lines = render(replace(report, coverage=COVERAGE, width=132)).splitlines()
    assert lines[0] == ("Read 12 files: kubernetes 10 files (28 documents, 8 components); terraform 2 files "
                        "(2 documents, 1 component)")
    assert lines[1] == "Not read: 1 template file (--verbose says why and how to read them)"
    verbose = render(replace(report, coverage=COVERAGE, verbose=True)).splitlines()
    assert "  1 template file: Helm or Jinja markers; to read them: helm template CHART | archlint check -" in verbose


def test_a_long_path_breaks_after_a_slash_and_the_words_after_it_follow(report):
    from archlint.finding import Location

    path = "modules/" + "deep/" * 18 + "main.tf"
    one = replace(report, findings=(report.findings[0]._replace(related=(Location(path, 38, 'module "db"'),)),))
    lines = render(one).splitlines()
    at = next(i for i, line in enumerate(lines) if "via " in line)
    assert lines[at].endswith("/") and len(lines[at]) <= 100
    assert lines[at + 1].strip().endswith('main.tf:38 (module "db")')


@pytest.mark.parametrize("width", [40, 60])
def test_coloured_lines_fit_the_width_too(report, width):
    """Escape codes are not columns: the summary and the fixes' heading wrap as the plain text does."""
    shared = replace(report, findings=tuple(f._replace(fix="Set replicas.") for f in report.findings), width=width)
    coloured = render(replace(shared, color=True))
    assert ANSI.sub("", coloured) == render(shared)
    assert max(len(line) for line in ANSI.sub("", coloured).splitlines()) <= width


def _related(report, *places, instances=()):
    from archlint.finding import Location

    finding = Finding(rule="FI010", message="web runs a single replica", file="k8s/a/web.yaml", line=20,
                      severity=Severity.ERROR, related=tuple(Location(*p) for p in places), instances=instances)
    return [line.strip() for line in render(replace(report, findings=(finding,), width=200)).splitlines()]


def test_a_related_location_at_the_finding_s_own_line_is_said_by_its_note_only(report):
    lines = _related(report, ("k8s/a/web.yaml", 20, "FI001: web serves traffic with 1 replica"),
                     ("k8s/a/web.yaml", 20, ""), ("k8s/a/web.yaml", 7, "the Service"))
    assert "also: FI001: web serves traffic with 1 replica" in lines
    assert "via line 7 (the Service)" in lines
    assert not any("web.yaml:20" in line for line in lines)


def test_copies_with_the_same_notes_are_one_line_and_instances_they_show_are_not_repeated(report):
    copies = [(f"k8s/{name}/web.yaml", 20, "the same object copied here") for name in "bcdefgh"]
    lines = _related(report, *copies, ("k8s/b/web.yaml", 20, "FI001: web serves traffic"),
                     instances=("k8s/a/web.yaml", *(c[0] for c in copies)))
    assert not any("instances" in line for line in lines)  # every instance is the finding's file or a via
    via = [line for line in lines if line.startswith("via ")]
    assert via == ["via k8s/b/web.yaml:20 (the same object copied here; FI001: web serves traffic)",
                   "via k8s/c/web.yaml:20, k8s/d/web.yaml:20, k8s/e/web.yaml:20, k8s/f/web.yaml:20 and 2 more "
                   "(the same object copied here)"]


def test_instances_near_the_file_are_named_relative_to_its_directory(report):
    lines = _related(report, instances=("k8s/overlays/prod", "k8s/a/dev/x", "elsewhere/q"))
    assert "in 3 instances: ../overlays/prod, dev/x, elsewhere/q" in lines


def test_a_note_names_its_own_directory_relative_to_the_finding_s_file(report):
    lines = _related(report, ("k8s/overlays/prod/kustomization.yaml", 4, "included by k8s/overlays/prod"))
    assert "via k8s/overlays/prod/kustomization.yaml:4 (included by ../overlays/prod)" in lines


@pytest.mark.parametrize("width", range(40, 121, 7))
def test_wrapping_never_starts_a_line_with_a_workflow_command_nor_runs_past_the_width(report, width):
    """GitHub Actions runs a log line that starts with `::` after whitespace: a name's `::` is escaped where it
    starts a word, and a word broken at the width is never broken just before a `::`."""
    hostile = Finding(rule="FI001", message="z" * 61 + "::error::cut a ::warning::word ##[error]x", file="a.yaml",
                      line=1, severity=Severity.ERROR)
    lines = render(replace(report, findings=(hostile,), width=width)).splitlines()
    assert max(len(line) for line in lines) <= width
    assert not [line for line in lines if re.match(r"\s*::", line) or "##[" in line]
