"""GitLab Code Quality report (`artifacts: reports: codequality:`), the subset of Code Climate GitLab reads."""

from __future__ import annotations

import hashlib

from archlint.finding import Severity
from archlint.report import escape
from archlint.report.base import Report

_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render(report: Report) -> str:
    """One issue per finding. GitLab shows only the first issue of a fingerprint, so a second finding with the same
    archlint fingerprint (two containers of one workload, say) gets the fingerprint and its rank hashed."""
    names = {rule.id: rule.name for rule in report.rules}
    seen: dict[str, int] = {}
    issues = []
    for finding in report.findings:
        rank = seen.get(finding.fingerprint, 0)
        seen[finding.fingerprint] = rank + 1
        unique = finding.fingerprint if rank == 0 else hashlib.sha256(
            f"{finding.fingerprint}:{rank}".encode()).hexdigest()[:20]
        issues.append({
            "description": f"{finding.message}" + (f" Fix: {finding.fix}" if finding.fix else ""),
            "check_name": f"archlint/{finding.rule}" + (f" {names[finding.rule]}" if finding.rule in names else ""),
            "fingerprint": unique,
            "severity": _SEVERITY[finding.severity],
            "categories": [finding.concern.value],
            "location": {"path": finding.file, "lines": {"begin": max(1, finding.line)}},
        })
    return escape.dumps(issues, end="\n")
