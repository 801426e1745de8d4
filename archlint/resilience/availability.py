"""A journey's availability: the product of what it waits for. A dependency with a declared availability counts
with it; one without counts through the zone or region it is confined to (each failure domain once: the
components of one zone fail together), at the provider's published figure for such a deployment."""

from __future__ import annotations

from dataclasses import dataclass

from archlint.catalog.recovery import Figure, FigureTable
from archlint.model import NodeKind, SystemModel
from archlint.resilience.journeys import Journey
from archlint.resilience.recovery import managed_store, routing_object


@dataclass(frozen=True)
class Factor:
    """One term of the product: what it is (a component's SLO, a zone, a region), its availability and source."""

    what: str
    percent: float
    figure: Figure | None = None
    component: str | None = None


@dataclass(frozen=True)
class Availability:
    """The product, its factors (lowest first) and the dependencies that could not be counted."""

    percent: float
    factors: tuple[Factor, ...]
    uncounted: tuple[str, ...]

    def downtime_hours(self) -> float:
        return (1 - self.percent / 100) * 8766


def journey_availability(model: SystemModel, journey: Journey, table: FigureTable) -> Availability | None:
    factors: list[Factor] = []
    domains: dict[tuple, Factor] = {}
    uncounted: list[str] = []
    for node_id in journey.required():
        component = model.component(node_id)
        if component.kind is NodeKind.CLIENT or (routing_object(component) and component.availability is None):
            continue  # the users' devices; an ingress controller that is not in the files
        if component.availability is not None:
            factors.append(Factor(f"{component.name} {component.availability:g}% (declared)", component.availability,
                                  None, component.id))
            continue
        provider = (component.provider or "").lower() or None
        zones = component.zones
        if component.attrs.get("managed_redundancy") or (zones is not None and len(zones) >= 2) or \
                component.attrs.get("high_availability"):
            key, mechanism, what = ("region", provider, component.region), "multi-zone", \
                f"region {component.region}" if component.region else None
        elif zones is not None and len(zones) == 1 or component.min_replicas == 1 or (
                managed_store(component) and component.attrs.get("high_availability") is False):
            zone = zones[0] if zones else None
            key, mechanism, what = ("zone", provider, zone or component.id), "single-instance", \
                f"zone {zone}" if zone else f"{component.name}'s zone"
        else:
            uncounted.append(component.name)
            continue
        figure = table.get(mechanism, "availability", provider) if provider else None
        if figure is None or figure.low is None or what is None:
            uncounted.append(component.name)
            continue
        label = "multi-zone deployment" if mechanism == "multi-zone" else "single-zone deployment"
        domains.setdefault(key, Factor(f"{what} ({label}, {provider} SLA {figure.low:g}%)", figure.low, figure,
                                       component.id))
    factors += domains.values()
    if not factors:
        return None
    combined = 1.0
    for factor in factors:
        combined *= factor.percent / 100
    ordered = tuple(sorted(factors, key=lambda f: (f.percent, f.what)))
    return Availability(combined * 100, ordered, tuple(sorted(set(uncounted))))
