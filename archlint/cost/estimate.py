"""The monthly cost estimate of a model: every node priced or said to be unpriced, every data flow's transfer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from archlint.catalog import Catalog, catalog
from archlint.cost import pricing, resources
from archlint.cost.lines import EdgeCost, Estimate, Line, NodeCost
from archlint.model import CONTROL_KINDS, Component, NodeKind, SystemModel
from archlint.model.economics import Economics

#: Kinds that cost this system nothing by themselves: someone else's service, the users' devices.
FREE_KINDS = frozenset({NodeKind.EXTERNAL, NodeKind.CLIENT}) | CONTROL_KINDS
#: Label and tag keys that name who pays, in the order they are read.
TEAM_KEYS = ("team", "owner", "Team", "Owner", "owner_team", "app.kubernetes.io/team", "cost-center", "cost_center",
             "CostCenter")
#: Jobs run part of the month: their hours must come from the usage assumptions.
PART_TIME = frozenset({NodeKind.BATCH_JOB, NodeKind.SCHEDULED_JOB, NodeKind.TRAINING_JOB})
_DATABASES = {"aws_db_instance", "google_sql_database_instance", "azurerm_postgresql_flexible_server"}
_CACHES = {"aws_elasticache_cluster", "aws_elasticache_replication_group", "google_redis_instance",
           "azurerm_redis_cache"}


def estimate(model: SystemModel) -> Estimate:
    """The model's estimate with its economics (prices, usage assumptions); computed once per model."""
    cached = getattr(model, "_cost_estimate", None)
    if cached is None:
        cached = compute(model, model.economics)
        model._cost_estimate = cached  # type: ignore[attr-defined]
    return cached


def priced_catalog(economics: Economics) -> Catalog:
    """The bundled catalog with the user's rows and discounts applied."""
    base = catalog()
    if not economics.prices and not economics.discounts:
        return base
    rows = [replace(p, date=p.date or base.date) for p in economics.prices]
    return base.with_overrides(rows, [(d.provider, d.family, d.percent, d.source) for d in economics.discounts])


def compute(model: SystemModel, economics: Economics) -> Estimate:
    prices = priced_catalog(economics)
    pools = _pool_prices(model, prices, economics.usage)
    clouds = _cluster_clouds(model)
    nodes = []
    for component in model.components():
        if component.kind in FREE_KINDS or (component.provider or "").lower() == "devices":
            continue
        usage = _usage_of(component, economics.usage)
        lines, why, within = _price(component, prices, usage, pools,
                                    clouds.get(component.system) or economics.kubernetes_provider)
        nodes.append(NodeCost(
            id=component.id, name=component.name, kind=component.kind.value, tier=component.tier.value,
            provider=component.provider or "unknown", team=team_of(component), file=component.span.file,
            line=component.span.line, labels=dict(component.labels), lines=tuple(lines),
            unpriced="" if lines else why, within=within))
    edges = tuple(sorted(_edges(model), key=lambda e: (-e.usd, e.source, e.target)))
    ordered = tuple(sorted(nodes, key=lambda n: (-n.high, n.id)))
    return Estimate(ordered, edges, prices.date, prices.overridden)


def price_one(component: Component, economics: Economics) -> tuple[float, float, str]:
    """(low, high, why it is unpriced) of one component on its own: what a change someone proposes (a standby, a
    managed database in place of a pod) would cost a month, at the team's prices."""
    lines, why, _ = _price(component, priced_catalog(economics), _usage_of(component, economics.usage), {},
                           economics.kubernetes_provider)
    return sum(line.low for line in lines), sum(line.high for line in lines), "" if lines else why


def team_of(component: Component) -> str:
    if component.owner:
        return component.owner
    return next((component.labels[k] for k in TEAM_KEYS if component.labels.get(k)), "unallocated")


def _usage_of(component: Component, usage: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any]:
    if not usage:  # the common case: no assumptions, so no lookup keys to build for each of the nodes
        return {}
    address = component.attrs.get("address")
    # Infracost's keys: the address, or (one for every instance of a count or for_each) the block's address + [*]
    block = address.rsplit("[", 1)[0] if address and address.endswith("]") else address
    keys = [k for k in (address, f"{block}[*]" if block else None, component.name, component.id) if k]
    return next((usage[k] for k in keys if k in usage), {})


def _price(component: Component, prices: Catalog, usage: Mapping[str, Any],
           pools: dict[str, tuple[Component, pricing.Hourly]], clusters: str | None = None) -> tuple[list[Line], str, str]:
    ctx = resources.Context(prices, component, usage)
    resource_type = component.attrs.get("resource_type")
    if component.kind in PART_TIME and "monthly_hrs" not in usage:
        lines, why = _by_resources(ctx) if resource_type is None else resources.machine(ctx)
        if lines:
            hourly = lines[0].low / ctx.hours / max(ctx.low, 1)
            return [], f"runs part of the month (${hourly:.2f}/h while it runs): set monthly_hrs in the usage " \
                       "assumptions", ""
        return [], why, ""
    if resource_type is not None:
        lines, why = _by_type(ctx, resource_type)
        return lines, why, ""
    if component.containers and component.source == "kubernetes":
        return _workload(ctx, pools, clusters)
    lines, why = _by_resources(ctx)
    return lines, why, ""


