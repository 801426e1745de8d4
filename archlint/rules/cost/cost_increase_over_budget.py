"""The change raises the monthly cost against the base revision by more than allowed.

What it flags: `cost.budgets.increase.usd` and `.percent` when `archlint check --base REF` (or `archlint cost
--base REF`) finds the estimate of the work tree above the estimate of the same paths at REF by more than the
limit. The message gives both totals and the nodes whose cost grew most (added, or changed). Without `--base` the
rule has nothing to compare and stays silent.
Why it matters: budgets on the total catch a bill that is already too high; a limit on the increase catches the
pull request that makes it so, while its author can still change it.
How to fix: look at the nodes named (a new GPU pool, more replicas, a larger instance class, a new cross-region
flow) and bring them down, or raise the limit in the same change so that the increase is reviewed.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model.economics import INCREASE_PERCENT, INCREASE_USD
from archlint.rules.base import RuleMeta
from archlint.rules.cost.budgets import budgets, over, the_estimate, usd

META = RuleMeta(
    id="CO013", name="cost-increase-over-budget", title="Monthly cost grows more than allowed against the base",
    concern=Concern.COST, severity=Severity.ERROR)


def check(model, options):
    base = model.economics.base
    if base is None:
        return
    estimate = the_estimate(model)
    increase = estimate.low - base.low
    for budget in budgets(model, INCREASE_USD, INCREASE_PERCENT):
        if budget.kind == INCREASE_USD:
            exceeded, limit = increase > budget.limit, usd(budget.limit)
        else:
            percent = increase / base.low * 100 if base.low > 0 else (float("inf") if increase > 0 else 0.0)
            exceeded, limit = percent > budget.limit, f"{budget.limit:g}%"
        if exceeded:
            share = f" ({increase / base.low:+.0%})" if base.low > 0 else ""
            yield over(META, budget, f"monthly cost rises from {usd(base.low)} at {base.ref} to {usd(estimate.low)}: "
                       f"{usd(increase)}{share}, above the allowed {limit}; grew most: {_grown(estimate, base)}",
                       "Bring the nodes that grew down, or raise cost.budgets.increase in the same change.")


def _grown(estimate, base) -> str:
    deltas = []
    for node in estimate.nodes:
        if node.counted:
            before = base.nodes.get(node.id, (0.0, 0.0))[0]
            if node.low - before > 0.005:
                deltas.append((node.low - before, node.name, node.id in base.nodes))
    deltas.sort(key=lambda d: (-d[0], d[1]))
    return ", ".join(f"{name} +{usd(delta)}" + ("" if known else " (new)") for delta, name, known in deltas[:3]) or \
        "data transfer"
