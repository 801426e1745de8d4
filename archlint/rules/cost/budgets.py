"""What the budget rules share: the budgets of a kind, the estimate's figures, and a finding at the budget's line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from archlint.cost import Estimate, NodeCost, estimate
from archlint.finding import Finding
from archlint.model import SystemModel
from archlint.model.economics import Budget
from archlint.rules.base import RuleMeta


def budgets(model: SystemModel, *kinds: str) -> Iterator[Budget]:
    yield from (b for b in model.economics.budgets if b.kind in kinds)


def usd(value: float) -> str:
    """Dollars as a bill shows them; below $1 (unit costs) with three significant digits."""
    if abs(value) >= 100:
        return f"${value:,.0f}"
    return f"${value:,.2f}" if abs(value) >= 1 else f"${value:.3g}"


def figure(low: float, high: float) -> str:
    """One figure, or a range when autoscaling bounds differ."""
    return usd(low) if abs(high - low) < 0.005 else f"{usd(low)} to {usd(high)}"


def overrun(value: float, limit: float) -> str:
    """`by $120 (24%)`: how far above the limit, in money and (when the limit is not zero) in percent."""
    share = f" ({(value - limit) / limit:.0%})" if limit > 0 else ""
    return f"by {usd(value - limit)}{share}"


def largest(nodes: Iterable[NodeCost], count: int = 3) -> str:
    """The nodes that cost most, with their share: the first place to look."""
    ranked = sorted((n for n in nodes if n.counted), key=lambda n: (-n.low, n.id))[:count]
    return ", ".join(f"{n.name} {usd(n.low)}" for n in ranked)


def over(meta: RuleMeta, budget: Budget, message: str, fix: str, nodes: Iterable[str] = ()) -> Finding:
    """A finding at the line of the configuration that declares the budget."""
    return Finding(rule=meta.id, message=message, file=budget.file, line=budget.line, fix=fix,
                   key=f"{budget.kind}:{budget.subject}", nodes=tuple(nodes))


def the_estimate(model: SystemModel) -> Estimate:
    return estimate(model)
