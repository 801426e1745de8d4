"""A PodDisruptionBudget allows no disruption at all.

What it flags: a PodDisruptionBudget with `maxUnavailable: 0` (or a percentage that rounds to no pod),
`minAvailable: 100%`, or a `minAvailable` at or above the number of pods it selects (summed over every workload it
selects, each at its fewest: its autoscaler's minimum, else its replicas). Percentages are read as the disruption
controller reads them, rounded up: `minAvailable: 90%` of 5 pods is 5 pods, and blocks every eviction like `100%`.
Peers: kube-linter `pdb-max-unavailable` and `pdb-min-available` (which rounds percentages down, so 90% of 5 passes)
and Polaris `pdbDisruptionsIsZero` (which reads the live status) (tests/peers/FI003).
Why it matters: the eviction API can never remove one of these pods, so node drains, cluster upgrades and
autoscaler scale-downs hang until someone deletes the budget by hand, usually in the middle of an incident or an
upgrade window.
How to fix: allow at least one pod to be evicted: `maxUnavailable: 1`, or a `minAvailable` below the replica
count (and run enough replicas to afford it).
"""

from __future__ import annotations

import math

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
    protected = [model.component(d.target) for d in model.outgoing(budget.id, [EdgeKind.PROTECTS])]
    counts = [c.min_replicas for c in protected]
    pods = sum(counts) if protected and all(n is not None for n in counts) else None
    most = budget.attrs.get("maxUnavailable")
    if most is not None:
        allowed = _scaled(most, pods)
        if allowed == 0:
            return f"sets maxUnavailable to {most}" + (f" of {pods} pods" if _percent(most) is not None and pods else "")
        return None
    least = budget.attrs.get("minAvailable")
    if least is None:
        return None
    if _percent(least) == 100:
        return f"requires minAvailable {least}"
    if pods is None or pods == 0:
        return None
    needed = _scaled(least, pods)
    if needed is not None and needed >= pods:
        said = f"{least} (rounded up: {needed} of {pods} pods)" if _percent(least) is not None else str(least)
        return f"requires minAvailable {said} while the pods it selects number {pods}"
    return None


def _percent(value) -> float | None:
    text = str(value).strip()
    if not text.endswith("%"):
        return None
    try:
        return float(text[:-1])
    except ValueError:
        return None


def _scaled(value, pods: int | None) -> int | None:
    """An int-or-percent as the disruption controller reads it: a percentage of the pods, rounded up."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    share = _percent(value)
    if share is None:
        return None
    if share == 0:
        return 0
    return None if pods is None else math.ceil(share * pods / 100)
