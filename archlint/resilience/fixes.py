"""The changes that would bring a component's recovery within a policy, each with its documented figures and what
it adds to the monthly bill (from the cost estimate, at the team's prices)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from archlint.catalog.recovery import Figure
from archlint.model import Component, NodeKind, Span, SystemModel
from archlint.model.resilience import Objective
from archlint.resilience.estimate import UNKNOWN, ZERO, Estimate
from archlint.resilience.outages import Outages
from archlint.resilience.recovery import (CACHES, EPHEMERAL, ON_NODE, RESCHEDULED, SINGLE_MACHINES, data_on,
                                          stateful)

GIB = 2**30
#: Managed engines a self-run database's image maps to, and the RDS engine name.
_ENGINES = {"postgres": "postgres", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mariadb"}
_RDS_SIZES = ((2, "large"), (4, "xlarge"), (8, "2xlarge"), (16, "4xlarge"), (32, "8xlarge"), (64, "16xlarge"))


@dataclass(frozen=True)
class Fix:
    """A change, the recovery it gives for the disruption, and the monthly cost it adds (None: not priced)."""

    change: str
    rto: Estimate
    rpo: Estimate | None
    usd: float | None
    cost: str
    figures: tuple[Figure, ...] = ()
    span: Span | None = None

    def meets(self, objective: Objective | None) -> bool | None:
        """True when the documented figures are within the objective, None when they cannot tell."""
        if objective is None:
            return None
        verdicts = []
        if objective.rto is not None:
            verdicts.append(self.rto.exceeds(objective.rto))
        if objective.rpo is not None:  # a change that says nothing of the data cannot be shown to keep it
            verdicts.append(self.rpo.exceeds(objective.rpo) if self.rpo is not None else None)
        if any(v is True for v in verdicts):
            return False
        return None if any(v is None for v in verdicts) else True

    def text(self) -> str:
        money = f"+${self.usd:,.0f}/month" if self.usd is not None else "cost not estimated"
        return f"{self.change} ({money}: {self.cost}; recovery {self.rto.text()})"


class Fixes:
    """Options per component and disruption kind; the cost estimate is computed once, when first needed."""

    def __init__(self, model: SystemModel, outages: Outages) -> None:
        self.model, self.outages = model, outages
        self._costs: dict | None = None

    def best(self, component: Component, kind: str, objective: Objective | None) -> tuple[Fix | None, bool | None]:
        """The cheapest option that meets `objective` (priced before unpriced), else the one with the best
        documented figures; and whether it meets the objective."""
        options = self.options(component, kind)
        if not options:
            return None, None
        meeting = [f for f in options if f.meets(objective) is True]
        if meeting:
            return min(meeting, key=lambda f: (f.usd is None, f.usd or 0.0)), True
        chosen = min(options, key=lambda f: (-f.rto.rank()[0], f.rto.rank()[1] if f.rto.known else float("inf"),
                                            f.usd is None, f.usd or 0.0))
        return chosen, chosen.meets(objective)

    def options(self, component: Component, kind: str) -> list[Fix]:
        resource = component.attrs.get("resource_type")
        if kind in ("component", "external"):
            return [Fix("make the journey survive it: call it asynchronously or with a fallback (a cache, a "
                        "default answer)", UNKNOWN, None, None, "a change of the callers' code")]
        if kind == "region":
            return self._region(component)
        if kind == "provider":
            return [Fix("run a copy at another provider", UNKNOWN, None, *self._whole(component))]
        if kind == "cluster":
            return [Fix("a second cluster with the same manifests and traffic failover between them", UNKNOWN, None,
                        None, "a second cluster's nodes are not priced here")]
        if kind == "node-pool":
            return [Fix("let it schedule on two node pools (list both in its node affinity)", ZERO, None, 0.0,
                        "the same nodes", span=component.at("affinity"))]
        if resource in CACHES or resource in ("aws_db_instance", "aws_rds_cluster", "google_sql_database_instance",
                                              "azurerm_postgresql_flexible_server"):
            return self._store(component, resource)
        if component.source == "compose":
            return [Fix("run it where a failed machine is replaced (Kubernetes, ECS, a Swarm of several hosts) "
                        "with 2 replicas", ZERO, None, None, "the platform is not priced here")]
        volatile = data_on(component)
        if volatile is not None and (volatile[0] in EPHEMERAL or volatile[0] in ON_NODE):
            # replicas of a store are no redundancy without replication: not offered
            return self._persistent(component, kind, volatile) + (
                self._self_run_store(component) if component.kind in (NodeKind.DATASTORE, NodeKind.VECTOR_STORE)
                else [])
        if component.source == "kubernetes" and component.workload_kind == "StatefulSet" and stateful(component):
            return self._self_run_store(component)
        return self._replicas(component, kind, resource)

    def _persistent(self, component: Component, kind: str, volatile) -> list[Fix]:
        """Data on storage that dies with the pod (or its node): a persistent volume keeps it through both."""
        on, where, span = volatile
        rpo = ZERO if kind in ("component", "node", "node-pool") else None
        return [Fix(f"keep its data on a PersistentVolumeClaim (a StatefulSet's volume claim template) instead of "
                    f"{where}", UNKNOWN, rpo, None, "the volume's storage (its size is not priced here)", (),
                    span or component.span)]

    # ---- the options -------------------------------------------------------------------------------------

    def _store(self, component: Component, resource: str) -> list[Fix]:
        provider = (component.provider or "").lower() or None
        span = component.points.get("high_availability") or component.span
        usd, cost = self._whole(component)
        if resource == "aws_db_instance":
            return [self._fix("set multi_az = true: a synchronous standby in another zone", "rds-multi-az-failover",
                              provider, usd, "the standby doubles the instance and its storage" if usd is not None
                              else cost, span)]
        if resource == "aws_rds_cluster":
            each, how = self._per_replica(component)
            return [self._fix("add an aws_rds_cluster_instance in another zone: an Aurora replica to promote",
                              "aurora-replica-failover", provider, each, how, span)]
        if resource == "google_sql_database_instance":
            return [self._fix('set settings.availability_type = "REGIONAL": a standby in a second zone',
                              "cloudsql-ha-failover", provider, usd, "high availability is charged at double the "
                              "price" if usd is not None else cost, span)]
        if resource == "azurerm_postgresql_flexible_server":
            return [self._fix('add high_availability { mode = "ZoneRedundant" }: a standby in another zone',
                              "azure-postgres-ha-failover", provider, usd, "the standby costs as much as the server"
                              if usd is not None else cost, span)]
        if resource == "google_redis_instance":
            return [self._fix('set tier = "STANDARD_HA": a replica that takes over', "memorystore-ha-failover",
                              provider, *self._memorystore(component), span)]
        if resource == "aws_elasticache_cluster":
            each, how = self._per_replica(component)
            return [self._fix("an aws_elasticache_replication_group with a replica, automatic_failover_enabled and "
                              "multi_az_enabled", "elasticache-multi-az-failover", provider, each, how, span)]
        if resource == "aws_elasticache_replication_group":
            nodes = component.replicas or 1
            each, how = self._per_replica(component)
            usd, how = (0.0, "its replicas are already paid for") if nodes >= 2 else (each, how)
            return [self._fix("set automatic_failover_enabled = true and multi_az_enabled = true" +
                              ("" if nodes >= 2 else " with a replica (num_cache_clusters = 2)"),
                              "elasticache-multi-az-failover", provider, usd, how, span)]
        each, how = self._per_replica(component)
        return [Fix("a replica that takes over (a higher tier)", UNKNOWN, None, each, how, (), span)]

    def _self_run_store(self, component: Component) -> list[Fix]:
        """A database run in a pod: a managed one with a standby, or a replica managed by an operator."""
        each, how = self._per_replica(component)
        found = [Fix("a second replica in another zone with streaming replication and automatic failover (an "
                     "operator such as CloudNativePG or Patroni)", UNKNOWN, Estimate(0.0, None), each,
                     how + "; failover time depends on the operator: set its figure in resilience.figures",
                     (), component.replicas_span or component.span)]
        managed = self._managed_database(component)
        return ([managed] if managed else []) + found

    def _managed_database(self, component: Component) -> Fix | None:
        from archlint.cost import price_one

        provider = (component.provider or "").lower()
        engine = next((_ENGINES[base] for c in component.containers for base in [_image(c.image)] if base in _ENGINES),
                      None)
        if provider != "aws" or engine is None or not component.cpu:
            return None
        gib = (component.memory or 0) / GIB
        family = "db.r6g" if component.cpu and gib / component.cpu > 4 else "db.m6g"
        need = max(component.cpu, gib / (8 if family == "db.r6g" else 4))
        vcpu, size = next(((v, s) for v, s in _RDS_SIZES if v >= need), _RDS_SIZES[-1])
        storage = component.data_bytes / 1e9 if component.data_bytes else None
        synthetic = replace(component, attrs={"resource_type": "aws_db_instance", "instance_type": f"{family}.{size}",
                                              "high_availability": True, "engine": engine,
                                              **({"storage_gb": round(storage)} if storage else {})},
                            cpu=float(vcpu), memory=vcpu * (8 if family == "db.r6g" else 4) * GIB, replicas=1,
                            autoscaling=None, containers=(), source="terraform")
        low, _, why = price_one(synthetic, self.model.economics)
        current, _ = self._whole(component)
        usd = low - current if not why and current is not None else None
        cost = (f"RDS {family}.{size} Multi-AZ at ${low:,.0f}/month, less the ${current:,.0f}/month of its pods"
                if usd is not None else why or "its pods are not priced")
        return self._fix(f"move it to Amazon RDS for {engine} with multi_az = true ({family}.{size}, sized like its "
                         "requests)", "rds-multi-az-failover", "aws", usd, cost, component.span)

    def _replicas(self, component: Component, kind: str, resource: str | None) -> list[Fix]:
        span = component.replicas_span or component.span
        count = component.min_replicas or 1
        each, how = self._per_replica(component)
        pinned = component.zones is not None and len(component.zones) == 1
        if kind == "zone" and count >= 2 and pinned:
            where = component.points.get("location") or component.at("affinity")
            return [Fix("spread its replicas over two or more zones (drop the single-zone pin, add a "
                        "topologySpreadConstraints on topology.kubernetes.io/zone)" if component.source == "kubernetes"
                        else "spread its instances over two or more zones", ZERO, None, 0.0,
                        "the same replicas, in more zones", (), where)]
        if kind == "zone" and resource and component.attrs.get("subnet_count") == 1:
            return [Fix("add subnets in other zones", ZERO, None, 0.0, "the same instances",
                        (), component.points.get("subnet_count", span))]
        if resource in SINGLE_MACHINES:
            return [Fix("an autoscaling group (managed instance group, scale set) of 2 instances in two zones",
                        ZERO, None, each, how, (), component.span)]
        if component.source == "kubernetes" and component.workload_kind not in RESCHEDULED | {"StatefulSet"}:
            return [Fix("run it under a Deployment with 2 replicas spread over zones", ZERO, None, each, how, (),
                        component.span)]
        zones = " spread over zones (topologySpreadConstraints on topology.kubernetes.io/zone)" \
            if component.source == "kubernetes" else " in two zones"
        return [Fix(f"run {max(2, count + 1) if count >= 2 else 2} replicas{zones}", ZERO, None,
                    each if each is not None else None, how, (), span)]

    def _region(self, component: Component) -> list[Fix]:
        usd, cost = self._whole(component)
        resource = component.attrs.get("resource_type")
        provider = (component.provider or "").lower() or None
        if resource == "azurerm_postgresql_flexible_server":
            return [self._fix("a read replica in another region, promoted if the region is lost",
                              "azure-postgres-replica-promotion", provider, usd, cost, component.span)]
        if resource == "aws_db_instance":
            return [Fix("a cross-region read replica (aws_db_instance with replicate_source_db), promoted if the "
                        "region is lost", UNKNOWN, Estimate(0.0, None), usd, cost + "; promotion time and replica lag "
                        "are not documented figures", (), component.span)]
        if stateful(component) or component.kind is NodeKind.DATASTORE:
            return [Fix("replicate its data to another region (a replica, cross-region replication, a global "
                        "table)", UNKNOWN, Estimate(0.0, None), usd, cost, (), component.span)]
        return [Fix("a second deployment in another region with traffic failover (DNS or a global load balancer)",
                    ZERO, None, usd, cost, (), component.span)]

    # ---- money -------------------------------------------------------------------------------------------

    def _fix(self, change: str, mechanism: str, provider: str | None, usd, cost: str, span) -> Fix:
        rto = self.outages.figure(mechanism, "rto", provider)
        rpo = self.outages.figure(mechanism, "rpo", provider)
        return Fix(change, Estimate.of(rto), Estimate.of(rpo) if rpo else None, usd, cost,
                   tuple(f for f in (rto, rpo) if f), span)

    def _node_cost(self, component: Component):
        if self._costs is None:
            from archlint.cost import estimate

            self._costs = {n.id: n for n in estimate(self.model).nodes}
        return self._costs.get(component.id)

    def _whole(self, component: Component) -> tuple[float | None, str]:
        node = self._node_cost(component)
        if node is None or not node.lines:
            return None, f"it is not priced ({node.unpriced})" if node is not None and node.unpriced else \
                "it is not priced"
        return node.low, f"as much as it costs now (${node.low:,.0f}/month)"

    def _per_replica(self, component: Component) -> tuple[float | None, str]:
        usd, why = self._whole(component)
        if usd is None:
            return None, why
        count = max(component.min_replicas or 1, 1)
        return usd / count, f"one more replica at ${usd / count:,.0f}/month"

    def _memorystore(self, component: Component) -> tuple[float | None, str]:
        from archlint.catalog.prices import HOURS_PER_MONTH
        from archlint.cost import priced_catalog

        size = component.attrs.get("memory_gb")
        prices = priced_catalog(self.model.economics)
        basic = prices.get("gcp", "cache-family", "memorystore-basic:gib")
        standard = prices.get("gcp", "cache-family", "memorystore-standard:gib")
        if not isinstance(size, int) or basic is None or standard is None:
            return None, "no memory_size_gb or Memorystore price"
        usd = size * (standard.usd - basic.usd) * HOURS_PER_MONTH
        return usd, f"{size} GiB x (${standard.usd:g} - ${basic.usd:g}) per GiB-hour"


def _image(image: str | None) -> str:
    from archlint.model import image_base

    return image_base(image)
