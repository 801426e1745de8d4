"""Human-readable report: findings grouped by file, then the model and a one-line verdict."""

from __future__ import annotations

from archlint.finding import Finding, Severity
from archlint.report.base import Report

_RESET, _BOLD, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"
_COLOUR = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[34m"}
_PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
_SEVERITY_WIDTH = max(len(s.value) for s in Severity)
#: Messages quote names from the scanned files; control characters from there must not drive the terminal.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if c != 0x0A}


def render(report: Report) -> str:
    paint = _painter(report.color)
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(finding.file, []).append(finding)
    # One width for the whole report, so messages line up from file to file.
    width = max((len(str(f.line)) for f in report.findings), default=1)
    lines: list[str] = []
    for file in sorted(by_file):
        lines += _file_block(file, by_file[file], width, paint)
        lines.append("")
    model = _model_line(report.model_summary)
    if model:
        lines.append(paint(model, _DIM))
    lines.append(_summary_line(report, paint))
    return "\n".join(lines) + "\n"


def _painter(color: bool):
    if not color:
        return lambda text, *codes: text
    return lambda text, *codes: "".join(codes) + text + _RESET


def _clean(text: str) -> str:
    return text.translate(_CONTROL)


def _file_block(file: str, findings: list[Finding], width: int, paint) -> list[str]:
    lines = [paint(_clean(file), _BOLD)]
    for f in findings:
        head = f"  {f.line:>{width}}  "
        # Continuation lines (multi-line messages, the fix) align under the message column.
        indent = " " * (len(head) + _SEVERITY_WIDTH + 2 + len(f.rule) + 2)
        message = _clean(f.message).split("\n")
        if f.node:
            message[-1] += paint(f" (node {_clean(f.node)})", _DIM)
        lines.append(head + paint(f.severity.value.ljust(_SEVERITY_WIDTH), _COLOUR[f.severity]) + "  "
                     + paint(f.rule, _BOLD) + "  " + message[0])
        lines += [indent + line for line in message[1:]]
        for place in f.related:
            note = f" ({_clean(place.note)})" if place.note else ""
            lines.append(indent + paint("via", _DIM) + f" {_clean(place.file)}:{place.line}{note}")
        if f.fix:
            fix, *rest = _clean(f.fix).split("\n")
            lines.append(indent + paint("fix:", _DIM) + " " + fix)
            lines += [indent + "     " + line for line in rest]
    return lines


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _total(value: object) -> int | None:
    """A count, or the sum of a {kind: count} mapping; anything else is not shown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return sum(v for v in value.values() if isinstance(v, int) and not isinstance(v, bool))
    return None


def _model_line(summary: dict) -> str:
    parts = []
    for key, singular in (("files", "file"), ("documents", "document"), ("nodes", "node"), ("edges", "edge")):
        count = _total(summary.get(key))
        if count is not None:
            parts.append(_plural(count, singular, key))
    return "Model: " + ", ".join(parts) if parts else ""


def _summary_line(report: Report, paint) -> str:
    if not report.findings:
        return "No findings."
    counts = report.counts_by_severity()
    severities = [paint(_plural(counts[s.value], s.value, _PLURAL[s]), _COLOUR[s]) for s in Severity if counts[s.value]]
    # Most frequent concern first: that is where the work is.
    concerns = sorted(report.counts_by_concern().items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(severities) + " · " + ", ".join(f"{name} {count}" for name, count in concerns)
