"""A Markdown summary for a pull-request comment: the counts first, the errors in a table, the rest folded."""

from __future__ import annotations

import html

from archlint.finding import Severity
from archlint.report.base import Report

_ICON = {Severity.ERROR: "🔴", Severity.WARNING: "🟠", Severity.INFO: "🔵"}


def cell(text: str) -> str:
    """Safe in a table cell: HTML escaped (no tag or entity from the input renders), pipes and newlines too."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", "<br>")


def render(report: Report) -> str:
    counts = report.counts_by_severity()
    status = "fails" if report.failed() else "passes"
    lines = [f"### archlint {status}: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info", ""]
    if not report.findings:
        return "\n".join(lines + ["No findings.", ""])
    concerns = ", ".join(f"{name} {count}" for name, count in report.counts_by_concern().items())
    lines += [f"By concern: {concerns}.", ""]
    for severity, folded in ((Severity.ERROR, False), (Severity.WARNING, True), (Severity.INFO, True)):
        found = [f for f in report.findings if f.severity is severity]
        if not found:
            continue
        table = ["| | rule | where | finding |", "|---|---|---|---|"]
        table += [f"| {_ICON[severity]} | `{f.rule}` | `{cell(f.file)}:{f.line}` | {cell(f.message)}"
                  + (f"<br>*Fix:* {cell(f.fix)}" if f.fix else "") + " |" for f in found]
        title = f"{len(found)} {severity.value}{'s' if severity is not Severity.INFO else ''}"
        if folded:
            lines += [f"<details><summary>{title}</summary>", "", *table, "", "</details>", ""]
        else:
            lines += [f"**{title}**", "", *table, ""]
    return "\n".join(lines)
