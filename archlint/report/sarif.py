"""SARIF 2.1.0 report, for code-scanning services (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import re

from archlint.finding import Finding, Severity
from archlint.report import escape
from archlint.report.base import Report, RuleInfo

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: The scan root; consumers such as GitHub resolve it to the checkout, so no originalUriBaseIds is written.
SRCROOT = "%SRCROOT%"
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


#: Results code scanning keeps of one run ("only the top 5,000 results will be included, prioritized by
#: severity"): archlint keeps the most severe itself and says what it left out, instead of GitHub choosing.
MAX_RESULTS = 5000
_PRIORITY = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
#: Locations of one result code scanning shows (it rejects a file past 1,000): the nearest places are kept, and the
#: message says how many more there are (JSON lists them all).
MAX_LOCATIONS = 100


def render(report: Report) -> str:
    # Sorted and de-duplicated by id, so the output does not depend on the order rules were registered in.
    rules = sorted({r.id: r for r in reversed(report.rules)}.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results, notes = _results(report, index)
    run = {
        "tool": {"driver": {"name": "archlint", "version": report.version, "informationUri": "https://archlint.dev",
                            "rules": [_rule(r) for r in rules]}},
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": notes + _coverage(report.coverage)}],
        "results": results,
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    # Every mapping is built in a fixed order from sorted input, so key order is already stable and reads as the spec.
    return escape.dumps(document, end="\n")


def _notification(key: str, level: str, text: str) -> dict[str, object]:
    return {"descriptor": {"id": f"archlint/{key}"}, "level": level, "message": {"text": text}}


def _coverage(coverage: dict) -> list[dict[str, object]]:
    """What was read and what was not, as the run's notifications (a note each, a warning for unreadable input)."""
    if not coverage:
        return []
    formats = "; ".join(f"{e['format']} {e['files']} files, {e['documents']} documents, {e['components']} components"
                        for e in coverage.get("formats", ()))
    notes = [_notification("coverage/read", "note", f"Read {coverage.get('files', 0)} files"
                           + (f": {formats}" if formats else ", nothing archlint models") + ".")]
    for item in coverage.get("not_read", ()):
        how = f" To read them: {item['how']}." if item.get("how") else ""
        level = "warning" if item["counter"].startswith(("findings.", "unread.")) else "note"
        notes.append(_notification(f"coverage/{item['counter']}", level,
                                   f"Not read: {item['count']} {item['what']}: {item['reason']}.{how}"))
    return notes
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


def _results(report: Report, index: dict[str, int]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The active findings, the most severe first when there are more than code scanning keeps, and the
    notifications that say what was left out.

    Suppressed and baselined findings are left out unless `report.sarif_suppressions`: GitHub code scanning does not
    read SARIF `suppressions` and would open them as alerts. With it, those a suppression silenced come as
    `inSource` (with its reason) and those the baseline absorbed as `external`, for consumers that read them."""
    # What is kept is chosen first and only those results are built: a large system's findings would otherwise all
    # become result mappings (100 MB at 50,000 manifests) for 5,000 of them to be written.
    entries: list[tuple[Finding, str]] = [(finding, "new") for finding in report.findings]
    notes = []
    quiet = len(report.suppressed) + len(report.baselined)
    if report.sarif_suppressions:
        entries += [(finding, "inSource") for finding in report.suppressed]
        entries += [(finding, "external") for finding in report.baselined]
    elif quiet:
        notes.append(_notification("suppressed", "note", f"{len(report.suppressed)} suppressed and "
                                   f"{len(report.baselined)} baselined findings are not in this file: code scanning "
                                   "does not read SARIF suppressions and would open them as alerts "
                                   "(--sarif-suppressions includes them, marked, for tools that do)."))
    if len(entries) > MAX_RESULTS:
        order = sorted(range(len(entries)), key=lambda i: (_PRIORITY[entries[i][0].severity], entries[i][1] != "new",
                                                           i))
        kept = set(order[:MAX_RESULTS])
        left = [entries[i][0] for i in order[MAX_RESULTS:]]
        by_level = {}
        for finding in left:
            by_level[_LEVEL[finding.severity]] = by_level.get(_LEVEL[finding.severity], 0) + 1
        counts = ", ".join(f"{n} {level}" for level, n in sorted(by_level.items()))
        notes.insert(0, _notification("results-cut", "warning", f"{len(entries)} results, {len(left)} left out "
                                      f"({counts}): code scanning keeps {MAX_RESULTS} per run, so this file holds "
                                      f"the {MAX_RESULTS} most severe. archlint check --format json lists them all."))
        entries = [entries[i] for i in sorted(kept)]
    return [_placed(finding, state, index, report) for finding, state in entries], notes


def _placed(finding: Finding, state: str, index: dict[str, int], report: Report) -> dict[str, object]:
    """The result of a finding that is `new` (active), `inSource` (a suppression silenced it) or `external` (the
    baseline absorbed it)."""
    result = _result(finding, index)
    if state == "new":
        if report.baseline:
            result["baselineState"] = "new"
    elif state == "inSource":
        reason = report.reasons.get(finding.fingerprint, "")
        result["suppressions"] = [{"kind": "inSource", **({"justification": reason} if reason else {})}]
    else:
        result["baselineState"] = "unchanged"
        result["suppressions"] = [{"kind": "external", "justification": "recorded in the baseline"}]
    return result


def _result(finding: Finding, index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {"ruleId": finding.rule}
    if finding.rule in index:  # a finding of a rule that is not described is still reported, without an index
        result["ruleIndex"] = index[finding.rule]
    result.update({
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message + (f" Fix: {finding.fix}" if finding.fix else "") + _more(finding)},
        "locations": [{"physicalLocation": {
            "artifactLocation": _artifact(finding.file),
            # SARIF lines start at 1; a finding about a whole file points at its first line.
            "region": {"startLine": max(1, finding.line)},
        }}],
        **({"relatedLocations": [{
            "id": number,
            "physicalLocation": {"artifactLocation": _artifact(place.file), "region": {"startLine": max(1, place.line)}},
            **({"message": {"text": place.note}} if place.note else {}),
        } for number, place in enumerate(finding.related[:MAX_LOCATIONS - 1], 1)]} if finding.related else {}),
        "partialFingerprints": {"archlint/v1": finding.fingerprint},
        "properties": {"concern": finding.concern.value, "node": finding.node},
    })
    return result


def _more(finding: Finding) -> str:
    left = len(finding.related) - (MAX_LOCATIONS - 1)
    return f" ({left} more related locations are in archlint check --format json.)" if left > 0 else ""


def _artifact(file: str) -> dict[str, str]:
    """Relative names resolve against %SRCROOT%; a file outside the scan root keeps its absolute file: URI."""
    if file.startswith("/"):
        return {"uri": "file://" + escape.uri_path(file)}
    if _WINDOWS_DRIVE.match(file):
        return {"uri": "file:///" + file[:2] + escape.uri_path(file[2:])}
    # Everything but unreserved characters and "/" is escaped: a ":" in the first segment would read as a scheme;
    # a name that is not UTF-8 keeps its bytes (%FF), so that the URI still names the file.
    return {"uri": escape.uri_path(file), "uriBaseId": SRCROOT}
