"""The values of an estimate: a line (quantity x unit price), a node's cost, an edge's transfer, the whole."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Line:
    """One priced part of a node: `formula` says quantity x unit price; low..high spans autoscaling bounds.

    `fallback` is True when the price came from the unit rates because the catalog has no row for the type."""

    what: str
    formula: str
    low: float
    high: float
    sources: tuple[str, ...] = ()
    fallback: bool = False


@dataclass(frozen=True)
class NodeCost:
    """A component's monthly cost. `unpriced` says why there is no figure (never a silent zero); `within` names
    the node pool whose bill already holds this workload (shown, not added to the total)."""

    id: str
    name: str
    kind: str
    tier: str
    provider: str
    team: str
    file: str
    line: int
    labels: dict[str, str] = field(default_factory=dict)
    lines: tuple[Line, ...] = ()
    unpriced: str = ""
    within: str = ""

    @property
    def low(self) -> float:
        return sum(line.low for line in self.lines)

    @property
    def high(self) -> float:
        return sum(line.high for line in self.lines)

    @property
    def counted(self) -> bool:
        """Part of the total: priced and not already inside a node pool's price."""
        return not self.within and bool(self.lines)

    @property
    def fallback(self) -> bool:
        return any(line.fallback for line in self.lines)


@dataclass(frozen=True, slots=True)
class EdgeCost:
    """Data moved along one edge in a month and what leaving the sender costs."""

    source: str
    target: str
    transfer_class: str
    monthly_gb: float
    usd: float
    price_source: str
    file: str
    line: int


@dataclass(frozen=True)
class Estimate:
    """Nodes (largest first), data-transfer edges (largest first), totals and the catalog's date."""

    nodes: tuple[NodeCost, ...]
    edges: tuple[EdgeCost, ...]
    catalog_date: str
    overridden: bool = False

    @property
    def low(self) -> float:
        return sum(n.low for n in self.nodes if n.counted) + self.transfer

    @property
    def high(self) -> float:
        return sum(n.high for n in self.nodes if n.counted) + self.transfer

    @property
    def transfer(self) -> float:
        return sum(e.usd for e in self.edges)

    def by(self, attribute: str) -> dict[str, tuple[float, float]]:
        """Monthly (low, high) per team, tier or provider, transfer counted on the sending node's group."""
        groups: dict[str, tuple[float, float]] = {}
        owners = {n.id: getattr(n, attribute) for n in self.nodes}
        for node in self.nodes:
            if node.counted:
                low, high = groups.get(getattr(node, attribute), (0.0, 0.0))
                groups[getattr(node, attribute)] = (low + node.low, high + node.high)
        for edge in self.edges:
            key = owners.get(edge.source, "unallocated")
            low, high = groups.get(key, (0.0, 0.0))
            groups[key] = (low + edge.usd, high + edge.usd)
        return dict(sorted(groups.items(), key=lambda kv: (-kv[1][1], kv[0])))

    def node(self, node_id: str) -> NodeCost | None:
        return next((n for n in self.nodes if n.id == node_id), None)