def _by_type(ctx: resources.Context, resource_type: str) -> resources.Priced:
    if resource_type in _DATABASES:
        return resources.database(ctx)
    if resource_type in _CACHES:
        return resources.cache(ctx)
    if resource_type in resources.HOURLY:
        return resources.hourly(ctx)
    if resource_type == "azurerm_kubernetes_cluster":
        return [Line("control plane", "AKS Free tier: $0 (the Standard tier is $0.10/h)", 0.0, 0.0)], ""
    if resource_type == "aws_ecs_service":
        return resources.ecs_tasks(ctx)
    if resource_type in ("aws_msk_cluster", "aws_opensearch_domain"):
        return _named_service(ctx, resource_type)
    if resource_type in resources.MACHINES:
        return resources.machine(ctx)
    lines, why = resources.usage_priced(ctx)
    if lines or why != "no price rule for this resource type":
        return lines, why
    return _by_resources(ctx)


def _named_service(ctx: resources.Context, resource_type: str) -> resources.Priced:
    name = ctx.component.attrs.get("instance_type")
    if not isinstance(name, str):
        return [], "no instance type in the files"
    item = f"kafka-broker-{name.removeprefix('kafka.')}" if resource_type == "aws_msk_cluster" else \
        f"search-{name.removesuffix('.search')}"
    row = ctx.row("service-hour", item)
    if row is None:
        return [], f"no price for {name}"
    hourly = pricing.Hourly(row.usd, (row,), f"{name} ${row.usd:g}/h")
    return [ctx.per_instance("brokers" if resource_type == "aws_msk_cluster" else "nodes", hourly)], ""


def _by_resources(ctx: resources.Context) -> resources.Priced:
    """A component described by CPU, memory and GPU per replica (service graph, compose): the unit rates."""
    component = ctx.component
    if component.cpu is None and component.memory is None and not component.gpu:
        if component.kind in (NodeKind.DATASTORE, NodeKind.VECTOR_STORE) and component.data_bytes:
            return resources._storage("block")(ctx, component, {})
        return [], "no instance type, resources or size declared"
    gib = (component.memory or 0) / resources.GIB
    hourly = pricing.unit_rates(ctx.catalog, ctx.provider, component.cpu or 0.0, gib, component.gpu or 0)
    return [ctx.per_instance("compute", hourly, fallback=True)], ""


def _workload(ctx: resources.Context, pools: dict[str, tuple[Component, pricing.Hourly]],
              clusters: str | None = None) -> tuple[list[Line], str, str]:
    """A Kubernetes workload: its pods' requests x replicas, at its node pool's price or the unit rates of its
    cluster's cloud: the one its node labels name, else its node pools', else the one cluster provider of the
    system (a Terraform EKS, GKE or AKS cluster), else the configuration's `cost.kubernetes_provider`."""
    component = ctx.component
    running = [c for c in component.containers if not c.init]
    cpu = sum(c.cpu_request or 0.0 for c in running)
    gib = sum(c.memory_request or 0.0 for c in running) / resources.GIB
    gpus = sum(c.gpu or 0.0 for c in running)
    if not cpu and not gib and not gpus:
        return [], "no CPU or memory requests (CO001): its share of the nodes is unknown", ""
    if ctx.provider is None:
        ctx.provider = next((p.provider.lower() for p, _ in pools.values() if p.provider), None) or clusters
    pool = _pool_for(component, pools)
    if pool is not None:
        node, node_price = pool
        share = max(cpu / (node.cpu or cpu or 1), gib / ((node.memory or 0) / resources.GIB or gib or 1))
        hourly = pricing.Hourly(node_price.usd * share, node_price.rows,
                                f"{share:.1%} of a {node.attrs.get('instance_type')} node (${node_price.usd:g}/h)")
        return [ctx.per_instance("pods", hourly)], "", node.id
    hourly = pricing.unit_rates(ctx.catalog, ctx.provider, cpu, gib, gpus, component.attrs.get("accelerator"))
    return [ctx.per_instance("pods", hourly, fallback=True)], "", ""


def _cluster_clouds(model: SystemModel) -> dict[str | None, str]:
    """Per system, the one cloud of its Kubernetes clusters and node pools (from Terraform or a plan), if only one."""
    clouds: dict[str | None, set[str]] = {}
    for cluster in model.components(NodeKind.CLUSTER, NodeKind.NODE_POOL):
        if cluster.provider:
            clouds.setdefault(cluster.system, set()).add(cluster.provider.lower())
    return {system: next(iter(found)) for system, found in clouds.items() if len(found) == 1}


def _pool_prices(model: SystemModel, prices: Catalog,
                 usage: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[Component, pricing.Hourly]]:
    """Node pools with a price per node: a workload's share of one is its cost, already inside the pool's bill."""
    found = {}
    for pool in model.components(NodeKind.NODE_POOL):
        name = pool.attrs.get("instance_type")
        if not isinstance(name, str):
            continue
        gib = pool.memory / resources.GIB if pool.memory else None
        hourly = pricing.instance(prices, (pool.provider or "").lower() or None, "instance", name, pool.cpu, gib)
        if hourly is not None:
            found[pool.id] = (pool, hourly)
    return found


def _pool_for(component: Component, pools: dict[str, tuple[Component, pricing.Hourly]]):
    if not pools:
        return None
    pinned = component.attrs.get("node_pool") or ()
    for pool, hourly in pools.values():
        if pool.name in pinned:
            return pool, hourly
    return next(iter(sorted(pools.items())))[1]  # unpinned: scheduled on the pools; priced at the first one


def _edges(model: SystemModel) -> list[EdgeCost]:
    found = []
    for flow in model.data_flows:
        if flow.monthly_usd is None or flow.monthly_usd <= 0 or flow.price is None:
            continue
        found.append(EdgeCost(flow.edge.source, flow.edge.target, flow.transfer_class or "", flow.monthly_gb or 0.0,
                              flow.monthly_usd, flow.price.source, flow.edge.span.file, flow.edge.span.line))
    return found
