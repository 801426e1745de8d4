"""Fact readers of AWS resource types (Terraform names; CloudFormation, CDK and Pulumi translate into them)."""

from __future__ import annotations

from archlint.loaders.cloud.facts import Facts, as_int
from archlint.loaders.cloud.readers.common import final_snapshot, primary_recovery, replica


def aws_instance(facts: Facts) -> None:
    facts.text("instance_type", "instance_type")
    facts.set("replicas", None, 1)
    market = facts.read("instance_market_options.market_type")
    facts.set("spot", "instance_market_options", market == "spot" if market is not None else False)
    facts.set("internet_facing", "associate_public_ip_address", facts.read("associate_public_ip_address"))


def aws_asg(facts: Facts) -> None:
    facts.text("instance_type", "__instance_type")  # from its launch template or launch configuration
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
    if "instance_type" not in facts.values:
        _instance_requirements(facts)
    mixed = facts.read("mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity")
    template_spot = facts.read("__spot", False)
    facts.set("spot", "mixed_instances_policy" if mixed is not None else "__spot",
              (as_int(mixed) or 0) < 100 if mixed is not None else bool(template_spot))


def _instance_requirements(facts: Facts) -> None:
    """Attribute-based instance selection (a mixed instances policy's override with `instance_requirements`):
    AWS picks the types at launch, so the group is sized by the smallest instance the requirements allow (the
    minimum vCPU count, and the larger of the minimum memory and the minimum memory per vCPU)."""
    overrides = facts.read("mixed_instances_policy.launch_template.override")
    for override in overrides if isinstance(overrides, list) else [overrides]:
        wanted = override.get("instance_requirements") if isinstance(override, dict) else None
        if isinstance(wanted, list):
            wanted = wanted[0] if wanted else None
        if not isinstance(wanted, dict):
            continue
        vcpu = as_int(_bound(wanted, "vcpu_count"))
        if not vcpu:
            return
        memory = max(as_int(_bound(wanted, "memory_mib")) or 0,
                     int(float(_bound(wanted, "memory_gib_per_vcpu") or 0) * vcpu * 1024))
        facts.set("task_vcpu", "mixed_instances_policy", vcpu)
        facts.set("task_memory_mib", "mixed_instances_policy", memory or None)
        facts.set("instance_requirements", "mixed_instances_policy", f"{vcpu} vCPU" + (
            f", {memory / 1024:g} GiB" if memory else ""))
        return


def _bound(requirements: dict, key: str):
    """The minimum of a `{ min, max }` requirement (a block is a dict, or a list of one)."""
    value = requirements.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    minimum = value.get("min") if isinstance(value, dict) else None
    return minimum if isinstance(minimum, (int, float)) and not isinstance(minimum, bool) else None


def aws_db(facts: Facts) -> None:
    facts.text("instance_type", "instance_class")
    facts.text("engine", "engine")
    facts.integer("storage_gb", "allocated_storage")
    if replica(facts):
        return
    facts.boolean("high_availability", "multi_az", False)
    # The API keeps 1 day when the attribute is absent (Terraform leaves it to the API; CloudFormation says 1 too)
    facts.integer("backup_retention_days", "backup_retention_period", 1)
    facts.boolean("deletion_protection", "deletion_protection", False)
    final_snapshot(facts, automated=True)
    primary_recovery(facts)


def aws_aurora(facts: Facts) -> None:
    facts.text("engine", "engine")
    if replica(facts):
        return
    facts.integer("backup_retention_days", "backup_retention_period", 1)
    facts.boolean("deletion_protection", "deletion_protection", False)
    final_snapshot(facts, automated=False)


def aws_elasticache_group(facts: Facts) -> None:
    facts.text("instance_type", "node_type" if facts.read("node_type") is not None else "__node_type")
    clusters = facts.integer("cache_nodes", "num_cache_clusters")
    per_group = as_int(facts.read("replicas_per_node_group"))
    if clusters is None and per_group is not None:
        facts.set("cache_nodes", "replicas_per_node_group", per_group + 1)
    extra = facts.read("__extra_nodes")  # aws_elasticache_cluster resources that join the group
    if isinstance(extra, int) and extra:
        facts.set("cache_nodes", facts.points.get("cache_nodes"), (facts.values.get("cache_nodes") or 1) + extra)
    facts.boolean("automatic_failover", "automatic_failover_enabled", False)
    facts.boolean("high_availability", "multi_az_enabled", False)
    nodes = facts.values.get("cache_nodes")
    if nodes is not None:
        facts.set("replicas", None, nodes)


