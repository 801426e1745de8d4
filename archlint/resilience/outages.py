"""Recovery from the larger disruptions: a zone, a region, a provider, a cluster or node pool, an external
service, and a component's own failure (a bad deploy, a crash loop)."""

from __future__ import annotations

from archlint.model import Component, NodeKind, Tier
from archlint.resilience.estimate import UNBOUNDED, UNKNOWN, ZERO, Estimate
from archlint.resilience.recovery import (LOST, REGIONAL_GROUPS, RESCHEDULED, SINGLE_MACHINES, SURVIVES, UNSURE,
                                          Mechanisms, Recovery, data_on, high_availability, managed_store,
                                          routing_object, stateful, swarm)

ZONE_KEY = "topology.kubernetes.io/zone"
_LEGACY_ZONE_KEY = "failure-domain.beta.kubernetes.io/zone"


def zoneless(component: Component) -> bool:
    """A zone outage does not touch it: a regional managed service or an edge function (the provider runs them in
    many zones or locations), or an Ingress (its controller is not in the files)."""
    return bool(component.attrs.get("managed_redundancy")) or routing_object(component) or (
        component.tier is Tier.EDGE and component.kind is NodeKind.FUNCTION)


class Outages(Mechanisms):
    """`Mechanisms` for every disruption kind."""

    def component(self, component: Component) -> Recovery:
        figure = self.figure("rollback", "rto", None)
        return Recovery(LOST, "rollback", "a bad deploy or a crash loop stops every replica at once; it is rolled "
                        "back by hand (detection and rollback time are not in the files: set a `rollback` figure "
                        "in resilience.figures)", Estimate.of(figure), None, (figure,) if figure else (),
                        component.span)

    def external(self, component: Component) -> Recovery:
        return Recovery(LOST, "external", "a service outside the system: its recovery is its provider's",
                        UNKNOWN, None, (), component.span)

    def zone(self, component: Component, zone: str | None) -> Recovery | None:
        """`component` in the zone that is lost (`zone` None: one zone, not named, of its region)."""
        if zoneless(component):
            return None
        zones = component.zones
        where = f"zone {zone}" if zone and zones is not None else "its zone"
        confined = zones is not None and len(zones) == 1
        assumed = () if zones is not None else (f"it runs in {where} (its zone is not in the files)",)
        span = component.points.get("location") or component.points.get("zones") or component.at("affinity")
        if managed_store(component):
            return self._store_zone(component, where, assumed)
        if component.source == "compose" and not swarm(component):
            return Recovery(LOST, "nothing", "a Docker Compose service runs on one host, in one zone", UNBOUNDED,
                            UNBOUNDED if stateful(component) else None, (), component.span,
                            (f"its host is in {where}",))
        if zones is not None and not confined:
            count = component.min_replicas
            return self.survivor(component, count, component.replicas_span or span) if count and count >= 2 else \
                Recovery(LOST, "relaunch", f"its zones include {where}; a replacement is started in another of "
                         "them (start time not documented)", UNKNOWN, None, (), span)
        if component.attrs.get("resource_type"):
            return self._machines_zone(component, where, confined, span, assumed)
        if component.source == "kubernetes":
            return self._pods_zone(component, where, confined, span, assumed)
        if confined:
            data = stateful(component)
            return Recovery(LOST, "nothing", f"every replica runs in {where}; nothing in the files recovers it "
                            "elsewhere", UNBOUNDED if data else UNKNOWN, UNBOUNDED if data else None, (), span,
                            (f"no copy of its data outside {where}",) if data else ())
        count = component.min_replicas
        if count == 1:
            return Recovery(LOST, "unknown", "a single replica; where it would restart is not in the files",
                            UNKNOWN, UNBOUNDED if stateful(component) else None, (), component.replicas_span or
                            component.span, assumed)
        return Recovery(UNSURE, "unknown", "whether its replicas are in several zones is not in the files",
                        UNKNOWN, None, (), span)

    def _store_zone(self, component: Component, where: str, assumed: tuple[str, ...]) -> Recovery:
        kind = component.attrs["resource_type"]
        if high_availability(component) or (kind == "aws_rds_cluster" and (component.replicas or 1) >= 2):
            recovery = self.primary(component)
            extra = (f"its primary runs in {where}",) if assumed else ()
            return Recovery(recovery.state, recovery.mechanism, recovery.says, recovery.rto, recovery.rpo,
                            recovery.figures, recovery.span, recovery.assumptions + extra)
        span = component.points.get("high_availability") or component.span
        data = stateful(component)
        if kind == "aws_db_instance":
            recovery = self._rds_restore(component, span, f"a single-AZ instance in {where}: restored to a point "
                                         "in time into another zone by hand")
            return Recovery(LOST, recovery.mechanism, recovery.says, recovery.rto, recovery.rpo, recovery.figures,
                            recovery.span, recovery.assumptions + assumed)
        if kind == "google_sql_database_instance":
            recovery = self.documented("cloudsql-zonal-restore", "gcp", f"a zonal instance in {where}: restored "
                                       "by hand into a healthy zone", span, data=False, assumptions=assumed)
            return Recovery(LOST, recovery.mechanism, recovery.says, recovery.rto, UNKNOWN if data else None,
                            recovery.figures, span, assumed)
        if kind == "azurerm_postgresql_flexible_server":
            return self.documented("azure-postgres-restore", "azure", "no standby: restored to a point in time "
                                   "into another zone", span, data=data, assumptions=assumed)
        if kind == "aws_rds_cluster":
            return Recovery(LOST, "aurora-instance-recreate", f"Aurora's only instance is in {where}; its storage "
                            "spans zones, a new instance must be created (no documented duration for a zone outage)",
                            UNKNOWN, ZERO if data else None, (), component.replicas_span or span, assumed)
        return Recovery(LOST, "nothing", f"no replica outside {where}: it is back when the zone is (the cache "
                        "starts empty)" if component.kind is NodeKind.CACHE else f"no standby outside {where}",
                        UNBOUNDED if data else UNKNOWN, UNBOUNDED if data else None, (), span, assumed)

    def _machines_zone(self, component: Component, where: str, confined: bool, span, assumed) -> Recovery:
        kind = component.attrs["resource_type"]
        count = component.min_replicas
        if confined:
            says = "a standalone instance" if kind in SINGLE_MACHINES else "every instance of the group"
            return Recovery(LOST, "nothing", f"{says} is in {where}: it cannot be launched outside its zone",
                            UNBOUNDED, UNBOUNDED if stateful(component) else None, (), span)
        if kind in REGIONAL_GROUPS:
            return self.survivor(component, count or 2, component.replicas_span or component.span)
        subnets = component.attrs.get("subnet_count")
        if subnets == 1:
            return Recovery(LOST, "nothing", f"one subnet, so one zone ({where}): it cannot be launched elsewhere",
                            UNBOUNDED, None, (), component.points.get("subnet_count", span), assumed)
        if isinstance(subnets, int) and subnets >= 2 and count and count >= 2:
            recovery = self.survivor(component, count, component.replicas_span or span)
            return Recovery(recovery.state, recovery.mechanism, recovery.says, recovery.rto, recovery.rpo,
                            recovery.figures, recovery.span, (f"its {subnets} subnets are in different zones",))
        if count == 1 or kind in SINGLE_MACHINES:
            if kind in SINGLE_MACHINES:
                return Recovery(LOST, "nothing", "a standalone instance: nothing launches it in another zone",
                                UNBOUNDED, UNBOUNDED if stateful(component) else None, (), component.span, assumed)
            return Recovery(LOST, "group-replacement", "its group launches a replacement in another of its zones, "
                            "if it has one (not in the files)", UNKNOWN, None, (), component.replicas_span or span,
                            assumed)
        return Recovery(UNSURE, "unknown", "its zones are not in the files", UNKNOWN, None, (), span)

    def _pods_zone(self, component: Component, where: str, confined: bool, span, assumed) -> Recovery:
        count = component.min_replicas
        data = stateful(component)
        pinned = component.attrs.get("pinned_zones")
        if confined and pinned:
            return Recovery(LOST, "nothing", f"pinned to {where} by its node selector or affinity: not scheduled "
                            "anywhere else", UNBOUNDED, UNBOUNDED if data else None, (),
                            component.points.get("node_selector") or component.at("affinity"))
        volatile = data_on(component)
        if component.workload_kind == "StatefulSet" and (confined or count == 1) and (
                volatile is None or volatile[0] in ("persistent volume", "volume claim template")):
            return Recovery(LOST, "nothing", f"its volume is block storage in {where}: the pod cannot start in "
                            "another zone, and no copy of its data is outside it", UNBOUNDED,
                            UNBOUNDED if data else None, (), span if confined else component.replicas_span or span,
                            assumed + ("its data is on a zonal persistent volume (EBS, Persistent Disk, Azure Disk)",))
        if component.workload_kind == "StatefulSet" and (confined or count == 1):  # its data dies with the pod
            figure = self.figure("kubernetes-statefulset-node-loss", "rto", None)
            return Recovery(LOST, "kubernetes-statefulset-node-loss", f"its node is unreachable with {where}, and a "
                            "StatefulSet pod is not recreated until a person force-deletes it (or the zone returns)",
                            UNBOUNDED, UNBOUNDED if data else None, (figure,) if figure else (),
                            span if confined else component.replicas_span or span, assumed)
        if confined or count == 1:
            if component.workload_kind in RESCHEDULED:
                recovery = self._pod_lost(component, component.replicas_span or span)
                return Recovery(LOST, recovery.mechanism, recovery.says.replace("a surviving node", "a node in "
                                "another zone"), recovery.rto, recovery.rpo, recovery.figures, recovery.span,
                                assumed + ("it is not pinned to the zone and the cluster has room in another one",))
            if component.workload_kind == "Pod":
                return Recovery(LOST, "nothing", "a bare Pod: no controller recreates it", UNBOUNDED,
                                UNBOUNDED if data else None, (), component.span, assumed)
            return Recovery(LOST, "unknown", f"a single {component.workload_kind} replica in {where}", UNKNOWN,
                            None, (), component.replicas_span or span, assumed)
        if count is None:
            return Recovery(UNSURE, "unknown", "its replica count is not in the files", UNKNOWN, None, (), span)
        recovery = self.survivor(component, count, component.replicas_span or span)
        spread = set(component.attrs.get("topology_spread") or ())
        if spread & {ZONE_KEY, _LEGACY_ZONE_KEY}:
            return recovery
        return Recovery(SURVIVES, recovery.mechanism, recovery.says, recovery.rto, recovery.rpo, recovery.figures,
                        recovery.span, ("its replicas are in several zones: the default scheduler spreads them as a "
                                        "preference, not a guarantee (no topologySpreadConstraints on "
                                        f"{ZONE_KEY})",))

    def region(self, component: Component, region: str | None, replicas: list[Component]) -> Recovery:
        """`component` in the region that is lost; `replicas` are its read replicas in other regions."""
        where = f"region {region}" if region else "its region"
        data = stateful(component) or bool(component.attrs.get("managed_redundancy") and
                                           component.kind is NodeKind.DATASTORE)
        if replicas:
            replica = replicas[0]
            provider = (component.provider or "").lower() or None
            mechanism = "azure-postgres-replica-promotion" if provider == "azure" else "replica-promotion"
            recovery = self.documented(mechanism, provider, f"its read replica {replica.name} in "
                                       f"{replica.region or 'another region'} is promoted by hand", replica.span,
                                       data=data)
            rpo = recovery.rpo if recovery.rpo is not None and recovery.rpo.known else (
                Estimate(0.0, None) if data else None)
            return Recovery(LOST, mechanism, recovery.says, recovery.rto, rpo, recovery.figures, replica.span)
        if data:
            return Recovery(LOST, "nothing", f"no copy of its data outside {where} in the files", UNBOUNDED,
                            UNBOUNDED, (), component.points.get("location") or component.span)
        if component.source == "compose" and not swarm(component):
            return Recovery(LOST, "nothing", "a Docker Compose service runs on one host: nothing starts it in "
                            "another region", UNBOUNDED, None, (), component.span)
        if component.attrs.get("resource_type") or component.source == "kubernetes":
            return self.documented("backup-and-restore", None, f"rebuilt in another region from its "
                                   f"{'manifests' if component.source == 'kubernetes' else 'infrastructure as code'}",
                                   component.span, data=False)
        return Recovery(LOST, "unknown", "how it would be rebuilt in another region is not in the files", UNKNOWN,
                        None, (), component.points.get("location") or component.span)

    def provider(self, component: Component, provider: str) -> Recovery:
        data = stateful(component)
        return Recovery(LOST, "nothing", f"nothing in the files runs it outside {provider}", UNBOUNDED,
                        UNBOUNDED if data else None, (), component.points.get("location") or component.span)

    def cluster(self, component: Component, cluster: str) -> Recovery:
        if stateful(component):
            return Recovery(LOST, "unknown", "its volumes are attached to a new cluster by hand (no documented "
                            "duration)", UNKNOWN, UNKNOWN, (), component.span)
        return self.documented("backup-and-restore", None, "a new cluster is built and the manifests applied "
                               "again", component.span, data=False)

    def node_pool(self, component: Component, pool: str) -> Recovery:
        return Recovery(LOST, "unknown", f"pinned to node pool {pool}: not scheduled elsewhere until the pool is "
                        "replaced (no documented duration)", UNKNOWN, None, (),
                        component.points.get("node_selector") or component.at("affinity")
                        if component.kind is not NodeKind.NODE_POOL else component.span)
