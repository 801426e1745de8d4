"""A Markdown summary for a pull-request comment or a GitHub step summary: the counts and what was read first,
the errors in a table, the rest folded, all within the size the consumer accepts (GitHub: 65,536 characters for
a comment, 1 MiB for a step summary), with a note of what had to be left out."""

from __future__ import annotations

from archlint.finding import Finding, Severity
from archlint.report import escape
from archlint.report.base import Report
from archlint.report.coverage_text import not_read_line, read_line

_ICON = {Severity.ERROR: "🔴", Severity.WARNING: "🟠", Severity.INFO: "🔵"}
#: GitHub's limit for an issue or pull-request comment body, in characters.
COMMENT_LIMIT = 65536


def cell(text: str) -> str:
    """Safe in a table cell and anywhere in a comment: no markup, mention, image or HTML from the input renders
    (archlint.report.escape.markdown); a code span is escape.code."""
    return escape.markdown(text)


def size(text: str) -> int:
    """Text's size as the budget counts it: UTF-8 bytes, never fewer than the characters or UTF-16 units GitHub
    may count, so a text within budget is within every one of those limits."""
    return len(text.encode("utf-8"))


class Budget:
    """What is left of a size limit while a document is assembled, and what did not fit."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.cut: list[str] = []

    def take(self, lines: list[str]) -> bool:
        """Add `lines` whole (they count one newline each) if they fit."""
        cost = sum(size(line) + 1 for line in lines)
        if cost > self.left:
            return False
        self.left -= cost
        return True

    def rows(self, rows: list[str], frame: list[str], what: str) -> list[str]:
        """As many of `rows` as fit with `frame` (the table's header and closing lines, counted once); what did not
        fit is recorded as "N what"."""
        if not rows:
            return []
        if not self.take(frame):
            self.cut.append(f"{len(rows)} {what}")
            return []
        kept = []
        for row in rows:
            if not self.take([row]):
                break
            kept.append(row)
        if len(kept) < len(rows):
            self.cut.append(f"{len(rows) - len(kept)} {what}")
        return kept


def cut_note(budget: Budget, limit: int, where: str = "`archlint check --format json` lists every finding") -> list[str]:
    if not budget.cut:
        return []
    return [f"*Left out to stay within {limit:,} characters: {', '.join(budget.cut)}; {where}.*", ""]


#: Room kept for the note of what was cut: it is written last but must always fit.
_NOTE_ROOM = 600


def render(report: Report) -> str:
    limit = report.markdown_limit or COMMENT_LIMIT
    budget = Budget(limit - _NOTE_ROOM)
    counts = report.counts_by_severity()
    status = ("fails" if report.failed() else "passes") if report.judged else "found"
    lines = [f"### archlint {status}: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info",
             ""]
    if report.coverage:
        read = cell(read_line(report.coverage)) + "."
        missing = not_read_line(report.coverage)
        lines += [read + (f" {cell(missing)}." if missing else ""), ""]
    if not report.findings:
        return "\n".join(lines + ["No findings.", ""])
    concerns = ", ".join(f"{name} {count}" for name, count in report.counts_by_concern().items())
    lines += [f"By concern: {concerns}.", ""]
    budget.take(lines)
    for severity, folded in ((Severity.ERROR, False), (Severity.WARNING, True), (Severity.INFO, True)):
        found = [f for f in report.findings if f.severity is severity]
        if not found:
            continue
        title = f"{len(found)} {severity.value}{'s' if severity is not Severity.INFO else ''}"
        opening = [f"<details><summary>{title}</summary>", ""] if folded else [f"**{title}**", ""]
        closing = ["", "</details>", ""] if folded else [""]
        header = ["| | rule | where | finding |", "|---|---|---|---|"]
        rows = budget.rows([_row(f) for f in found], opening + header + closing,
                           f"{severity.value}{'s' if severity is not Severity.INFO else ''}")
        if rows:
            lines += opening + header + rows + closing
    return "\n".join(lines + cut_note(budget, limit))


def _row(f: Finding) -> str:
    copies = f" *({len(f.instances)} instances)*" if f.instances else ""
    return (f"| {_ICON[f.severity]} | `{f.rule}` | {escape.code(f'{f.file}:{f.line}')} | {cell(f.message)}{copies}"
            + (f"<br>*Fix:* {cell(f.fix)}" if f.fix else "") + " |")
