"""Fact readers of Google Cloud resource types (Terraform names)."""

from __future__ import annotations

import re

from archlint.loaders.cloud.facts import Facts, as_int
from archlint.loaders.cloud.readers.common import primary_recovery, replica
from archlint.loaders.cloud.resource import UNKNOWN


def gcp_spanner(facts: Facts) -> None:
    nodes = as_int(facts.read("num_nodes"))
    units = as_int(facts.read("processing_units"))
    facts.set("spanner_nodes", "num_nodes" if nodes is not None else "processing_units",
              nodes if nodes is not None else units / 1000 if units is not None else None)


def gcp_instance(facts: Facts) -> None:
    facts.text("instance_type", "machine_type")
    facts.set("replicas", None, 1)
    interfaces = facts.read("network_interface")
    interfaces = interfaces if isinstance(interfaces, list) else [interfaces] if isinstance(interfaces, dict) else []
    if interfaces:  # an access_config block (even empty) gives the interface an external address
        public = any(isinstance(i, dict) and i.get("access_config") is not None for i in interfaces)
        unknown = any(isinstance(i, dict) and i.get("access_config") is UNKNOWN for i in interfaces)
        facts.set("internet_facing", "network_interface.access_config" if public else "network_interface",
                  None if unknown else public)
    preemptible = facts.read("scheduling.preemptible", False)
    model = facts.read("scheduling.provisioning_model", "STANDARD")
    facts.set("spot", "scheduling", bool(preemptible) or model == "SPOT")
    zone = facts.read("zone")
    if isinstance(zone, str):
        facts.set("zones", "zone", (zone,))


def gcp_mig(facts: Facts) -> None:
    facts.integer("replicas", "target_size")
    zone = facts.read("zone")
    if isinstance(zone, str):
        facts.set("zones", "zone", (zone,))
    zones = facts.read("distribution_policy_zones")
    if isinstance(zones, list) and all(isinstance(z, str) for z in zones):
        facts.set("zones", "distribution_policy_zones", tuple(sorted(zones)))


def gcp_node_pool(facts: Facts) -> None:
    facts.text("instance_type", "node_config.machine_type")
    gke_zones(facts)
    low = facts.integer("min_size", "autoscaling.min_node_count")
    high = facts.integer("max_size", "autoscaling.max_node_count")
    facts.integer("replicas", "node_count", low)
    if low is not None and high is not None:
        facts.set("autoscaling", "autoscaling", (low, high))
    spot = facts.read("node_config.spot", False) or facts.read("node_config.preemptible", False)
    facts.set("spot", "node_config", bool(spot))


def gcp_sql(facts: Facts) -> None:
    facts.text("instance_type", "settings.tier")
    facts.text("engine", "database_version")
    if replica(facts):  # a replica (master_instance_name) holds no backups of its own and follows its primary
        return
    primary_recovery(facts)
    availability = facts.read("settings.availability_type", "ZONAL")
    facts.set("high_availability", "settings.availability_type",
              availability == "REGIONAL" if isinstance(availability, str) else None)
    backups = facts.read("settings.backup_configuration.enabled", False)
    facts.set("backup_retention_days", "settings.backup_configuration.enabled",
              (as_int(facts.read("settings.backup_configuration.backup_retention_settings.retained_backups", 7)) or 7)
              if backups is True else 0 if backups is False else None)
    if facts.read("settings.deletion_protection_enabled") is True:  # the API refuses the deletion too
        facts.set("deletion_protection", "settings.deletion_protection_enabled", True)
    else:
        facts.boolean("deletion_protection", "deletion_protection", True)
    # what survives a deletion (said by FI025): a final backup, or automated backups retained after it
    if facts.read("settings.final_backup_config.enabled") is True:
        facts.set("final_snapshot", "settings.final_backup_config.enabled", True)
    if facts.read("settings.retain_backups_on_delete") is True:
        facts.set("keeps_automated_backups", "settings.retain_backups_on_delete", True)


def gke_zones(facts: Facts) -> None:
    """A GKE node pool's (or cluster's) zones: its node_locations, else its cluster's, else the zone of a zonal
    location. A regional location without node_locations spreads over the region's zones (not named here)."""
    for path in ("node_locations", "__cluster_node_locations"):
        zones = facts.read(path)
        if isinstance(zones, list) and zones and all(isinstance(z, str) for z in zones):
            facts.set("zones", path, tuple(sorted(zones)))
            return
        if zones is not None:
            return
    for path in ("location", "__cluster_location"):
        location = facts.read(path)
        if isinstance(location, str):
            if _ZONE.match(location):
                facts.set("zones", path, (location,))
            return
        if location is not None:
            return


def gke_cluster(facts: Facts) -> None:
    location = facts.read("location")
    if isinstance(location, str):
        facts.set("control_plane", "location", "zonal" if _ZONE.match(location) else "regional")
    gke_zones(facts)
    enabled = facts.read("cluster_autoscaling.enabled", False)
    facts.set("node_autoprovisioning", "cluster_autoscaling", enabled if isinstance(enabled, bool) else None)


#: A zone name (us-central1-a, europe-west4-b): a zonal GKE location.
_ZONE = re.compile(r"^[a-z]+-[a-z]+\d+-[a-z]$")


def gcp_redis(facts: Facts) -> None:
    tier = facts.read("tier", "BASIC")
    facts.set("automatic_failover", "tier", tier == "STANDARD_HA" if isinstance(tier, str) else None)
    facts.set("high_availability", "tier", tier == "STANDARD_HA" if isinstance(tier, str) else None)
    facts.set("replicas", None, 2 if tier == "STANDARD_HA" else 1)
    facts.text("tier", "tier", "BASIC")
    facts.integer("memory_gb", "memory_size_gb")


def gcp_run(facts: Facts) -> None:
    low = facts.read("template.scaling.min_instance_count")
    if low is None:
        annotations = facts.read("template.metadata.annotations", {})
        low = annotations.get("autoscaling.knative.dev/minScale") if isinstance(annotations, dict) else None
    facts.set("min_instances", "template", as_int(low))
