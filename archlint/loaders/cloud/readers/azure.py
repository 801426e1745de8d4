"""Fact readers of Azure resource types (Terraform names)."""

from __future__ import annotations

from archlint.loaders.cloud.facts import Facts, as_int
from archlint.loaders.cloud.readers.common import replica


def aks_cluster(facts: Facts) -> None:
    tier = facts.read("sku_tier", "Free")  # Free: no uptime SLA for the API server
    facts.set("sla_tier", "sku_tier", tier if isinstance(tier, str) else None)


def azure_vm(facts: Facts) -> None:
    facts.text("instance_type", "size")
    facts.set("replicas", None, 1)
    public = facts.read("__public_ip")  # from its network interfaces' IP configurations
    if isinstance(public, bool):
        facts.set("internet_facing", "__public_ip" if public else None, public)
    priority = facts.read("priority", "Regular")
    facts.set("spot", "priority", priority == "Spot" if isinstance(priority, str) else None)
    zone = facts.read("zone")
    if isinstance(zone, (str, int)):
        facts.set("zones", "zone", (str(zone),))


def azure_vmss(facts: Facts) -> None:
    facts.text("instance_type", "sku")
    facts.integer("replicas", "instances")
    zones = facts.read("zones")
    if isinstance(zones, list):
        facts.set("zones", "zones", tuple(sorted(str(z) for z in zones)))
    priority = facts.read("priority", "Regular")
    facts.set("spot", "priority", priority == "Spot" if isinstance(priority, str) else None)


def azure_node_pool(facts: Facts) -> None:
    facts.text("instance_type", "vm_size")
    auto = facts.read("enable_auto_scaling", None)
    auto = facts.read("auto_scaling_enabled", False) if auto is None else auto
    low, high = facts.integer("min_size", "min_count"), facts.integer("max_size", "max_count")
    facts.integer("replicas", "node_count", low)
    if auto is True and low is not None and high is not None:
        facts.set("autoscaling", "min_count", (low, high))
    priority = facts.read("priority", "Regular")
    facts.set("spot", "priority", priority == "Spot" if isinstance(priority, str) else None)
    zones = facts.read("zones")
    if isinstance(zones, list):
        facts.set("zones", "zones", tuple(sorted(str(z) for z in zones)))


def azure_postgres_flexible(facts: Facts) -> None:
    facts.text("instance_type", "sku_name")
    if replica(facts):
        return
    mode = facts.read("high_availability.mode")
    facts.set("high_availability", "high_availability", mode in ("ZoneRedundant", "SameZone") if mode is not None
              else (None if "high_availability" in facts.unknown else False))
    facts.integer("backup_retention_days", "backup_retention_days", 7)
    storage = as_int(facts.read("storage_mb"))
    facts.set("storage_gb", "storage_mb", storage // 1024 if storage is not None else None)


def azure_redis(facts: Facts) -> None:
    sku = facts.read("sku_name", "Basic")
    facts.set("automatic_failover", "sku_name", sku != "Basic" if isinstance(sku, str) else None)
    facts.set("replicas", None, 1 if sku == "Basic" else 2)
    family, capacity = facts.read("family"), as_int(facts.read("capacity"))
    if isinstance(sku, str) and isinstance(family, str) and capacity is not None:
        facts.set("instance_type", "capacity", f"{sku}:{family}{capacity}")


def azure_sql_database(facts: Facts) -> None:
    facts.text("instance_type", "sku_name")
    facts.boolean("high_availability", "zone_redundant", False)
