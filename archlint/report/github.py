"""GitHub Actions workflow commands: one annotation per finding, the most severe first, and a notice when a level
has more annotations than GitHub shows (10 of each level per step, 50 per job)."""

from __future__ import annotations

from archlint.finding import Finding, Severity, listing
from archlint.report import escape
from archlint.report.base import Report

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
#: Annotations of one level GitHub shows for a step (actions/toolkit docs/problem-matchers.md, "Limitations"),
#: and for a whole job; the rest stay in the log only.
SHOWN_PER_LEVEL, SHOWN_PER_JOB = 10, 50


def render(report: Report) -> str:
    names = {rule.id: rule.name for rule in report.rules}
    # GitHub keeps the first annotations of a level it is given: errors first, so that the ones shown are the worst.
    ordered = sorted(report.findings, key=lambda f: -f.severity.rank)
    lines = [_limits(report)] if _limits(report) else []
    lines += [_annotation(f, names.get(f.rule, "")) for f in ordered]
    return "".join(line + "\n" for line in lines)


def _limits(report: Report) -> str:
    counts = {level: sum(1 for f in report.findings if f.severity is level) for level in Severity}
    over = [f"{n} {_COMMAND[level]}s" for level, n in counts.items() if n > SHOWN_PER_LEVEL]
    if not over:
        return ""
    text = (f"archlint wrote {', '.join(over)}: GitHub shows {SHOWN_PER_LEVEL} annotations of each level per step "
            f"({SHOWN_PER_JOB} per job), the most severe first. Every finding is in this step's log and in the step "
            "summary.")
    return f"::notice title={escape_property('archlint: more findings than annotations')}::{escape_data(text)}"


#: The runner's escaping of a command's message and of a property value (archlint.report.escape).
escape_data, escape_property = escape.workflow_data, escape.workflow_property


def _annotation(finding: Finding, name: str) -> str:
    # The input's strings on one line each (a newline or an escape code shows as such), then the runner's escaping
    # around them; the lines archlint itself adds (instances, fix) stay lines of the annotation.
    properties = [f"file={escape_property(escape.line(finding.file))}"]
    if finding.line >= 1:  # line 0 means "the whole file"; the runner expects a real line or none
        properties.append(f"line={finding.line}")
    properties.append(f"title={escape_property(escape.line(f'{finding.rule} {name}'.strip()))}")
    copies = (f"\n({len(finding.instances)} instances: {listing(escape.line(i) for i in finding.instances)})"
              if finding.instances else "")
    message = escape.line(finding.message) + copies + (f"\nFix: {escape.line(finding.fix)}" if finding.fix else "")
    return f"::{_COMMAND[finding.severity]} {','.join(properties)}::{escape_data(message)}"
