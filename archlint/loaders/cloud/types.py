"""The cloud resource types archlint understands (Terraform names), each with its node kind and fact reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from archlint.loaders.cloud.facts import Facts, as_int
from archlint.model import NodeKind, Tier


@dataclass(frozen=True, slots=True)
class ResourceType:
    kind: NodeKind
    tier: Tier
    read: Callable[[Facts], None]
    #: True for managed services whose redundancy the provider handles (S3, DynamoDB, SQS, Lambda, ...).
    managed_redundancy: bool = False


# ---- readers: one per family of resource -------------------------------------------------------------------


def _nothing(facts: Facts) -> None:
    return None


def _aws_instance(facts: Facts) -> None:
    facts.text("instance_type", "instance_type")
    facts.set("replicas", None, 1)
    market = facts.read("instance_market_options.market_type")
    facts.set("spot", "instance_market_options", market == "spot" if market is not None else False)
    facts.set("internet_facing", "associate_public_ip_address", facts.read("associate_public_ip_address"))


def _aws_asg(facts: Facts) -> None:
    low, high = facts.integer("min_size", "min_size"), facts.integer("max_size", "max_size")
    facts.integer("replicas", "desired_capacity", low)
    if low is not None and high is not None:
        facts.set("autoscaling", "min_size", (low, high))
    zones = facts.read("availability_zones")
    if isinstance(zones, list) and all(isinstance(z, str) for z in zones):
        facts.set("zones", "availability_zones", tuple(sorted(zones)))
    subnets = facts.read("vpc_zone_identifier")
    if isinstance(subnets, list):
        facts.set("subnet_count", "vpc_zone_identifier", len(subnets))
    mixed = facts.read("mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity")
    facts.set("spot", "mixed_instances_policy", (as_int(mixed) or 0) < 100 if mixed is not None else False)


def _aws_db(facts: Facts) -> None:
    facts.text("instance_type", "instance_class")
    facts.text("engine", "engine")
    facts.boolean("high_availability", "multi_az", False)
    facts.integer("backup_retention_days", "backup_retention_period", None)
    facts.boolean("deletion_protection", "deletion_protection", False)
    facts.integer("storage_gb", "allocated_storage")


def _aws_aurora(facts: Facts) -> None:
    facts.text("engine", "engine")
    facts.integer("backup_retention_days", "backup_retention_period", 1)
    facts.boolean("deletion_protection", "deletion_protection", False)


def _aws_elasticache_group(facts: Facts) -> None:
    facts.text("instance_type", "node_type")
    clusters = facts.integer("cache_nodes", "num_cache_clusters")
    per_group = as_int(facts.read("replicas_per_node_group"))
    if clusters is None and per_group is not None:
        facts.set("cache_nodes", "replicas_per_node_group", per_group + 1)
    facts.boolean("automatic_failover", "automatic_failover_enabled", False)
    facts.boolean("high_availability", "multi_az_enabled", False)
    nodes = facts.values.get("cache_nodes")
    if nodes is not None:
        facts.set("replicas", None, nodes)


def _aws_elasticache_cluster(facts: Facts) -> None:
    facts.text("instance_type", "node_type")
    nodes = facts.integer("cache_nodes", "num_cache_nodes", 1)
    facts.set("automatic_failover", "num_cache_nodes", False)
    facts.set("replicas", None, nodes)


def _aws_lambda(facts: Facts) -> None:
    facts.integer("memory_mb", "memory_size", 128)
    facts.integer("reserved_concurrency", "reserved_concurrent_executions")


def _aws_provisioned_concurrency(facts: Facts) -> None:
    facts.integer("provisioned_concurrency", "provisioned_concurrent_executions")


def _aws_ecs_service(facts: Facts) -> None:
    facts.integer("replicas", "desired_count", 0 if facts.read("scheduling_strategy") == "DAEMON" else 1)
    facts.text("launch_type", "launch_type")


def _aws_eks_node_group(facts: Facts) -> None:
    low = facts.integer("min_size", "scaling_config.min_size")
    high = facts.integer("max_size", "scaling_config.max_size")
    facts.integer("replicas", "scaling_config.desired_size", low)
    if low is not None and high is not None:
        facts.set("autoscaling", "scaling_config", (low, high))
    types = facts.read("instance_types")
    if isinstance(types, list) and types and isinstance(types[0], str):
        facts.set("instance_type", "instance_types", types[0])
    capacity = facts.read("capacity_type", "ON_DEMAND")
    facts.set("spot", "capacity_type", capacity == "SPOT" if isinstance(capacity, str) else None)
    subnets = facts.read("subnet_ids")
    if isinstance(subnets, list):
        facts.set("subnet_count", "subnet_ids", len(subnets))


def _aws_kinesis(facts: Facts) -> None:
    facts.integer("shards", "shard_count")


def _aws_msk(facts: Facts) -> None:
    facts.integer("replicas", "number_of_broker_nodes")
    facts.text("instance_type", "broker_node_group_info.instance_type")


def _aws_opensearch(facts: Facts) -> None:
    facts.integer("replicas", "cluster_config.instance_count", 1)
    facts.text("instance_type", "cluster_config.instance_type")


def _gcp_spanner(facts: Facts) -> None:
    nodes = as_int(facts.read("num_nodes"))
    units = as_int(facts.read("processing_units"))
    facts.set("spanner_nodes", "num_nodes" if nodes is not None else "processing_units",
              nodes if nodes is not None else units / 1000 if units is not None else None)


def _aws_lb(facts: Facts) -> None:
    internal = facts.read("internal", False)
    facts.set("internet_facing", "internal", not internal if isinstance(internal, bool) else None)


def _aws_sagemaker(facts: Facts) -> None:
    facts.text("instance_type", "production_variants.instance_type")
    facts.integer("replicas", "production_variants.initial_instance_count")


def _aws_batch(facts: Facts) -> None:
    kind = facts.read("compute_resources.type")
    facts.set("spot", "compute_resources.type", kind in ("SPOT", "FARGATE_SPOT") if isinstance(kind, str) else None)
    types = facts.read("compute_resources.instance_type")
    if isinstance(types, list) and types and isinstance(types[0], str):
        facts.set("instance_type", "compute_resources.instance_type", types[0])


def _gcp_instance(facts: Facts) -> None:
    facts.text("instance_type", "machine_type")
    facts.set("replicas", None, 1)
    preemptible = facts.read("scheduling.preemptible", False)
    model = facts.read("scheduling.provisioning_model", "STANDARD")
    facts.set("spot", "scheduling", bool(preemptible) or model == "SPOT")
    zone = facts.read("zone")
    if isinstance(zone, str):
        facts.set("zones", "zone", (zone,))


def _gcp_mig(facts: Facts) -> None:
    facts.integer("replicas", "target_size")
    zone = facts.read("zone")
    if isinstance(zone, str):
        facts.set("zones", "zone", (zone,))
    zones = facts.read("distribution_policy_zones")
    if isinstance(zones, list) and all(isinstance(z, str) for z in zones):
        facts.set("zones", "distribution_policy_zones", tuple(sorted(zones)))


def _gcp_node_pool(facts: Facts) -> None:
    facts.text("instance_type", "node_config.machine_type")
    low = facts.integer("min_size", "autoscaling.min_node_count")
    high = facts.integer("max_size", "autoscaling.max_node_count")
    facts.integer("replicas", "node_count", low)
    if low is not None and high is not None:
        facts.set("autoscaling", "autoscaling", (low, high))
    spot = facts.read("node_config.spot", False) or facts.read("node_config.preemptible", False)
    facts.set("spot", "node_config", bool(spot))


def _gcp_sql(facts: Facts) -> None:
    facts.text("instance_type", "settings.tier")
    facts.text("engine", "database_version")
    availability = facts.read("settings.availability_type", "ZONAL")
    facts.set("high_availability", "settings.availability_type",
              availability == "REGIONAL" if isinstance(availability, str) else None)
    backups = facts.read("settings.backup_configuration.enabled", False)
    facts.set("backup_retention_days", "settings.backup_configuration",
              (as_int(facts.read("settings.backup_configuration.backup_retention_settings.retained_backups", 7)) or 7)
              if backups is True else 0 if backups is False else None)
    facts.boolean("deletion_protection", "deletion_protection", True)


def _gcp_redis(facts: Facts) -> None:
    tier = facts.read("tier", "BASIC")
    facts.set("automatic_failover", "tier", tier == "STANDARD_HA" if isinstance(tier, str) else None)
    facts.set("high_availability", "tier", tier == "STANDARD_HA" if isinstance(tier, str) else None)
    facts.set("replicas", None, 2 if tier == "STANDARD_HA" else 1)
    facts.text("tier", "tier", "BASIC")
    facts.integer("memory_gb", "memory_size_gb")


def _gcp_run(facts: Facts) -> None:
    low = facts.read("template.scaling.min_instance_count")
    if low is None:
        annotations = facts.read("template.metadata.annotations", {})
        low = annotations.get("autoscaling.knative.dev/minScale") if isinstance(annotations, dict) else None
    facts.set("min_instances", "template", as_int(low))


def _azure_vm(facts: Facts) -> None:
    facts.text("instance_type", "size")
    facts.set("replicas", None, 1)
    priority = facts.read("priority", "Regular")
    facts.set("spot", "priority", priority == "Spot" if isinstance(priority, str) else None)
    zone = facts.read("zone")
    if isinstance(zone, (str, int)):
        facts.set("zones", "zone", (str(zone),))


def _azure_vmss(facts: Facts) -> None:
    facts.text("instance_type", "sku")
    facts.integer("replicas", "instances")
    zones = facts.read("zones")
    if isinstance(zones, list):
        facts.set("zones", "zones", tuple(sorted(str(z) for z in zones)))
    priority = facts.read("priority", "Regular")
    facts.set("spot", "priority", priority == "Spot" if isinstance(priority, str) else None)


def _azure_node_pool(facts: Facts) -> None:
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


def _azure_postgres_flexible(facts: Facts) -> None:
    facts.text("instance_type", "sku_name")
    mode = facts.read("high_availability.mode")
    facts.set("high_availability", "high_availability", mode in ("ZoneRedundant", "SameZone") if mode is not None
              else (None if "high_availability" in facts.unknown else False))
    facts.integer("backup_retention_days", "backup_retention_days", 7)
    storage = as_int(facts.read("storage_mb"))
    facts.set("storage_gb", "storage_mb", storage // 1024 if storage is not None else None)


def _azure_redis(facts: Facts) -> None:
    sku = facts.read("sku_name", "Basic")
    facts.set("automatic_failover", "sku_name", sku != "Basic" if isinstance(sku, str) else None)
    facts.set("replicas", None, 1 if sku == "Basic" else 2)
    family, capacity = facts.read("family"), as_int(facts.read("capacity"))
    if isinstance(sku, str) and isinstance(family, str) and capacity is not None:
        facts.set("instance_type", "capacity", f"{sku}:{family}{capacity}")


def _azure_sql_database(facts: Facts) -> None:
    facts.text("instance_type", "sku_name")
    facts.boolean("high_availability", "zone_redundant", False)


# ---- the table ---------------------------------------------------------------------------------------------

C, AI, EDGE, GRID = Tier.CLOUD, Tier.AI, Tier.EDGE, Tier.GRID
K = NodeKind

TYPES: dict[str, ResourceType] = {
    # AWS
    "aws_instance": ResourceType(K.SERVICE, C, _aws_instance),
    "aws_autoscaling_group": ResourceType(K.SERVICE, C, _aws_asg),
    "aws_ecs_service": ResourceType(K.SERVICE, C, _aws_ecs_service),
    "aws_eks_cluster": ResourceType(K.CLUSTER, C, _nothing, managed_redundancy=True),
    "aws_eks_node_group": ResourceType(K.NODE_POOL, C, _aws_eks_node_group),
    "aws_lambda_function": ResourceType(K.FUNCTION, C, _aws_lambda, managed_redundancy=True),
    "aws_lambda_provisioned_concurrency_config": ResourceType(K.FUNCTION, C, _aws_provisioned_concurrency, True),
    "aws_db_instance": ResourceType(K.DATASTORE, C, _aws_db),
    "aws_rds_cluster": ResourceType(K.DATASTORE, C, _aws_aurora),
    "aws_dynamodb_table": ResourceType(K.DATASTORE, C, _nothing, managed_redundancy=True),
    "aws_s3_bucket": ResourceType(K.DATASTORE, C, _nothing, managed_redundancy=True),
    "aws_elasticache_replication_group": ResourceType(K.CACHE, C, _aws_elasticache_group),
    "aws_elasticache_cluster": ResourceType(K.CACHE, C, _aws_elasticache_cluster),
    "aws_sqs_queue": ResourceType(K.QUEUE, C, _nothing, managed_redundancy=True),
    "aws_sns_topic": ResourceType(K.QUEUE, C, _nothing, managed_redundancy=True),
    "aws_kinesis_stream": ResourceType(K.QUEUE, C, _aws_kinesis, managed_redundancy=True),
    "aws_msk_cluster": ResourceType(K.QUEUE, C, _aws_msk),
    "aws_lb": ResourceType(K.GATEWAY, C, _aws_lb, managed_redundancy=True),
    "aws_alb": ResourceType(K.GATEWAY, C, _aws_lb, managed_redundancy=True),
    "aws_elb": ResourceType(K.GATEWAY, C, _aws_lb, managed_redundancy=True),
    "aws_api_gateway_rest_api": ResourceType(K.GATEWAY, C, _nothing, managed_redundancy=True),
    "aws_apigatewayv2_api": ResourceType(K.GATEWAY, C, _nothing, managed_redundancy=True),
    "aws_cloudfront_distribution": ResourceType(K.GATEWAY, EDGE, _nothing, managed_redundancy=True),
    "aws_sagemaker_endpoint_configuration": ResourceType(K.MODEL_SERVING, AI, _aws_sagemaker),
    "aws_batch_compute_environment": ResourceType(K.BATCH_JOB, GRID, _aws_batch),
    "aws_opensearch_domain": ResourceType(K.DATASTORE, C, _aws_opensearch),
    # Google Cloud
    "google_compute_instance": ResourceType(K.SERVICE, C, _gcp_instance),
    "google_compute_instance_group_manager": ResourceType(K.SERVICE, C, _gcp_mig),
    "google_compute_region_instance_group_manager": ResourceType(K.SERVICE, C, _gcp_mig),
    "google_container_cluster": ResourceType(K.CLUSTER, C, _nothing),
    "google_container_node_pool": ResourceType(K.NODE_POOL, C, _gcp_node_pool),
    "google_cloud_run_service": ResourceType(K.FUNCTION, C, _gcp_run, managed_redundancy=True),
    "google_cloud_run_v2_service": ResourceType(K.FUNCTION, C, _gcp_run, managed_redundancy=True),
    "google_cloudfunctions_function": ResourceType(K.FUNCTION, C, _nothing, managed_redundancy=True),
    "google_cloudfunctions2_function": ResourceType(K.FUNCTION, C, _nothing, managed_redundancy=True),
    "google_sql_database_instance": ResourceType(K.DATASTORE, C, _gcp_sql),
    "google_redis_instance": ResourceType(K.CACHE, C, _gcp_redis),
    "google_storage_bucket": ResourceType(K.DATASTORE, C, _nothing, managed_redundancy=True),
    "google_bigquery_dataset": ResourceType(K.DATASTORE, C, _nothing, managed_redundancy=True),
    "google_spanner_instance": ResourceType(K.DATASTORE, C, _gcp_spanner, managed_redundancy=True),
    "google_pubsub_topic": ResourceType(K.QUEUE, C, _nothing, managed_redundancy=True),
    "google_compute_global_forwarding_rule": ResourceType(K.GATEWAY, C, _nothing, managed_redundancy=True),
    "google_compute_url_map": ResourceType(K.GATEWAY, C, _nothing, managed_redundancy=True),
    "google_vertex_ai_endpoint": ResourceType(K.MODEL_SERVING, AI, _nothing, managed_redundancy=True),
    # Azure
    "azurerm_linux_virtual_machine": ResourceType(K.SERVICE, C, _azure_vm),
    "azurerm_windows_virtual_machine": ResourceType(K.SERVICE, C, _azure_vm),
    "azurerm_linux_virtual_machine_scale_set": ResourceType(K.SERVICE, C, _azure_vmss),
    "azurerm_windows_virtual_machine_scale_set": ResourceType(K.SERVICE, C, _azure_vmss),
    "azurerm_kubernetes_cluster": ResourceType(K.CLUSTER, C, _nothing),
    "azurerm_kubernetes_cluster_node_pool": ResourceType(K.NODE_POOL, C, _azure_node_pool),
    "azurerm_linux_function_app": ResourceType(K.FUNCTION, C, _nothing, managed_redundancy=True),
    "azurerm_function_app": ResourceType(K.FUNCTION, C, _nothing, managed_redundancy=True),
    "azurerm_container_app": ResourceType(K.SERVICE, C, _nothing, managed_redundancy=True),
    "azurerm_postgresql_flexible_server": ResourceType(K.DATASTORE, C, _azure_postgres_flexible),
    "azurerm_mssql_database": ResourceType(K.DATASTORE, C, _azure_sql_database),
    "azurerm_cosmosdb_account": ResourceType(K.DATASTORE, C, _nothing, managed_redundancy=True),
    "azurerm_storage_account": ResourceType(K.DATASTORE, C, _nothing, managed_redundancy=True),
    "azurerm_redis_cache": ResourceType(K.CACHE, C, _azure_redis),
    "azurerm_servicebus_namespace": ResourceType(K.QUEUE, C, _nothing, managed_redundancy=True),
    "azurerm_eventhub_namespace": ResourceType(K.QUEUE, C, _nothing, managed_redundancy=True),
    "azurerm_application_gateway": ResourceType(K.GATEWAY, C, _nothing),
    "azurerm_lb": ResourceType(K.GATEWAY, C, _nothing, managed_redundancy=True),
    "azurerm_cdn_frontdoor_profile": ResourceType(K.GATEWAY, EDGE, _nothing, managed_redundancy=True),
    "azurerm_machine_learning_compute_cluster": ResourceType(K.TRAINING_JOB, AI, _nothing),
}

#: Provider of a Terraform type, from its prefix.
PROVIDERS = {"aws": "aws", "google": "gcp", "azurerm": "azure"}


def provider_of(resource_type: str) -> str | None:
    return PROVIDERS.get(resource_type.split("_", 1)[0])
