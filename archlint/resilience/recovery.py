"""How a component comes back from a disruption, as its files show it: the mechanism, its documented recovery
time and data loss, and the line that decides it (the `multi_az` attribute, the `replicas` line, the zone pin)."""

from __future__ import annotations

from dataclasses import dataclass

from archlint.catalog.recovery import Figure, FigureTable
from archlint.model import Component, NodeKind, Span
from archlint.resilience.estimate import UNBOUNDED, UNKNOWN, ZERO, Estimate

#: The states a disruption leaves a component in.
LOST, SURVIVES, UNSURE = "lost", "survives", "unknown"

DATABASES = frozenset({"aws_db_instance", "aws_rds_cluster", "google_sql_database_instance",
                       "azurerm_postgresql_flexible_server", "azurerm_mssql_database"})
CACHES = frozenset({"aws_elasticache_replication_group", "aws_elasticache_cluster", "google_redis_instance",
                    "azurerm_redis_cache"})
SINGLE_MACHINES = frozenset({"aws_instance", "google_compute_instance", "azurerm_linux_virtual_machine",
                             "azurerm_windows_virtual_machine"})
#: Groups that span a region's zones unless told otherwise.
REGIONAL_GROUPS = frozenset({"google_compute_region_instance_group_manager"})
STATEFUL_KINDS = frozenset({NodeKind.DATASTORE, NodeKind.VECTOR_STORE, NodeKind.QUEUE})
#: Kubernetes controllers that recreate a lost pod elsewhere.
RESCHEDULED = frozenset({"Deployment", "ReplicaSet", "ReplicationController"})


@dataclass(frozen=True)
class Recovery:
    """What a disruption does to one component and how it recovers. `rpo` is None when no data is at stake."""

    state: str
    mechanism: str
    says: str
    rto: Estimate = UNKNOWN
    rpo: Estimate | None = None
    figures: tuple[Figure, ...] = ()
    span: Span | None = None
    assumptions: tuple[str, ...] = ()
    #: The line that decides the data loss when it is not `span`'s (the emptyDir a store's data is on).
    rpo_span: Span | None = None


#: Where a pod's data lives (the Kubernetes loader's `state.on`) when it does not outlive the pod, or its node.
EPHEMERAL = frozenset({"emptyDir", "memory", "container filesystem", "ephemeral volume"})
ON_NODE = frozenset({"hostPath"})


def data_on(component: Component) -> tuple[str, str, Span | None] | None:
    """(storage kind, how to say it, its line) of the volume under a store's data directory, if the files say."""
    state = component.attrs.get("state")
    if not isinstance(state, dict) or not isinstance(state.get("on"), str):
        return None
    span = component.points.get("state") or state.get("span")  # the loader keeps the volume's line as a point
    return state["on"], str(state.get("where") or state["on"]), span if isinstance(span, Span) else None


def routing_object(component: Component) -> bool:
    """A Kubernetes routing object (an Ingress): the ingress controller serving it is not in the files."""
    return component.source == "kubernetes" and component.kind is NodeKind.GATEWAY and not component.containers


def swarm(component: Component) -> bool:
    """A Compose service deployed as a Swarm stack (`docker-stack.yml`, Docker's own name for stack files): the
    swarm reschedules its tasks on other nodes, where `docker compose` runs everything on one host."""
    import posixpath

    return component.source == "compose" and "stack" in posixpath.basename(component.span.file).lower()


def managed_store(component: Component) -> str | None:
    """The Terraform type of a managed database or cache (the provider runs its failover), else None."""
    kind = component.attrs.get("resource_type")
    return kind if kind in DATABASES or kind in CACHES else None


def stateful(component: Component) -> bool:
    """Holds data a disruption can lose: stores and queues, and StatefulSets (caches are rebuilt from the store)."""
    if component.kind is NodeKind.CACHE:
        return False
    return component.kind in STATEFUL_KINDS or component.workload_kind == "StatefulSet" or data_on(component) is not None


def high_availability(component: Component) -> bool | None:
    """Whether a managed store keeps a standby that takes over (Multi-AZ, REGIONAL, zone-redundant, failover)."""
    attrs = component.attrs
    if component.attrs.get("resource_type") in CACHES and "automatic_failover" in attrs:
        return bool(attrs["automatic_failover"]) or bool(attrs.get("high_availability"))
    value = attrs.get("high_availability")
    return None if value is None else bool(value)


