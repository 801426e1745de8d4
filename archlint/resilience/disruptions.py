"""The disruptions a model can suffer, enumerated from what it holds, and what each does to every component."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from archlint.model import CONTROL_KINDS, LONG_RUNNING, Component, NodeKind, SystemModel
from archlint.resilience.outages import Outages, zoneless
from archlint.resilience.estimate import UNBOUNDED
from archlint.resilience.recovery import (EPHEMERAL, LOST, ON_NODE, Recovery, data_on, managed_store, routing_object,
                                          swarm)

#: Disruption kinds in the order the matrix lists them.
KINDS = ("zone", "region", "provider", "cluster", "node-pool", "primary", "node", "external", "component")
#: Components no disruption of the infrastructure touches: other people's services, users' devices, controls.
_OUTSIDE = frozenset({NodeKind.EXTERNAL, NodeKind.CLIENT}) | CONTROL_KINDS
#: Kinds whose own failure is a column of the matrix (a bad deploy, a crash loop, a bad migration).
_FAILING = LONG_RUNNING | {NodeKind.FUNCTION, NodeKind.BATCH_JOB, NodeKind.SCHEDULED_JOB, NodeKind.TRAINING_JOB}
ANY = "any"


@dataclass(frozen=True)
class Disruption:
    """One disruption: `kind`, its `subject` (a zone, a region, a component id, ...) and how people say it."""

    kind: str
    subject: str
    label: str
    system: str | None = None
    #: The variant of the component it is about (a disruption of one component); None for the others.
    variant: str | None = None

    @property
    def id(self) -> str:
        return f"{self.kind}={self.subject}"

    @property
    def fold(self) -> str:
        """The id without the variant: the same disruption of the same component in every variant."""
        return f"{self.kind}={self.subject.removesuffix('@' + self.variant)}" if self.variant else self.id

    @property
    def broad(self) -> bool:
        """Hits many components at once (its matrix cells are kept even when a journey survives)."""
        return self.kind in ("zone", "region", "provider", "cluster", "node-pool")


class Disruptions:
    """Enumerates the model's disruptions and computes, for each, the recovery of every component it hits."""

    def __init__(self, model: SystemModel, outages: Outages) -> None:
        self.model = model
        self.outages = outages
        self.placed = [c for c in model.components() if c.kind not in _OUTSIDE and
                       (c.provider or "").lower() != "devices" and not routing_object(c)]
        self.region_of = _regions(self.placed)
        #: Each zone named in the files and the region of the first component placed in it.
        self.zone_region: dict[str, str | None] = {}
        for component in self.placed:
            for zone in component.zones or ():
                self.zone_region.setdefault(zone, self.region_of[component.id])
        #: Caches whose callers keep no other store: what they hold is the data itself (a cart in Redis).
        callers: dict[str, set[str]] = defaultdict(set)
        stores: dict[str, bool] = defaultdict(bool)
        kinds = {c.id: c.kind for c in model.components()}
        for dep in model.dependencies():
            if kinds.get(dep.target) is NodeKind.CACHE:
                callers[dep.target].add(dep.source)
            if kinds.get(dep.target) in (NodeKind.DATASTORE, NodeKind.VECTOR_STORE):
                stores[dep.source] = True
        self.sole_stores = {cache for cache, sources in callers.items() if not any(stores[s] for s in sources)}
        self.replicas_of: dict[str, list[Component]] = defaultdict(list)
        ids = {c.name: c.id for c in model.components()}
        for component in model.components():
            source = component.attrs.get("replica_of")
            if isinstance(source, str) and (source in model or source in ids):
                self.replicas_of[source if source in model else ids[source]].append(component)

    def enumerate(self) -> list[Disruption]:
        found: list[Disruption] = []
        zones = self.zone_region
        with_zones = {self.region_of[c.id] for c in self.placed if c.zones}
        unknown_zone = {self.region_of[c.id] for c in self.placed if not c.zones and not zoneless(c)}
        for zone in sorted(zones):
            region = zones[zone]
            found.append(Disruption("zone", zone, f"zone {zone} lost" + (f" ({region})" if region else "")))
        for region in sorted(unknown_zone - with_zones, key=lambda r: r or ""):
            subject = f"{region}/{ANY}" if region else ANY
            found.append(Disruption("zone", subject, f"one zone of {region} lost" if region else
                                    "one zone lost (the zones are not in the files)"))
        regions = sorted({r for r in self.region_of.values() if r})
        found += [Disruption("region", r, f"region {r} lost") for r in regions]
        if any(r is None for r in self.region_of.values()):
            found.append(Disruption("region", ANY, "the region lost (the region is not in the files)" if not regions
                                    else "the region of the components whose region is not in the files lost"))
        providers = sorted({(c.provider or "").lower() for c in self.placed} - {""})
        if len(providers) >= 2:
            found += [Disruption("provider", p, f"every service of {p} lost") for p in providers]
        found += self._clusters() + self._pools()
        for component in self.model.components():
            found += self._own(component)
        projects = sorted({c.attrs.get("project") for c in self.placed if c.source == "compose" and not swarm(c)}
                          - {None})
        found += [Disruption("node", f"compose:{p}", f"the Docker host of {p} lost") for p in projects]
        order = {kind: i for i, kind in enumerate(KINDS)}
        return sorted(found, key=lambda d: (order[d.kind], d.subject))

    def _own(self, component: Component) -> list[Disruption]:
        """The disruptions of one component: its failure, its node, its primary, or it (an external service)."""
        system, variant = component.system, component.variant
        if component.kind is NodeKind.EXTERNAL:
            return [Disruption("external", component.id, f"{component.name} unavailable", system, variant)]
        if component.kind in _OUTSIDE or component.kind not in _FAILING:
            return []
        found = [Disruption("component", component.id, f"{component.name} fails (bad deploy, crash loop)",
                            system, variant)]
        if managed_store(component):
            found.append(Disruption("primary", component.id, f"{component.name}'s primary instance lost",
                                    system, variant))
        elif component.kind in LONG_RUNNING and (component.source != "compose" or swarm(component)) and \
                not component.attrs.get("managed_redundancy") and not routing_object(component):
            found.append(Disruption("node", component.id, f"a node running {component.name} lost", system, variant))
        return found

    def _clusters(self) -> list[Disruption]:
        systems = sorted({c.system or "" for c in self.placed if c.source == "kubernetes"})
        return [Disruption("cluster", s or "kubernetes", f"the Kubernetes cluster{' of ' + s if s else ''} lost",
                           s or None) for s in systems]

    def _pools(self) -> list[Disruption]:
        pools = sorted({c.attrs["node_pool"][0] for c in self.placed
                        if c.attrs.get("node_pool") and len(c.attrs["node_pool"]) == 1})
        return [Disruption("node-pool", p, f"node pool {p} lost") for p in pools]

    def hits(self, disruption: Disruption) -> dict[str, Recovery]:
        """Component id -> what the disruption does to it, for every component it touches."""
        kind, subject, outages = disruption.kind, disruption.subject, self.outages
        if kind in ("component", "node", "primary", "external") and subject in self.model:
            component = self.model.component(subject)
            recovery = {"component": outages.component, "node": outages.node, "primary": outages.primary,
                        "external": outages.external}[kind](component)
            return {subject: self._volatile(component, recovery, kind)} if recovery is not None else {}
        found: dict[str, Recovery | None] = {}
        if kind == "node":  # a Docker host: every service of its project
            project = subject.removeprefix("compose:")
            found = {c.id: outages.node(c) for c in self.placed if c.source == "compose" and not swarm(c) and
                     c.attrs.get("project") == project}
        elif kind == "zone":
            region, zone = self._zone(subject)
            found = {c.id: outages.zone(c, zone) for c in self.placed if
                     (c.zones is not None and zone is not None and zone in c.zones) or
                     (c.zones is None and self.region_of[c.id] == region)}
        elif kind == "region":
            region = None if subject == ANY else subject
            found = {c.id: outages.region(c, region, [r for r in self.replicas_of.get(c.id, ())
                                                      if self.region_of[r.id] not in (region, None)])
                     for c in self.placed if self.region_of[c.id] == region}
        elif kind == "provider":
            found = {c.id: outages.provider(c, subject) for c in self.placed if (c.provider or "").lower() == subject}
        elif kind == "cluster":
            system = None if disruption.system is None else disruption.system
            found = {c.id: outages.cluster(c, disruption.label.removesuffix(" lost").removeprefix("the "))
                     for c in self.placed if c.source == "kubernetes" and c.system == system
                     and c.kind not in (NodeKind.CLUSTER, NodeKind.NODE_POOL)}
        elif kind == "node-pool":
            found = {c.id: outages.node_pool(c, subject) for c in self.placed if
                     tuple(c.attrs.get("node_pool") or ()) == (subject,)}
        return {k: self._volatile(self.model.component(k), v, kind) for k, v in found.items() if v is not None}

    def _volatile(self, component: Component, recovery: Recovery, kind: str) -> Recovery:
        """A lost pod takes the data on its emptyDir or container filesystem with it (a node its hostPath): the
        data loss is everything, decided at that volume's line. A cache counts when it is the only store its
        callers keep (its data is nowhere else)."""
        found = data_on(component)
        if found is None or recovery.state != LOST or kind in ("external", "primary"):
            return recovery
        on, where, span = found
        if on not in EPHEMERAL and not (on in ON_NODE and kind != "component"):
            return recovery
        if component.kind is NodeKind.CACHE and component.id not in self.sole_stores:
            return recovery
        lost = "the pod" if on in EPHEMERAL else "its node"
        return replace(recovery, rpo=UNBOUNDED, says=f"{recovery.says}; its data is on {where}, lost with {lost}",
                       rpo_span=span or component.span)

    def _zone(self, subject: str) -> tuple[str | None, str | None]:
        """(region, zone) of a zone disruption's subject; zone None for one unnamed zone of the region."""
        if subject == ANY:
            return None, None
        if subject.endswith(f"/{ANY}"):
            return subject.removesuffix(f"/{ANY}"), None
        if subject in self.zone_region:
            return self.zone_region[subject], subject
        return None, subject


def _regions(components: list[Component]) -> dict[str, str | None]:
    """Each component's region: its own, else the only region its provider (or, without a provider, the model)
    has in the files; None when that cannot be told."""
    by_provider: dict[str, set[str]] = defaultdict(set)
    every: set[str] = set()
    for component in components:
        if component.region:
            by_provider[(component.provider or "").lower()].add(component.region)
            every.add(component.region)
    clusters: dict[str | None, set[str]] = defaultdict(set)  # a Kubernetes system runs in one cluster, one region
    for component in components:
        if component.source == "kubernetes" and component.region:
            clusters[component.system].add(component.region)
    found = {}
    for component in components:
        if component.region:
            found[component.id] = component.region
            continue
        if component.source == "kubernetes" and len(clusters.get(component.system, ())) == 1:
            found[component.id] = next(iter(clusters[component.system]))
            continue
        known = by_provider.get((component.provider or "").lower()) if component.provider else every
        found[component.id] = next(iter(known)) if known and len(known) == 1 else None
    return found
