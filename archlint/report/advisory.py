"""What the advisory reports (HTML, Markdown) receive: findings, the model to draw, the advice and the cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archlint.advise import Advice
from archlint.finding import Concern, Finding, Severity
from archlint.model import SystemModel
from archlint.report.cost import CostReport

if TYPE_CHECKING:
    from archlint.report.failure_modes import FailureModes

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True)
class AdvisoryReport:
    version: str
    title: str
    findings: tuple[Finding, ...]
    model: SystemModel
    advice: Advice
    cost: CostReport
    #: The failure-mode assessment (`archlint failure-modes`), when the model has journeys.
    failure_modes: "FailureModes | None" = None
    #: What was read and what was not (the same block as `archlint check --format json`'s `coverage`).
    coverage: dict = field(default_factory=dict)

    def counts(self) -> dict[Severity, int]:
        return {s: sum(1 for f in self.findings if f.severity is s) for s in SEVERITIES}

    def by_concern(self) -> list[tuple[Concern, list[Finding]]]:
        """Concerns with findings, most severe and most numerous first; findings by severity, then place."""
        groups: dict[Concern, list[Finding]] = {}
        for found in self.findings:
            groups.setdefault(found.concern, []).append(found)
        ordered = sorted(groups.items(), key=lambda item: (-max(f.severity.rank for f in item[1]), -len(item[1]),
                                                           item[0].value))
        return [(concern, sorted(items, key=lambda f: (-f.severity.rank, f.file, f.line, f.rule)))
                for concern, items in ordered]

    def exceeded(self) -> int:
        return sum(1 for status in self.cost.budgets if status.exceeded)

