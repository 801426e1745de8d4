"""The estimated monthly cost of the whole system is above the monthly budget.

What it flags: `cost.budgets.monthly` in `.archlint.yaml` when the estimate (the lower end of the autoscaling
range: what the system costs at least) is above it. The message gives the estimate (a range up to the autoscalers'
maximum), the budget, the overrun and the nodes that cost most. Nodes archlint could not price are listed by
`archlint cost` and are not in the figure.
Why it matters: a change that adds a GPU node group, a replica count or a cross-region flow moves the bill by
more than a reviewer can see in the diff; a budget that fails the build makes the money visible where the change
is made.
How to fix: bring the largest contributors down (right-size requests, scale to zero, move data next to its
compute), or raise the budget in the same pull request so that the decision is reviewed.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model.economics import MONTHLY
from archlint.rules.base import RuleMeta
from archlint.rules.cost.budgets import budgets, figure, largest, over, overrun, the_estimate, usd

META = RuleMeta(
    id="CO010", name="monthly-budget-exceeded", title="Estimated monthly cost above the monthly budget",
    concern=Concern.COST, severity=Severity.ERROR)


def check(model, options):
    for budget in budgets(model, MONTHLY):
        estimate = the_estimate(model)
        if estimate.low > budget.limit:
            yield over(META, budget, f"estimated monthly cost {figure(estimate.low, estimate.high)} is above the "
                       f"budget of {usd(budget.limit)} {overrun(estimate.low, budget.limit)}; largest: {largest(estimate.nodes)}",
                       "Lower the largest contributors, or raise cost.budgets.monthly in the same change.")
