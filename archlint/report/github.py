"""GitHub Actions workflow commands: one annotation per finding, nothing else."""

from __future__ import annotations

from archlint.finding import Finding, Severity
from archlint.report.base import Report

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report) -> str:
    names = {rule.id: rule.name for rule in report.rules}
    return "".join(_annotation(f, names.get(f.rule, "")) + "\n" for f in report.findings)


def escape_data(text: str) -> str:
    """The runner's escaping of a command's message (toolkit/core escapeData); "%" first so it is not doubled."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The runner's escaping of a property value (toolkit/core escapeProperty): ":" and "," delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding, name: str) -> str:
    properties = [f"file={escape_property(finding.file)}"]
    if finding.line >= 1:  # line 0 means "the whole file"; the runner expects a real line or none
        properties.append(f"line={finding.line}")
    properties.append(f"title={escape_property(f'{finding.rule} {name}'.strip())}")
    message = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
    return f"::{_COMMAND[finding.severity]} {','.join(properties)}::{escape_data(message)}"
