"""The cost per unit of work (per monthly active user, per 1,000 requests, per GB processed) is above its budget.

What it flags: `cost.budgets.per_user`, `per_1000_requests` and `per_gb` when the monthly estimate divided by
the declared denominator is above the budget. The denominators come from `cost.units` in `.archlint.yaml`, else
from the service graph: monthly active users summed over the components that declare them, requests from the
entrypoints' `traffic.rps` (divided by `peak_to_average`) over a month. A unit budget without a denominator is
reported as such, since it cannot be checked.
Why it matters: a growing product should cost less per user, not more; a feature that doubles the cost per user
passes a total budget while the user base is small and becomes the largest line of the bill as it grows.
How to fix: lower the cost the unit pays for (cache what each request recomputes, right-size, move data next to
its compute), or change the budget in the same change with the reason.
"""

from __future__ import annotations

from archlint.cost.budgets import UNITS, status
from archlint.finding import Concern, Severity
from archlint.model.economics import PER_1000_REQUESTS, PER_GB, PER_USER
from archlint.rules.base import RuleMeta
from archlint.rules.cost.budgets import budgets, largest, over, the_estimate, usd

META = RuleMeta(
    id="CO012", name="unit-cost-budget-exceeded", title="Cost per user, per 1,000 requests or per GB above budget",
    concern=Concern.COST, severity=Severity.ERROR)

def check(model, options):
    for budget in budgets(model, PER_USER, PER_1000_REQUESTS, PER_GB):
        key, label, _ = UNITS[budget.kind]
        estimate = the_estimate(model)
        found = status(model, estimate, budget)
        if found.actual is None:
            yield over(META, budget, f"the budget per {label} cannot be checked: {found.note}",
                       f"Declare cost.units.{key}.")
        elif found.exceeded:
            yield over(META, budget, f"cost per {label} is {usd(found.actual)} ({usd(estimate.low)} a month for "
                       f"{found.note}), above the budget of {usd(budget.limit)}; largest: {largest(estimate.nodes)}",
                       f"Lower what each {label.split(' ')[-1]} costs, or change cost.budgets.{budget.kind} with the "
                       "reason.")
