"""What the data-gravity rules share: latency options, fixed-decimal wording of figures, and the saving of a move."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from archlint.model import Component, NodeKind, SystemModel
from archlint.model.locality import (
    BANDWIDTH_MBPS, CROSS_PROVIDER, CROSS_REGION, INTERNET, REMOTE, ROUND_TRIP_MS, Flow, carries_data, continent, flow,
    is_edge, sender,
)
from archlint.model.units import format_bytes

#: Options of the rules that talk milliseconds; a configured `round_trip_ms` overrides only the classes it names.
LATENCY_OPTIONS: dict[str, Any] = {"round_trip_ms": dict(ROUND_TRIP_MS), "bandwidth_mbps": BANDWIDTH_MBPS}
LATENCY_SCHEMA: dict[str, Any] = {
    "round_trip_ms": {"type": "object", "additionalProperties": False,
                      "properties": {key: {"type": "number", "minimum": 0} for key in ROUND_TRIP_MS}},
    "bandwidth_mbps": {"type": "number", "exclusiveMinimum": 0}}

#: Where data lives: the heavy end that compute should sit next to, never the one to move.
STORES = frozenset({NodeKind.DATASTORE, NodeKind.VECTOR_STORE, NodeKind.CACHE})
#: Components that can run elsewhere without moving data: the candidates of "move the compute to the data".
COMPUTE = frozenset({NodeKind.SERVICE, NodeKind.WORKER, NodeKind.FUNCTION, NodeKind.BATCH_JOB, NodeKind.SCHEDULED_JOB,
                     NodeKind.TRAINING_JOB, NodeKind.MODEL_SERVING})
CROSSES = {CROSS_REGION: "crosses regions", CROSS_PROVIDER: "crosses providers", INTERNET: "goes over the internet"}


def table(options: Mapping[str, Any]) -> dict[str, float]:
    return {**ROUND_TRIP_MS, **(options.get("round_trip_ms") or {})}


def flow_of(model: SystemModel, dep, options: Mapping[str, Any]) -> Flow:
    return flow(dep, model.component(dep.source), model.component(dep.target), table(options),
                options.get("bandwidth_mbps", BANDWIDTH_MBPS))


def gb(value: float) -> str:
    return f"{value:,.1f} GB"


def usd(value: float) -> str:
    return f"${value:,.2f}"


def ms(value: float) -> str:
    return f"{value:,.1f} ms"


def size(value: float) -> str:
    return format_bytes(value)


def share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%"


def place(component: Component) -> str:
    """`aws eu-west-1`, as far as the model knows it."""
    return " ".join(part for part in (component.provider, component.region) if part) or "unknown location"


def span_of_regions(a: Component, b: Component) -> str:
    """` (Europe to North America)` when the region names tell two continents, else nothing."""
    here, there = continent(a.region), continent(b.region)
    if here and there and here != there:
        return f" ({here.replace('-', ' ').title()} to {there.replace('-', ' ').title()})"
    return ""


def cost_text(figures: Flow, model: SystemModel) -> str:
    """`$24.35/month at $0.020/GB (aws cross-region price for bytes leaving postgres; source, date)`."""
    if figures.monthly_usd is None or figures.price is None:
        return "no price: the catalog has none for where the bytes leave"
    dep = figures.edge
    leaving = sender(dep, model.component(dep.source), model.component(dep.target))[0]
    price = figures.price
    part = f" on the {figures.billed_share:.1%} that crosses zones" if figures.billed_share < 1 else ""
    return (f"{usd(figures.monthly_usd)}/month at ${price.usd:.3f}/GB{part} ({price.provider} {price.item} price for "
            f"bytes leaving {leaving.name}; {price.source}, {price.date})")


def slo_text(added_ms: float, component: Component) -> str:
    """`20.4% of eta-predictor's 400 ms latency SLO`, or that it declares none."""
    if not component.latency_ms:
        return f"{component.name} declares no latency SLO"
    return f"{share(added_ms, component.latency_ms)} of {component.name}'s {component.latency_ms:g} ms latency SLO"


def movable(component: Component) -> bool:
    return component.kind in COMPUTE and not is_edge(component) and bool(component.provider and component.region)


def hosts_compute(component: Component) -> bool:
    """A place compute can move next to: a located cloud component, not a third party's service nor a user's device."""
    return component.kind not in (NodeKind.EXTERNAL, NodeKind.CLIENT) and not is_edge(component) and bool(
        component.provider and component.region)


@dataclass(frozen=True, slots=True)
class Move:
    """What moving `node` next to `to` does to its traffic that crosses regions or providers (a month)."""

    node: Component
    to: Component
    removed_gb: float
    saved_usd: float
    counted: int
    unknown: int

    def text(self) -> str:
        saving = f" and saves {usd(self.saved_usd)}/month" if self.saved_usd > 0 else ""
        counted = f"{self.counted} flow{'s' if self.counted != 1 else ''}"
        others = f"; {self.unknown} more declare no volume" if self.unknown else ""
        return (f"moving {self.node.name} to {place(self.to)}, next to {self.to.name}, removes "
                f"{gb(self.removed_gb)}/month crossing regions or providers{saving} (net, over its {counted} with a "
                f"declared volume{others})")


def move(model: SystemModel, node: Component, to: Component, options: Mapping[str, Any]) -> Move:
    """Re-classify every flow of `node` as if it ran where `to` runs.

    Only traffic that leaves a region is counted: charges between zones of one region are left out."""
    moved = replace(node, provider=to.provider, region=to.region, zones=to.zones)
    removed = saved = 0.0
    counted = unknown = 0
    rtt, bandwidth = table(options), options.get("bandwidth_mbps", BANDWIDTH_MBPS)
    for dep in model.outgoing(node.id) + model.incoming(node.id):
        if dep.source == dep.target or not carries_data(dep):
            continue
        caller, callee = model.component(dep.source), model.component(dep.target)
        before = flow(dep, caller, callee, rtt, bandwidth)
        if before.monthly_gb is None:
            unknown += 1
            continue
        after = flow(dep, moved if caller is node else caller, moved if callee is node else callee, rtt, bandwidth)
        counted += 1
        removed += _remote(before, "monthly_gb") - _remote(after, "monthly_gb")
        saved += _remote(before, "monthly_usd") - _remote(after, "monthly_usd")
    return Move(node, to, removed, saved, counted, unknown)


def _remote(figures: Flow, attribute: str) -> float:
    value = getattr(figures, attribute)
    return value if figures.transfer_class in REMOTE and value is not None else 0.0
