"""AWS CDK (v2, and v1's same module names) constructs to Terraform types, with CDK's documented defaults."""

from __future__ import annotations

import re
from typing import Any

from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.python_iac.construct import Call, Out, Translate, renamed

SOURCE = "cdk"
_DAY = 86400.0


class Duration(float):
    """A CDK Duration, in seconds."""


def _duration(unit: float):
    return lambda amount, *_, **__: Duration(amount * unit) if isinstance(amount, (int, float)) else UNKNOWN


def _days(value: Any) -> Any:
    if isinstance(value, Duration):
        days = value / _DAY
        return int(days) if days.is_integer() else days
    return UNKNOWN if value is UNKNOWN else None


def _engine(name: str):
    return lambda *_, **__: name


def _cluster_instance(kind: str):
    def make(id_: Any = UNKNOWN, **props: Any) -> dict:
        return {"kind": kind, "id": id_, **props}
    return make


def instance_class(member: str) -> str:
    """`InstanceClass.MEMORY6_GRAVITON` or `InstanceClass.R6G` -> "r6g"."""
    match = re.fullmatch(r"(STANDARD|MEMORY|COMPUTE|BURSTABLE)(\d+)(?:_([A-Z0-9]+))?", member)
    if match is None:
        return member.lower()
    family = {"STANDARD": "m", "MEMORY": "r", "COMPUTE": "c", "BURSTABLE": "t"}[match.group(1)]
    features = {"GRAVITON": "g", "GRAVITON2": "g", "GRAVITON3": "g", "AMD": "a", "INTEL": "i"}
    extra = features.get(match.group(3) or "", "")
    return f"{family}{match.group(2)}{extra}"


def instance_size(member: str) -> str:
    """`InstanceSize.XLARGE2` -> "2xlarge"."""
    match = re.fullmatch(r"XLARGE(\d+)", member)
    return f"{match.group(1)}xlarge" if match else member.lower()


def _of(klass: Any, size: Any) -> Any:
    return f"{klass}.{size}" if isinstance(klass, str) and isinstance(size, str) else UNKNOWN


_CORE = ("aws_cdk.", "aws_cdk.core.")
CALLS: dict = {
    "aws_cdk.aws_ec2.InstanceType": lambda name=UNKNOWN, *_, **__: name if isinstance(name, str) else UNKNOWN,
    "aws_cdk.aws_ec2.InstanceType.of": _of,
    **{f"{core}Duration.{unit}": _duration(seconds) for core in _CORE
       for unit, seconds in (("days", _DAY), ("hours", 3600), ("minutes", 60), ("seconds", 1))},
    **{f"aws_cdk.aws_rds.DatabaseInstanceEngine.{name}": _engine(engine) for name, engine in (
        ("postgres", "postgres"), ("mysql", "mysql"), ("maria_db", "mariadb"), ("oracle_ee", "oracle-ee"),
        ("sql_server_se", "sqlserver-se"), ("sql_server_ee", "sqlserver-ee"))},
    "aws_cdk.aws_rds.DatabaseClusterEngine.aurora_postgres": _engine("aurora-postgresql"),
    "aws_cdk.aws_rds.DatabaseClusterEngine.aurora_mysql": _engine("aurora-mysql"),
    "aws_cdk.aws_rds.ClusterInstance.provisioned": _cluster_instance("provisioned"),
    "aws_cdk.aws_rds.ClusterInstance.serverless_v2": _cluster_instance("serverless-v2"),
}
ENUMS = {
    "aws_cdk.aws_ec2.InstanceClass": instance_class, "aws_cdk.aws_ec2.InstanceSize": instance_size,
    "aws_cdk.aws_rds.DatabaseInstanceEngine": lambda m: m.lower().replace("_", "-"),
    "aws_cdk.aws_rds.DatabaseClusterEngine": lambda m: m.lower().replace("_", "-"),
    "aws_cdk.aws_eks.CapacityType": str, "aws_cdk.RemovalPolicy": str, "aws_cdk.core.RemovalPolicy": str,
}


def _prefixed(prefix: str, value: Any) -> Any:
    return prefix + value if isinstance(value, str) and not value.startswith(prefix) else value


def _not(value: Any) -> Any:
    return not value if isinstance(value, bool) else UNKNOWN if value is UNKNOWN else None


def _db_instance(call: Call) -> list[Out]:
    out = Out(call, "aws_db_instance")
    out.put("instance_class", _prefixed("db.", call.get("instance_type", "m5.large")), "instance_type")
    out.put("engine", call.get("engine"), "engine").put("multi_az", call.get("multi_az", False), "multi_az")
    out.put("backup_retention_period", _days(call.get("backup_retention", Duration(_DAY))), "backup_retention")
    return [_deletion_protection(call, out)]


