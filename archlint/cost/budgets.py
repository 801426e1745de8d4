"""Each budget's actual figure against its limit: what the budget rules judge and `archlint cost` shows."""

from __future__ import annotations

from dataclasses import dataclass

from archlint.catalog.prices import SECONDS_PER_MONTH
from archlint.cost.lines import Estimate, NodeCost
from archlint.model import SystemModel
from archlint.model.economics import (
    INCREASE_PERCENT, INCREASE_USD, PER_1000_REQUESTS, PER_GB, PER_USER, TAG, TEAM, TIER, Budget,
)

#: Unit budgets: kind -> (denominator key, what one unit is, units per budgeted amount).
UNITS = {PER_USER: ("monthly_active_users", "monthly active user", 1.0),
         PER_1000_REQUESTS: ("monthly_requests", "1,000 requests", 1000.0),
         PER_GB: ("monthly_gb_processed", "GB processed", 1.0)}


@dataclass(frozen=True, slots=True)
class Status:
    """A budget, its actual figure (None when it cannot be computed: no denominator, no base) and the members."""

    budget: Budget
    actual: float | None
    high: float | None = None
    members: tuple[NodeCost, ...] = ()
    note: str = ""

    @property
    def exceeded(self) -> bool:
        return self.actual is not None and self.actual > self.budget.limit


def members(estimate: Estimate, budget: Budget) -> list[NodeCost]:
    """The nodes a team, tag or tier budget covers."""
    if budget.kind == TEAM:
        return [n for n in estimate.nodes if n.team == budget.subject]
    if budget.kind == TIER:
        return [n for n in estimate.nodes if n.tier == budget.subject]
    key, _, value = budget.subject.partition("=")
    return [n for n in estimate.nodes if n.labels.get(key) == value]


def denominator(model: SystemModel, key: str) -> tuple[float, str]:
    """The units of work a month, and where the figure comes from (the configuration, else the service graph)."""
    declared = model.economics.units.get(key)
    if declared:
        return declared, "cost.units"
    if key == "monthly_active_users":
        return sum(c.monthly_active_users or 0 for c in model.components()), "the service graph"
    if key == "monthly_requests":
        return sum((c.rps or 0) * SECONDS_PER_MONTH / float(c.attrs.get("peak_to_average") or 1)
                   for c in model.components() if c.entrypoint), "the entrypoints' traffic"
    return 0.0, ""


def status(model: SystemModel, estimate: Estimate, budget: Budget) -> Status:
    if budget.kind in (TEAM, TAG, TIER):
        nodes = members(estimate, budget)
        ids = {n.id for n in nodes}
        transfer = sum(e.usd for e in estimate.edges if e.source in ids)
        return Status(budget, sum(n.low for n in nodes if n.counted) + transfer,
                      sum(n.high for n in nodes if n.counted) + transfer, tuple(nodes),
                      f"data transfer ${transfer:,.2f}" if transfer >= 0.01 else "")
    if budget.kind in UNITS:
        key, _, per = UNITS[budget.kind]
        count, where = denominator(model, key)
        if not count:
            return Status(budget, None, note=f"no {key} in cost.units or the service graph")
        return Status(budget, estimate.low / count * per, estimate.high / count * per, estimate.nodes,
                      f"{count:,.0f} {key.replace('_', ' ')} from {where}")
    if budget.kind in (INCREASE_USD, INCREASE_PERCENT):
        base = model.economics.base
        if base is None:
            return Status(budget, None, note="no base revision (--base REF)")
        increase = estimate.low - base.low
        if budget.kind == INCREASE_USD:
            return Status(budget, increase, note=f"against {base.ref}")
        percent = increase / base.low * 100 if base.low > 0 else (0.0 if increase <= 0 else float("inf"))
        return Status(budget, percent, note=f"against {base.ref}")
    return Status(budget, estimate.low, estimate.high, estimate.nodes)


def statuses(model: SystemModel, estimate: Estimate) -> list[Status]:
    return [status(model, estimate, budget) for budget in model.economics.budgets]
