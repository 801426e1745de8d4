"""Prices cloud resources declared in infrastructure as code, by Terraform type: machines, managed databases and
caches, storage, serverless, queues, load balancers and control planes. Each returns lines or why it cannot."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from archlint.catalog import Catalog, Price
from archlint.catalog.prices import HOURS_PER_MONTH
from archlint.cost import pricing
from archlint.cost.lines import Line
from archlint.model import Component

Priced = tuple[list[Line], str]  # (lines, why unpriced)
#: How the reason of a usage-priced resource without usage assumptions begins.
USAGE_PRICED = "priced by use"
GIB = 2**30

MACHINES = {"aws_instance", "aws_autoscaling_group", "aws_eks_node_group", "google_compute_instance",
            "google_compute_instance_group_manager", "google_compute_region_instance_group_manager",
            "google_container_node_pool", "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine",
            "azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
            "azurerm_kubernetes_cluster_node_pool", "aws_sagemaker_endpoint_configuration",
            "azurerm_machine_learning_compute_cluster", "aws_batch_compute_environment"}


class Context:
    """What pricing one component needs: the catalog, its usage assumptions and its replica range."""

    def __init__(self, catalog: Catalog, component: Component, usage: Mapping[str, Any]) -> None:
        self.catalog = catalog
        self.component = component
        self.usage = usage
        self.provider = (component.provider or "").lower() or None
        low = component.min_replicas
        high = component.autoscaling.max_replicas if component.autoscaling and component.autoscaling.max_replicas else None
        self.low = low if low is not None else 1
        self.high = max(high or self.low, self.low)
        self.hours = float(usage.get("monthly_hrs", HOURS_PER_MONTH))

    def row(self, family: str, item: str) -> Price | None:
        return self.catalog.get(self.provider, family, item)

    def count_text(self) -> str:
        return f"{self.low}" if self.low == self.high else f"{self.low} to {self.high}"

    def per_instance(self, what: str, hourly: pricing.Hourly, factor: float = 1.0, note: str = "",
                     fallback: bool = False) -> Line:
        each = hourly.usd * factor * self.hours
        formula = f"{self.count_text()} x {hourly.formula}{note} x {self.hours:g} h"
        return Line(what, formula, self.low * each, self.high * each, tuple(r.source for r in hourly.rows), fallback)

    def fixed(self, what: str, row: Price, quantity: float = 1.0, label: str = "") -> Line:
        usd = quantity * row.usd * self.hours
        count = f"{quantity:g} {label} x " if label else ""
        return Line(what, f"{count}${row.usd:g}/h x {self.hours:g} h", usd, usd, (row.source,))

    def metered(self, what: str, row: Price, quantity: float, unit_label: str, per: float = 1.0) -> Line:
        usd = quantity / per * row.usd
        return Line(what, f"{quantity:,.0f} {unit_label} x ${row.usd:g} per {row.unit}", usd, usd, (row.source,))


def machine(ctx: Context, kind: str = "instance") -> Priced:
    """A machine type (VM, scale set, node pool, endpoint): its catalog price, else unit rates for its size."""
    component = ctx.component
    name = component.attrs.get("instance_type")
    wanted = component.attrs.get("instance_requirements")
    what = "compute"
    if not isinstance(name, str) and isinstance(wanted, str) and component.cpu:
        # attribute-based selection: AWS picks the types at launch; priced as the smallest the requirements allow
        hourly, fallback = pricing.unit_rates(ctx.catalog, ctx.provider, component.cpu,
                                              component.memory / GIB if component.memory else 0.0, 0), True
        what = f"compute (the smallest instance its instance_requirements allow: {wanted})"
    elif not isinstance(name, str):
        return [], "no instance type in the files (a variable without a default, or not set)"
    else:
        gib = component.memory / GIB if component.memory else None
        lookup = name.removeprefix("ml.") if name.startswith("ml.") else name
        hourly = pricing.instance(ctx.catalog, ctx.provider, kind, lookup, component.cpu, gib)
        fallback = False
        if hourly is None:
            if component.cpu is None:
                return [], f"no price for {name} and its size is unknown"
            hourly, fallback = pricing.unit_rates(ctx.catalog, ctx.provider, component.cpu, gib or 0.0,
                                                  component.gpu or 0), True
    factor, note = 1.0, ""
    if component.attrs.get("spot"):
        spot = ctx.row("spot-factor", "compute")
        if spot is not None:
            factor, note = spot.usd, f" x {spot.usd:g} (spot)"
    return [ctx.per_instance(what, hourly, factor, note, fallback)], ""


def database(ctx: Context) -> Priced:
    component, resource_type = ctx.component, ctx.component.attrs.get("resource_type")
    name = component.attrs.get("instance_type")
    if not isinstance(name, str):
        return [], "no instance class in the files"
    hourly = None
    if resource_type == "google_sql_database_instance":
        hourly = _cloud_sql(ctx, name)
    else:
        gib = component.memory / GIB if component.memory else None
        hourly = pricing.instance(ctx.catalog, ctx.provider, "database", name, component.cpu, gib)
    if hourly is None:
        return [], f"no price for database class {name}"
    standby = 2 if component.attrs.get("high_availability") else 1
    ctx.low = ctx.high = standby
    lines = [ctx.per_instance("database" + (" (primary and standby)" if standby == 2 else ""), hourly)]
    storage = ctx.usage.get("storage_gb", component.attrs.get("storage_gb"))
    row = ctx.row("storage", "database-storage")
    if isinstance(storage, (int, float)) and row is not None:
        lines.append(ctx.metered("storage", row, float(storage) * standby, "GB-month"))
    return lines, ""


def _cloud_sql(ctx: Context, tier: str) -> pricing.Hourly | None:
    parts = tier.split("-")  # db-custom-2-7680, db-n1-standard-4
    vcpu_row, gib_row = ctx.row("database-family", "cloudsql:vcpu"), ctx.row("database-family", "cloudsql:gib")
    if vcpu_row is None or gib_row is None:
        return None
    if len(parts) == 4 and parts[1] == "custom" and parts[2].isdigit() and parts[3].isdigit():
        vcpu, gib = float(parts[2]), int(parts[3]) / 1024
    elif len(parts) == 4 and parts[2] in ("standard", "highmem") and parts[3].isdigit():
        vcpu = float(parts[3])
        gib = vcpu * (3.75 if parts[2] == "standard" else 6.5)
    else:
        return None
    usd = vcpu * vcpu_row.usd + gib * gib_row.usd
    return pricing.Hourly(usd, (vcpu_row, gib_row),
                          f"{tier}: {vcpu:g} vCPU x ${vcpu_row.usd:g} + {gib:g} GiB x ${gib_row.usd:g} per hour")


def cache(ctx: Context) -> Priced:
    component, resource_type = ctx.component, ctx.component.attrs.get("resource_type")
    if resource_type == "google_redis_instance":
        size = component.attrs.get("memory_gb")
        tier = "standard" if component.attrs.get("tier") == "STANDARD_HA" else "basic"
        row = ctx.row("cache-family", f"memorystore-{tier}:gib")
        if not isinstance(size, int) or row is None:
            return [], "no memory_size_gb in the files"
        ctx.low = ctx.high = 1
        return [ctx.per_instance("cache", pricing.Hourly(size * row.usd, (row,), f"{size} GiB x ${row.usd:g}/h"))], ""
    if resource_type == "azurerm_redis_cache":
        name = component.attrs.get("instance_type")
        row = ctx.row("cache", name) if isinstance(name, str) else None
        if row is None:
            return [], f"no price for Azure Cache for Redis {name or 'of unknown size'}"
        ctx.low = ctx.high = 1
        return [ctx.fixed("cache", row, 1, name)], ""
    if component.attrs.get("cache_nodes") is not None:
        ctx.low = ctx.high = int(component.attrs["cache_nodes"])
    return machine(ctx, "cache")


def ecs_tasks(ctx: Context) -> Priced:
    """An ECS service on Fargate: its tasks' vCPU and memory (from the task definition) by the hour, times the
    tasks it runs (its autoscaling range). On EC2 the tasks run on the cluster's instances, priced there."""
    component = ctx.component
    fargate = component.attrs.get("fargate")
    if fargate is False:
        return [], "its tasks run on the cluster's EC2 instances, priced with them"
    if component.cpu is None or component.memory is None:
        return [], "no task size in the files (the task definition's cpu and memory)"
    if fargate is None:
        return [], "the launch type is not in the files (FARGATE or EC2)"
    vcpu_row, gib_row = ctx.row("serverless", "container-vcpu"), ctx.row("serverless", "container-gib")
    if vcpu_row is None or gib_row is None:
        return [], "no Fargate price for this provider"
    gib = component.memory / GIB
    usd = component.cpu * vcpu_row.usd + gib * gib_row.usd
    hourly = pricing.Hourly(usd, (vcpu_row, gib_row), f"{component.cpu:g} vCPU x ${vcpu_row.usd:g} + {gib:g} GiB x "
                                                      f"${gib_row.usd:g} per task-hour")
    return [ctx.per_instance("tasks (Fargate)", hourly)], ""