def _deletion_protection(call: Call, out: Out) -> Out:
    """CDK turns deletion protection on by default only when the removal policy is RETAIN (default SNAPSHOT)."""
    retain = call.get("removal_policy", "SNAPSHOT")
    default = retain == "RETAIN" if retain is not UNKNOWN else UNKNOWN
    # DESTROY deletes it with no final snapshot; SNAPSHOT (the default) takes one; RETAIN keeps the database
    out.put("skip_final_snapshot", retain == "DESTROY" if retain is not UNKNOWN else UNKNOWN, "removal_policy")
    return out.put("deletion_protection", call.get("deletion_protection", default), "deletion_protection")


def _db_cluster(call: Call) -> list[Out]:
    main = Out(call, "aws_rds_cluster").put("engine", call.get("engine"), "engine")
    main.put("backup_retention_period", _days(call.get("backup.retention", Duration(_DAY))), "backup.retention")
    outs = [_deletion_protection(call, main)]
    writer, readers = call.get("writer"), call.get("readers", [])
    if writer is None and not readers:  # the older `instances` property: CDK's default is 2
        member = Out(call, "aws_rds_cluster_instance", suffix="Instance", refers_to_main=True, at="instances")
        member.count = call.get("instances", 2)
        return outs + [member]
    members = [("writer", writer)] if writer is not None else []
    members += [("readers", r) for r in readers] if isinstance(readers, list) else [("readers", UNKNOWN)]
    for index, (where, spec) in enumerate(members):
        name = spec.get("id") if isinstance(spec, dict) else None
        member = Out(call, "aws_rds_cluster_instance", suffix=name if isinstance(name, str) else f"Instance{index + 1}",
                     refers_to_main=True, at=where)
        if spec is UNKNOWN:
            member.count = UNKNOWN
        outs.append(member)
    return outs


def _asg(call: Call) -> list[Out]:
    low, desired = call.get("min_capacity", 1), call.get("desired_capacity")
    high = call.get("max_capacity", desired if desired is not None else
                    max(low, 1) if isinstance(low, int) else UNKNOWN)
    out = Out(call, "aws_autoscaling_group").put("min_size", low, "min_capacity").put("max_size", high, "max_capacity")
    out.put("__instance_type", call.get("instance_type"), "instance_type")
    return [out.put("desired_capacity", desired, "desired_capacity")]


def _nodegroup(call: Call, name: str = "") -> Out:
    out = Out(call, "aws_eks_node_group", suffix=name)
    out.put("scaling_config.min_size", call.get("min_size", 1), "min_size")
    desired = call.get("desired_size")
    out.put("scaling_config.desired_size", desired, "desired_size")
    out.put("scaling_config.max_size", call.get("max_size", desired), "max_size")
    types = call.get("instance_types")
    single = call.get("instance_type")
    out.put("instance_types", types if types is not None else [single] if single is not None else None,
            "instance_types" if types is not None else "instance_type")
    return out.put("capacity_type", call.get("capacity_type"), "capacity_type")


def _eks_cluster(call: Call) -> list[Out]:
    outs = [Out(call, "aws_eks_cluster")]
    capacity = call.get("default_capacity", 2)
    if capacity != 0 and call.get("default_capacity_type", "NODEGROUP") != "EC2":
        group = Out(call, "aws_eks_node_group", suffix="DefaultCapacity", refers_to_main=True, at="default_capacity")
        group.put("scaling_config.min_size", capacity, "default_capacity")
        group.put("instance_types", [call.get("default_capacity_instance", "m5.large")], "default_capacity_instance")
        outs.append(group)
    return outs


def _service(launch: str, balanced: bool):
    def translate(call: Call) -> list[Out]:
        service = Out(call, "aws_ecs_service").put("desired_count", call.get("desired_count", 1), "desired_count")
        service.put("launch_type", launch)
        if not balanced:
            return [service]
        balancer = Out(call, "aws_lb", suffix="LB", refers_to_main=True, at="public_load_balancer")
        return [service, balancer.put("internal", _not(call.get("public_load_balancer", True)), "public_load_balancer")]
    return translate


def _task_definition(fargate: bool):
    """A task definition's size per task: CDK's Fargate defaults are 256 CPU units and 512 MiB."""
    def translate(call: Call) -> list[Out]:
        out = Out(call, "aws_ecs_task_definition")
        out.put("cpu", call.get("cpu", 256 if fargate else None), "cpu")
        out.put("memory", call.get("memory_limit_mib", 512 if fargate else None), "memory_limit_mib")
        compatible = call.get("compatibility")
        out.put("requires_compatibilities", ["FARGATE"] if fargate else ["EC2"] if compatible is None else None)
        return [out]
    return translate


def _balancer(call: Call) -> list[Out]:
    return [Out(call, "aws_lb").put("internal", _not(call.get("internet_facing", False)), "internet_facing")]


def _lambda(call: Call) -> list[Out]:
    return [Out(call, "aws_lambda_function").copy("memory_size", "reserved_concurrent_executions")]


def _plain(resource_type: str):
    return lambda call: [Out(call, resource_type)]


