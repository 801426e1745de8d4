"""A PodDisruptionBudget allows no disruption at all.

What it flags: a PodDisruptionBudget with `maxUnavailable: 0` (or `0%`), `minAvailable: 100%`, or a
`minAvailable` at or above the replica count of every workload it selects.
Why it matters: the eviction API can never remove one of these pods, so node drains, cluster upgrades and
autoscaler scale-downs hang until someone deletes the budget by hand, usually in the middle of an incident or an
upgrade window.
How to fix: allow at least one pod to be evicted: `maxUnavailable: 1`, or a `minAvailable` below the replica
count (and run enough replicas to afford it).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import EdgeKind, NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI003", name="disruption-budget-allows-no-eviction", title="PodDisruptionBudget allows no disruption",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for budget in model.components(NodeKind.DISRUPTION_BUDGET):
        reason = _blocking(budget, model)
        if reason:
            point = "maxUnavailable" if "maxUnavailable" in budget.attrs else "minAvailable"
            yield finding(META, budget, f"PodDisruptionBudget {budget.name} {reason}: node drains will hang",
                          "Use maxUnavailable: 1, or a minAvailable below the replica count.", span=budget.at(point))


def _blocking(budget, model) -> str | None:
    most = budget.attrs.get("maxUnavailable")
    if most is not None:
        return "sets maxUnavailable to 0" if str(most).strip() in ("0", "0%") else None
    least = budget.attrs.get("minAvailable")
    if least is None:
        return None
    if str(least).strip() == "100%":
        return "requires minAvailable 100%"
    if not isinstance(least, int):
        return None
    protected = [model.component(d.target) for d in model.outgoing(budget.id, [EdgeKind.PROTECTS])]
    counts = [c.min_replicas for c in protected]
    if protected and all(n is not None and least >= n for n in counts):
        return f"requires minAvailable {least} while the pods it selects run {', '.join(str(n) for n in counts)}"
    return None
