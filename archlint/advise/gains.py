"""What moving a workload to its recommended infrastructure would gain: milliseconds, data moved and money."""

from __future__ import annotations

from dataclasses import dataclass

from archlint.advise.placement import Placement
from archlint.advise.signals import USER_TO_REGION_MS, Signals
from archlint.catalog import Catalog
from archlint.model import Tier
from archlint.model.locality import CROSS_ZONE, EDGE_TO_CLOUD, ROUND_TRIP_MS, Flow


@dataclass(frozen=True, slots=True)
class Gain:
    """Expected gains of a move, each None when the model does not give what it needs; `notes` say how."""

    latency_ms: float | None = None
    data_gb: float | None = None
    usd_month: float | None = None
    notes: tuple[str, ...] = ()

    def text(self) -> str:
        parts = []
        if self.latency_ms:
            parts.append(f"about {self.latency_ms:,.0f} ms less per request")
        if self.data_gb:
            parts.append(f"{self.data_gb:,.1f} GB a month no longer leaving the region")
        if self.usd_month:
            parts.append(f"about ${self.usd_month:,.0f} a month")
        return "; ".join(parts) if parts else "no figure: the files do not declare the traffic or cost it needs"


def gain(placement: Placement, s: Signals, node_cost: float | None, prices: Catalog, edge_flows: list[Flow]) -> Gain:
    """The gain of moving from the current tier to the recommended one (an empty Gain when it does not move).
    `edge_flows` are the component's flows between the edge and the cloud."""
    if not placement.differs:
        return Gain()
    to, now = placement.recommended.tier, placement.current
    latency = data = money = None
    notes: list[str] = []
    if to is Tier.EDGE and s.interactive and not s.cloud_callees:
        latency = USER_TO_REGION_MS
        notes.append(f"users reach an edge node in a few ms instead of a ~{USER_TO_REGION_MS:g} ms round trip")
    if now is Tier.EDGE and to is not Tier.EDGE:
        crossing = edge_flows
        sync = [f for f in crossing if f.edge.sync and f.edge.source == placement.component.id]
        if sync:
            latency = len(sync) * (ROUND_TRIP_MS[EDGE_TO_CLOUD] - ROUND_TRIP_MS[CROSS_ZONE])
            notes.append(f"{len(sync)} synchronous call{'s' if len(sync) != 1 else ''} per request stop crossing "
                         "from the edge to the region")
        data = sum(f.monthly_gb or 0.0 for f in crossing) or None
        money = sum(f.monthly_usd or 0.0 for f in crossing) or None
    if to is Tier.GRID and node_cost:
        spot = prices.get(placement.component.provider, "spot-factor", "compute") or prices.get(
            "aws", "spot-factor", "compute")
        money = (money or 0.0) + node_cost * (1 - spot.usd)
        notes.append(f"batch-scheduled on spot capacity at {spot.usd:g} of the on-demand price ({spot.source})")
    if now is Tier.AI and not s.accelerator:
        notes.append("no accelerator needed: it frees capacity on the GPU machines for work that needs them")
    return Gain(latency, data, money, tuple(notes))