def usage_priced(ctx: Context) -> Priced:
    """Serverless, storage and request-priced services: priced from the usage assumptions (or declared rates)."""
    component, usage = ctx.component, ctx.usage
    resource_type = component.attrs.get("resource_type", "")
    handler = _USAGE.get(resource_type)
    if handler is None:
        return [], "no price rule for this resource type"
    return handler(ctx, component, usage)


def _requests(component: Component, usage: Mapping[str, Any]) -> float | None:
    if isinstance(usage.get("monthly_requests"), (int, float)):
        return float(usage["monthly_requests"])
    if component.rps is not None:
        from archlint.catalog.prices import SECONDS_PER_MONTH

        return component.rps * SECONDS_PER_MONTH / float(component.attrs.get("peak_to_average") or 1)
    return None


def _function(ctx: Context, component: Component, usage: Mapping[str, Any]) -> Priced:
    requests = _requests(component, usage)
    if requests is None:
        return [], "priced by use: set monthly_requests (and request_duration_ms) in the usage assumptions"
    request_row, compute_row = ctx.row("serverless", "function-requests"), ctx.row("serverless", "function-compute")
    if request_row is None or compute_row is None:
        return [], "no serverless price for this provider"
    duration = float(usage.get("request_duration_ms", 100))
    memory_gb = float(component.attrs.get("memory_mb") or usage.get("memory_mb") or 256) / 1024
    gb_seconds = requests * duration / 1000 * memory_gb
    return [ctx.metered("requests", request_row, requests, "requests", 1e6),
            Line("compute", f"{gb_seconds:,.0f} GB-seconds ({duration:g} ms x {memory_gb:g} GB) x "
                 f"${compute_row.usd:g}", gb_seconds * compute_row.usd, gb_seconds * compute_row.usd,
                 (compute_row.source,))], ""


