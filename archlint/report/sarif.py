"""SARIF 2.1.0 report, for code-scanning services (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from archlint.finding import Finding, Severity
from archlint.report.base import Report, RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: The scan root; consumers such as GitHub resolve it to the checkout, so no originalUriBaseIds is written.
SRCROOT = "%SRCROOT%"
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def render(report: Report) -> str:
    # Sorted and de-duplicated by id, so the output does not depend on the order rules were registered in.
    rules = sorted({r.id: r for r in reversed(report.rules)}.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    run = {
        "tool": {"driver": {"name": "archlint", "version": report.version, "informationUri": "https://archlint.dev",
                            "rules": [_rule(r) for r in rules]}},
        "results": _results(report, index),
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    # Every mapping is built in a fixed order from sorted input, so key order is already stable and reads as the spec.
    return json.dumps(document, indent=2) + "\n"


def _sections(rule: RuleInfo) -> list[tuple[str, str]]:
    return [(label, text) for label, text in
            (("What it flags", rule.what), ("Why it matters", rule.why), ("How to fix", rule.fix)) if text]


def _rule(rule: RuleInfo) -> dict[str, object]:
    sections = _sections(rule)
    described = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.what or rule.title},
        "help": {"text": "\n\n".join(f"{label}: {text}" for label, text in sections) or rule.title,
                 "markdown": "\n\n".join(f"**{label}:** {text}" for label, text in sections) or rule.title},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.concern.value]},
    }
    if rule.help_uri:
        described["helpUri"] = rule.help_uri
    return described


def _results(report: Report, index: dict[str, int]) -> list[dict[str, object]]:
    """Active findings, then those a suppression silenced (`inSource`, with its reason) and those the baseline
    absorbed (`external`): code-scanning services show them as dismissed instead of losing them."""
    results = []
    for finding in report.findings:
        result = _result(finding, index)
        if report.baseline:
            result["baselineState"] = "new"
        results.append(result)
    for finding in report.suppressed:
        result = _result(finding, index)
        reason = report.reasons.get(finding.fingerprint, "")
        result["suppressions"] = [{"kind": "inSource", **({"justification": reason} if reason else {})}]
        results.append(result)
    for finding in report.baselined:
        result = _result(finding, index)
        result["baselineState"] = "unchanged"
        result["suppressions"] = [{"kind": "external", "justification": "recorded in the baseline"}]
        results.append(result)
    return results


def _result(finding: Finding, index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {"ruleId": finding.rule}
    if finding.rule in index:  # a finding of a rule that is not described is still reported, without an index
        result["ruleIndex"] = index[finding.rule]
    result.update({
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message + (f" Fix: {finding.fix}" if finding.fix else "")},
        "locations": [{"physicalLocation": {
            "artifactLocation": _artifact(finding.file),
            # SARIF lines start at 1; a finding about a whole file points at its first line.
            "region": {"startLine": max(1, finding.line)},
        }}],
        **({"relatedLocations": [{
            "id": number,
            "physicalLocation": {"artifactLocation": _artifact(place.file), "region": {"startLine": max(1, place.line)}},
            **({"message": {"text": place.note}} if place.note else {}),
        } for number, place in enumerate(finding.related, 1)]} if finding.related else {}),
        "partialFingerprints": {"archlint/v1": finding.fingerprint},
        "properties": {"concern": finding.concern.value, "node": finding.node},
    })
    return result


def _artifact(file: str) -> dict[str, str]:
    """Relative names resolve against %SRCROOT%; a file outside the scan root keeps its absolute file: URI."""
    if file.startswith("/"):
        return {"uri": "file://" + quote(file, safe="/")}
    if _WINDOWS_DRIVE.match(file):
        return {"uri": "file:///" + file[:2] + quote(file[2:], safe="/")}
    # Everything but unreserved characters and "/" is escaped: a ":" in the first segment would read as a scheme.
    return {"uri": quote(file, safe="/"), "uriBaseId": SRCROOT}
