"""A team, a tag or a tier costs more a month than its budget.

What it flags: each entry of `cost.budgets.teams`, `cost.budgets.tags` (`key=value`) and `cost.budgets.tiers`
whose nodes cost more a month than the entry allows (the lower end of the autoscaling range). A node's team is its
owner (service graph) or its `team` / `owner` label or tag; data transfer counts on the sending node. The message
names the nodes of that group that cost most.
Why it matters: a company-wide total hides who spends; a budget per team, cost centre or tier (the AI tier's GPUs,
the edge) puts the figure in front of the people who can change it.
How to fix: lower the group's largest contributors, move a node to the team that owns it, or raise that entry of
the budget in the same change.
"""

from __future__ import annotations

from archlint.cost.budgets import status
from archlint.finding import Concern, Severity
from archlint.model.economics import TAG, TEAM, TIER
from archlint.rules.base import RuleMeta
from archlint.rules.cost.budgets import budgets, figure, largest, over, overrun, the_estimate, usd

META = RuleMeta(
    id="CO011", name="group-budget-exceeded", title="A team, tag or tier above its monthly budget",
    concern=Concern.COST, severity=Severity.ERROR)

_WORDS = {TEAM: "team", TAG: "resources tagged", TIER: "tier"}


def check(model, options):
    for budget in budgets(model, TEAM, TAG, TIER):
        found = status(model, the_estimate(model), budget)
        if found.exceeded:
            yield over(META, budget, f"{_WORDS[budget.kind]} {budget.subject} costs {figure(found.actual, found.high)} "
                       f"a month, above its budget of {usd(budget.limit)} {overrun(found.actual, budget.limit)}; "
                       f"largest: {largest(found.members)}" + (f"; {found.note}" if found.note else ""),
                       f"Lower the largest contributors of {budget.subject}, or raise its budget in the same change.",
                       nodes=sorted(n.id for n in found.members))