def _requests_only(item: str, unit_label: str = "requests") -> Callable[[Context, Component, Mapping], Priced]:
    def price(ctx: Context, component: Component, usage: Mapping[str, Any]) -> Priced:
        requests = _requests(component, usage)
        row = ctx.row("serverless", item)
        if requests is None or row is None:
            return [], "priced by use: set monthly_requests in the usage assumptions"
        return [ctx.metered(unit_label, row, requests, unit_label, 1e6)], ""
    return price


def _storage(item: str) -> Callable[[Context, Component, Mapping], Priced]:
    def price(ctx: Context, component: Component, usage: Mapping[str, Any]) -> Priced:
        stored = usage.get("storage_gb")
        if stored is None and isinstance(usage.get("standard"), Mapping):
            stored = usage["standard"].get("storage_gb")  # Infracost's aws_s3_bucket shape
        if stored is None and component.data_bytes:
            stored = component.data_bytes / 1e9
        row = ctx.row("storage", item)
        if not isinstance(stored, (int, float)) or row is None:
            return [], "priced by use: set storage_gb in the usage assumptions or data.size in the service graph"
        return [ctx.metered("storage", row, float(stored), "GB-month")], ""
    return price


def _dynamodb(ctx: Context, component: Component, usage: Mapping[str, Any]) -> Priced:
    lines = []
    for key, item, label in (("monthly_write_request_units", "nosql-writes", "write request units"),
                             ("monthly_read_request_units", "nosql-reads", "read request units")):
        row = ctx.row("serverless", item)
        if isinstance(usage.get(key), (int, float)) and row is not None:
            lines.append(ctx.metered(label, row, float(usage[key]), label, 1e6))
    row = ctx.row("serverless", "nosql-storage")
    if isinstance(usage.get("storage_gb"), (int, float)) and row is not None:
        lines.append(ctx.metered("storage", row, float(usage["storage_gb"]), "GB-month"))
    return lines, "" if lines else "priced by use: set monthly_write_request_units, monthly_read_request_units " \
                                    "and storage_gb in the usage assumptions"