def aws_elasticache_cluster(facts: Facts) -> None:
    member = facts.read("__member_of")
    if member is not None:  # a node of a replication group the files do not declare: judged with that group
        facts.set("member_of", None, member)
        return
    facts.text("instance_type", "node_type")
    nodes = facts.integer("cache_nodes", "num_cache_nodes", 1)
    engine = facts.text("engine", "engine")
    if engine != "memcached":  # memcached nodes share the keys out and never fail over: only their number counts
        # a standalone Redis or Valkey cluster cannot fail over whatever its size (num_cache_nodes must be 1):
        # the finding is about the resource itself (a replication group is the remedy)
        facts.set("automatic_failover", None, False if engine in ("redis", "valkey") else None)
    facts.set("replicas", None, nodes)


def aws_lambda(facts: Facts) -> None:
    facts.integer("memory_mb", "memory_size", 128)
    facts.integer("reserved_concurrency", "reserved_concurrent_executions")


def aws_provisioned_concurrency(facts: Facts) -> None:
    facts.integer("provisioned_concurrency", "provisioned_concurrent_executions")


def aws_ecs_service(facts: Facts) -> None:
    facts.set("replica_unit", None, "task")
    facts.integer("replicas", "desired_count", 0 if facts.read("scheduling_strategy") == "DAEMON" else 1)
    launch = facts.text("launch_type", "launch_type")
    scaling = facts.read("__scaling")  # an Application Auto Scaling target of its desired count
    if isinstance(scaling, tuple):
        low, high = as_int(scaling[0]), as_int(scaling[1])
        if low is not None and high is not None:
            facts.set("autoscaling", "__scaling", (low, high))
    cpu, memory = as_int(facts.read("__task_cpu")), as_int(facts.read("__task_memory"))
    if cpu is not None:
        facts.set("task_vcpu", "__task_cpu", cpu / 1024)  # CPU units: 1024 is one vCPU
    if memory is not None:
        facts.set("task_memory_mib", "__task_memory", memory)
    # A task definition that requires FARGATE runs nowhere else; else the launch type (EC2 when not set).
    fargate = facts.read("__fargate")
    if fargate is True or launch in ("FARGATE", "FARGATE_SPOT"):
        facts.set("fargate", None, True)
    elif launch == "EC2" or (launch is None and facts.read("capacity_provider_strategy") is None and fargate is False):
        facts.set("fargate", None, False)


def aws_eks_node_group(facts: Facts) -> None:
    low = facts.integer("min_size", "scaling_config.min_size")
    high = facts.integer("max_size", "scaling_config.max_size")
    facts.integer("replicas", "scaling_config.desired_size", low)
    if low is not None and high is not None:
        facts.set("autoscaling", "scaling_config", (low, high))
    types = facts.read("instance_types")
    if isinstance(types, list) and types and isinstance(types[0], str):
        facts.set("instance_type", "instance_types", types[0])
    elif types is None or types == []:
        facts.text("instance_type", "__instance_type")  # from its launch template
    capacity = facts.read("capacity_type", "ON_DEMAND")
    facts.set("spot", "capacity_type", capacity == "SPOT" if isinstance(capacity, str) else None)
    subnets = facts.read("subnet_ids")
    if isinstance(subnets, list):
        facts.set("subnet_count", "subnet_ids", len(subnets))


def aws_kinesis(facts: Facts) -> None:
    facts.integer("shards", "shard_count")


def aws_msk(facts: Facts) -> None:
    facts.integer("replicas", "number_of_broker_nodes")
    facts.text("instance_type", "broker_node_group_info.instance_type")


def aws_opensearch(facts: Facts) -> None:
    facts.integer("replicas", "cluster_config.instance_count", 1)
    facts.text("instance_type", "cluster_config.instance_type")


def aws_lb(facts: Facts) -> None:
    internal = facts.read("internal", False)
    facts.set("internet_facing", "internal", not internal if isinstance(internal, bool) else None)


def aws_sagemaker(facts: Facts) -> None:
    facts.text("instance_type", "production_variants.instance_type")
    facts.integer("replicas", "production_variants.initial_instance_count")


def aws_batch(facts: Facts) -> None:
    kind = facts.read("compute_resources.type")
    facts.set("spot", "compute_resources.type", kind in ("SPOT", "FARGATE_SPOT") if isinstance(kind, str) else None)
    types = facts.read("compute_resources.instance_type")
    if isinstance(types, list) and types and isinstance(types[0], str):
        facts.set("instance_type", "compute_resources.instance_type", types[0])


def aws_nat(facts: Facts) -> None:
    facts.set("replicas", None, 1)
    facts.integer("private_subnets", "__subnets")
    facts.integer("private_subnet_zones", "__subnet_zones")
    facts.text("connectivity", "connectivity_type", "public")