def _cfn(resource_type: str, renames: dict[str, str] | None = None):
    def translate(call: Call) -> list[Out]:
        out = renamed(call, renames or {}, skip=("scope", "id"))
        out.type = resource_type
        return [out]
    return translate


def _instance(call: Call) -> list[Out]:
    return [Out(call, "aws_instance").copy("instance_type")]


CONSTRUCTS: dict[str, Translate] = {
    "aws_rds.DatabaseInstance": _db_instance, "aws_rds.DatabaseInstanceFromSnapshot": _db_instance,
    "aws_rds.DatabaseCluster": _db_cluster, "aws_rds.DatabaseClusterFromSnapshot": _db_cluster,
    "aws_rds.CfnDBInstance": _cfn("aws_db_instance", {"db_instance_class": "instance_class"}),
    "aws_rds.CfnDBCluster": _cfn("aws_rds_cluster"),
    "aws_ec2.Instance": _instance, "aws_ec2.CfnInstance": _cfn("aws_instance"),
    "aws_autoscaling.AutoScalingGroup": _asg, "aws_autoscaling.CfnAutoScalingGroup": _cfn("aws_autoscaling_group"),
    "aws_lambda.Function": _lambda, "aws_lambda.DockerImageFunction": _lambda,
    "aws_lambda_nodejs.NodejsFunction": _lambda, "aws_lambda_python_alpha.PythonFunction": _lambda,
    "aws_s3.Bucket": _plain("aws_s3_bucket"), "aws_s3.CfnBucket": _plain("aws_s3_bucket"),
    "aws_sqs.Queue": _plain("aws_sqs_queue"), "aws_sns.Topic": _plain("aws_sns_topic"),
    "aws_kinesis.Stream": _plain("aws_kinesis_stream"), "aws_dynamodb.Table": _plain("aws_dynamodb_table"),
    "aws_dynamodb.TableV2": _plain("aws_dynamodb_table"),
    "aws_elasticache.CfnReplicationGroup": _cfn("aws_elasticache_replication_group", {"cache_node_type": "node_type"}),
    "aws_elasticache.CfnCacheCluster": _cfn("aws_elasticache_cluster", {"cache_node_type": "node_type"}),
    "aws_ecs.FargateService": _service("FARGATE", False), "aws_ecs.Ec2Service": _service("EC2", False),
    "aws_ecs.FargateTaskDefinition": _task_definition(True), "aws_ecs.Ec2TaskDefinition": _task_definition(False),
    "aws_ecs_patterns.ApplicationLoadBalancedFargateService": _service("FARGATE", True),
    "aws_ecs_patterns.ApplicationLoadBalancedEc2Service": _service("EC2", True),
    "aws_ecs_patterns.NetworkLoadBalancedFargateService": _service("FARGATE", True),
    "aws_ecs_patterns.NetworkLoadBalancedEc2Service": _service("EC2", True),
    "aws_elasticloadbalancingv2.ApplicationLoadBalancer": _balancer,
    "aws_elasticloadbalancingv2.NetworkLoadBalancer": _balancer,
    "aws_eks.Cluster": _eks_cluster, "aws_eks.FargateCluster": _plain("aws_eks_cluster"),
    "aws_eks.Nodegroup": lambda call: [_nodegroup(call)],
    "aws_sagemaker.CfnEndpointConfig": _cfn("aws_sagemaker_endpoint_configuration"),
    "aws_opensearchservice.Domain": _plain("aws_opensearch_domain"),
    "aws_apigateway.RestApi": _plain("aws_api_gateway_rest_api"),
    "aws_apigateway.LambdaRestApi": _plain("aws_api_gateway_rest_api"),
    "aws_apigatewayv2.HttpApi": _plain("aws_apigatewayv2_api"),
    "aws_cloudfront.Distribution": _plain("aws_cloudfront_distribution"),
}

#: Methods that add a resource to a construct: (construct class, method) -> translation of the call.
def _task_scaling(call: Call) -> list[Out]:
    """`service.auto_scale_task_count(min_capacity=2, max_capacity=10)`: an Application Auto Scaling target of the
    service's desired count (CDK's default minimum is 1)."""
    out = Out(call, "aws_appautoscaling_target").put("scalable_dimension", "ecs:service:DesiredCount")
    return [out.put("min_capacity", call.get("min_capacity", 1), "min_capacity")
            .put("max_capacity", call.get("max_capacity"), "max_capacity")]


METHODS: dict[tuple[str, str], Translate] = {
    ("aws_cdk.aws_eks.Cluster", "add_nodegroup_capacity"): lambda call: [_nodegroup(call)],
    ("aws_cdk.aws_ecs.FargateService", "auto_scale_task_count"): _task_scaling,
    ("aws_cdk.aws_ecs.Ec2Service", "auto_scale_task_count"): _task_scaling,
}


def lookup(qualname: str) -> Translate | None:
    """The translation of a CDK construct class, None when it is not one archlint maps."""
    if not qualname.startswith("aws_cdk."):
        return None
    return CONSTRUCTS.get(qualname[len("aws_cdk."):])