def _container(ctx: Context, component: Component, usage: Mapping[str, Any]) -> Priced:
    seconds = usage.get("monthly_vcpu_seconds")
    vcpu_row, requests = ctx.row("serverless", "container-vcpu"), _requests(component, usage)
    if not isinstance(seconds, (int, float)) or vcpu_row is None:
        return [], "priced by use: set monthly_vcpu_seconds (and monthly_requests) in the usage assumptions"
    lines = [ctx.metered("vCPU time", vcpu_row, float(seconds), "vCPU-seconds")]
    row = ctx.row("serverless", "container-requests")
    if requests is not None and row is not None:
        lines.append(ctx.metered("requests", row, requests, "requests", 1e6))
    return lines, ""


def _pubsub(ctx: Context, component: Component, usage: Mapping[str, Any]) -> Priced:
    row, gb = ctx.row("serverless", "queue-data"), usage.get("monthly_gb")
    if not isinstance(gb, (int, float)) or row is None:
        return [], "priced by use: set monthly_gb in the usage assumptions"
    return [ctx.metered("messages", row, float(gb), "GB")], ""


_USAGE: dict[str, Callable[[Context, Component, Mapping], Priced]] = {
    "aws_lambda_function": _function, "google_cloudfunctions_function": _function,
    "google_cloudfunctions2_function": _function, "azurerm_linux_function_app": _function,
    "azurerm_function_app": _function,
    "aws_sqs_queue": _requests_only("queue-requests"), "aws_sns_topic": _requests_only("topic-requests"),
    "azurerm_servicebus_namespace": _requests_only("queue-requests", "operations"),
    "aws_api_gateway_rest_api": _requests_only("api-gateway-requests"),
    "aws_apigatewayv2_api": _requests_only("http-api-requests"),
    "azurerm_cosmosdb_account": _requests_only("nosql-requests", "request units"),
    "aws_s3_bucket": _storage("object"), "google_storage_bucket": _storage("object"),
    "azurerm_storage_account": _storage("object"), "google_bigquery_dataset": _storage("object"),
    "aws_dynamodb_table": _dynamodb, "google_cloud_run_service": _container, "google_cloud_run_v2_service": _container,
    "azurerm_container_app": _container, "google_pubsub_topic": _pubsub,
}

#: Resources billed by the hour whatever their use: resource type -> (service-hour item, quantity fact).
HOURLY = {
    "aws_lb": ("application-load-balancer", None), "aws_alb": ("application-load-balancer", None),
    "aws_elb": ("classic-load-balancer", None), "google_compute_global_forwarding_rule": ("forwarding-rule", None),
    "google_compute_url_map": ("url-map", None), "azurerm_lb": ("load-balancer", None),
    "azurerm_application_gateway": ("application-gateway-v2", None),
    "azurerm_cdn_frontdoor_profile": ("front-door-standard", None),
    "aws_eks_cluster": ("kubernetes-control-plane", None), "google_container_cluster": ("kubernetes-control-plane", None),
    "aws_nat_gateway": ("nat-gateway", None),
    "azurerm_eventhub_namespace": ("event-hubs-throughput-unit", None),
    "aws_kinesis_stream": ("stream-shard", "shards"), "google_spanner_instance": ("spanner-node", "spanner_nodes"),
}


def hourly(ctx: Context) -> Priced:
    item, fact = HOURLY[ctx.component.attrs["resource_type"]]
    family = "serverless" if item == "stream-shard" else "service-hour"
    row = ctx.row(family, item)
    if row is None:
        return [], f"no {item} price for this provider"
    quantity = ctx.component.attrs.get(fact, 1) if fact else 1
    if not isinstance(quantity, (int, float)):
        return [], f"{fact} unknown"
    return [ctx.fixed(item.replace("-", " "), row, float(quantity), fact or "")], ""