class Mechanisms:
    """Recovery of components per disruption kind, from the figures table (the team's overrides applied)."""

    def __init__(self, table: FigureTable) -> None:
        self.table = table

    def figure(self, mechanism: str, measure: str, provider: str | None) -> Figure | None:
        return self.table.get(mechanism, measure, provider)

    def documented(self, mechanism: str, provider: str | None, says: str, span: Span | None,
                   state: str = LOST, data: bool = True, assumptions: tuple[str, ...] = ()) -> Recovery:
        """A recovery by a mechanism of the table: its RTO row, and its RPO row when the component holds data."""
        rto = self.figure(mechanism, "rto", provider)
        rpo = self.figure(mechanism, "rpo", provider) if data else None
        found = tuple(f for f in (rto, rpo) if f is not None)
        return Recovery(state, mechanism, says, Estimate.of(rto), Estimate.of(rpo) if data else None, found, span,
                        assumptions)

    # ---- a managed store's primary lost ------------------------------------------------------------------

    def primary(self, component: Component) -> Recovery:
        kind, provider = component.attrs["resource_type"], _provider(component)
        span = component.points.get("high_availability") or component.span
        data = stateful(component)
        ha = high_availability(component)
        if kind == "aws_db_instance":
            if ha:
                return self.documented("rds-multi-az-failover", provider, "RDS fails over to its standby in "
                                       "another zone", span, data=data)
            return self._rds_restore(component, span, "a single-AZ instance: restored to a point in time by hand")
        if kind == "aws_rds_cluster":
            if not str(component.attrs.get("engine", "aurora")).startswith("aurora"):
                return self.documented("rds-multi-az-cluster-failover", provider, "the Multi-AZ DB cluster fails "
                                       "over to a reader", span, data=data)
            if (component.replicas or 1) >= 2:
                return self.documented("aurora-replica-failover", provider, "Aurora promotes a replica",
                                       component.replicas_span or span, data=data)
            return self.documented("aurora-instance-recreate", provider, "Aurora recreates its only instance "
                                   "(no replica to promote)", component.replicas_span or span, data=data)
        if kind == "google_sql_database_instance":
            if ha:
                return self.documented("cloudsql-ha-failover", provider, "Cloud SQL fails over to its standby "
                                       "zone", span, data=data)
            recovery = self.documented("cloudsql-host-recovery", provider, "Cloud SQL recovers the zonal instance "
                                       "on another host (no documented duration)", span, data=False)
            return _with_rpo(recovery, ZERO) if data else recovery
        if kind == "azurerm_postgresql_flexible_server":
            if ha:
                return self.documented("azure-postgres-ha-failover", provider, "the flexible server fails over "
                                       "to its standby", span, data=data)
            return Recovery(LOST, "restart", "Azure restarts the server, on another node if it must (no "
                            "documented duration)", UNKNOWN, ZERO if data else None, (), span)
        if kind in CACHES:
            if ha:
                mechanism = "memorystore-ha-failover" if kind == "google_redis_instance" else \
                    "elasticache-multi-az-failover" if kind.startswith("aws_") else "azure-redis-failover"
                recovery = self.documented(mechanism, provider, "the cache fails over to its replica", span,
                                           data=False)
                return recovery if recovery.figures or mechanism != "azure-redis-failover" else Recovery(
                    LOST, mechanism, "the cache fails over to its replica (no documented duration)", UNKNOWN,
                    None, (), span)
            return Recovery(LOST, "replace", "the cache node is replaced and starts empty (no documented "
                            "duration)", UNKNOWN, None, (), span)
        return Recovery(LOST, "provider", "the provider's built-in high availability (no documented duration)",
                        UNKNOWN, ZERO if data else None, (), span)

    def _rds_restore(self, component: Component, span: Span, says: str) -> Recovery:
        provider = _provider(component)
        rto = self.figure("rds-single-az-restore", "rto", provider)
        retention = component.attrs.get("backup_retention_days")
        if retention == 0:
            rpo_figure, rpo = None, UNBOUNDED
            says += "; automated backups are off (backup_retention_period = 0): nothing to restore from"
            span = component.points.get("backup_retention_days", span)
            rto_estimate = UNBOUNDED
        else:
            rpo_figure = self.figure("rds-point-in-time-restore", "rpo", provider)
            rpo, rto_estimate = Estimate.of(rpo_figure), Estimate.of(rto)
        assumed = ("automated backups on (the API's default retention of 1 day)",) if retention is None else ()
        return Recovery(LOST, "rds-single-az-restore", says, rto_estimate,
                        rpo if stateful(component) else None, tuple(f for f in (rto, rpo_figure) if f), span, assumed)

    # ---- one node or instance lost -------------------------------------------------------------------------

    def node(self, component: Component) -> Recovery | None:
        """The node (VM, Kubernetes node, Docker host) running one replica of `component` is lost."""
        kind = component.attrs.get("resource_type")
        span = component.replicas_span or component.span
        count = component.min_replicas
        if routing_object(component):
            return None
        if component.source == "compose" and not swarm(component):
            return Recovery(LOST, "nothing", "a Docker Compose service runs on one host: nothing starts it on "
                            "another", UNBOUNDED, UNBOUNDED if stateful(component) else None, (), span,
                            ("docker compose on a single host, not a Swarm stack",))
        if count is None:
            return Recovery(UNSURE, "unknown", "its replica count is not in the files", UNKNOWN, None, (), span)
        if count >= 2:
            return self.survivor(component, count, span)
        if count == 0:
            return None
        if component.source == "kubernetes":
            return self._pod_lost(component, span)
        if component.source == "compose":  # a Swarm stack: the swarm starts the task on another node
            return Recovery(LOST, "group-replacement", "the swarm starts its task on another node (no documented "
                            "duration)", UNKNOWN, UNBOUNDED if stateful(component) else None, (), span,
                            ("a Swarm stack (its file name says so): the task's volume stays on the lost node",)
                            if stateful(component) else ("a Swarm stack (its file name says so)",))
        if kind in SINGLE_MACHINES:
            return Recovery(LOST, "nothing", "a standalone instance: no group replaces it", UNBOUNDED,
                            UNBOUNDED if stateful(component) else None, (), span)
        if kind is not None:
            return Recovery(LOST, "group-replacement", "its group launches a replacement (launch and start "
                            "time not documented)", UNKNOWN, None, (), span)
        return Recovery(LOST, "unknown", "a single replica; how it is replaced is not in the files", UNKNOWN,
                        None, (), span)

    def survivor(self, component: Component, count: int, span: Span) -> Recovery:
        grace = self.figure("kubernetes-node-unreachable", "rto", None) if component.source == "kubernetes" else None
        says = f"{count - 1} of its {count} replicas keep{'s' if count == 2 else ''} serving"
        if grace is not None:
            says += f" (requests sent to the lost one fail for {Estimate.of(grace).text()}, until its node is " \
                    "marked unreachable)"
        return Recovery(SURVIVES, "replicas", says, ZERO, ZERO if stateful(component) else None,
                        (grace,) if grace else (), span)

    def _pod_lost(self, component: Component, span: Span) -> Recovery:
        controller = component.workload_kind
        data = stateful(component)
        if controller in RESCHEDULED:
            eviction = self.figure("kubernetes-pod-eviction", "rto", None)
            estimate = Estimate.of(eviction)
            rto = Estimate(estimate.low, None) if estimate.known else UNKNOWN  # plus pulling the image and starting
            return Recovery(LOST, "pod-rescheduling", f"its {controller} recreates the pod on a surviving node "
                            "once the lost node's pods are evicted, then it starts", rto, ZERO if data else None,
                            (eviction,) if eviction else (), span)
        if controller == "StatefulSet":
            figure = self.figure("kubernetes-statefulset-node-loss", "rto", None)
            volume = data_on(component) is None and data
            return Recovery(LOST, "kubernetes-statefulset-node-loss", "a StatefulSet pod is not recreated while "
                            "its node is unreachable: the node is deleted or the pod force-deleted by hand",
                            Estimate.of(figure), ZERO if data else None, (figure,) if figure else (), span,
                            ("its data is on a persistent volume that survives the node",) if volume else ())
        if controller == "Pod":
            return Recovery(LOST, "nothing", "a bare Pod: no controller recreates it", UNBOUNDED,
                            UNBOUNDED if data else None, (), span)
        return Recovery(LOST, "unknown", f"a single replica of a {controller}", UNKNOWN, None, (), span)


def _with_rpo(recovery: Recovery, rpo: Estimate) -> Recovery:
    return Recovery(recovery.state, recovery.mechanism, recovery.says, recovery.rto, rpo, recovery.figures,
                    recovery.span, recovery.assumptions)


def _provider(component: Component) -> str | None:
    return (component.provider or "").lower() or None
