"""Machine-readable report, documented by schemas/report.schema.json."""

from __future__ import annotations

from archlint.finding import Finding
from archlint.report import escape
from archlint.report.base import Report
from archlint.report.jsontext import Lazy


def render(report: Report) -> str:
    document = {
        "tool": "archlint",
        "version": report.version,
        "summary": {
            "by_severity": report.counts_by_severity(),
            "by_concern": report.counts_by_concern(),
            "total": len(report.findings),
            "failed": report.failed(),
            "fail_on": report.fail_on.value,
            "model": report.model_summary,
        },
        # The report's order (file, line, rule, node), so diffs between runs stay small.
        # Each finding's mapping is made as it is written (a large system's would not all be held at once).
        "findings": Lazy(report.findings, _finding),
    }
    if report.coverage:
        document["coverage"] = report.coverage
    # The input's strings exactly, but for lone surrogates (archlint.report.escape.unicode): strict parsers refuse them.
    return escape.dumps(document, sort_keys=True, end="\n")


def _finding(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "concern": finding.concern.value,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "node": finding.node,
        "fix": finding.fix,
        "key": finding.key,
        "fingerprint": finding.fingerprint,
        "related": [{"file": r.file, "line": r.line, "note": r.note} for r in finding.related],
        "nodes": list(finding.nodes),
        "instances": list(finding.instances),
        "sources": list(finding.sources),
    }
