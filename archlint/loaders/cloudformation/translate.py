"""CloudFormation resource types and properties in Terraform's vocabulary, the one the shared cloud mapping reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archlint.loaders.cloud import UNKNOWN
from archlint.model import Span

#: A CloudFormation property path (dotted; a list stands for its first item) -> a Terraform attribute path, or
#: (attribute, nested table) applied to a mapping or to each item of a list, or (attribute, value converter).
Table = dict[str, str | tuple[str, "Table"] | tuple[str, Callable[[Any], Any]]]


def _internal(scheme: Any) -> Any:
    """ELB `Scheme` (internal | internet-facing) -> Terraform's `internal` boolean."""
    return UNKNOWN if scheme is UNKNOWN else {"internal": True, "internet-facing": False}.get(scheme)


_DB = {"MultiAZ": "multi_az", "BackupRetentionPeriod": "backup_retention_period", "Engine": "engine",
       "DeletionProtection": "deletion_protection", "DBInstanceClass": "instance_class",
       "DBClusterIdentifier": "__cluster", "SourceDBInstanceIdentifier": "replicate_source_db",
       "DeleteAutomatedBackups": "delete_automated_backups"}
_LAMBDA = {"MemorySize": "memory_size", "ReservedConcurrentExecutions": "reserved_concurrent_executions"}
_PROVISIONED = {"ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions": "provisioned_concurrent_executions"}
_SCHEME = {"Scheme": ("internal", _internal)}
_SEARCH = {"ClusterConfig.InstanceType": "cluster_config.instance_type",
           "ClusterConfig.InstanceCount": "cluster_config.instance_count",
           "ClusterConfig.ZoneAwarenessEnabled": "cluster_config.zone_awareness_enabled"}

TYPES: dict[str, tuple[str, Table]] = {
    "AWS::RDS::DBInstance": ("aws_db_instance", _DB),
    "AWS::RDS::DBCluster": ("aws_rds_cluster", {"Engine": "engine", "BackupRetentionPeriod": "backup_retention_period",
                                                "DeletionProtection": "deletion_protection",
                                                "DBClusterIdentifier": "__identifier",
                                                "ReplicationSourceIdentifier": "replication_source_identifier"}),
    "AWS::EC2::Instance": ("aws_instance", {
        "InstanceType": "instance_type", "InstanceMarketOptions.MarketType": "instance_market_options.market_type",
        "NetworkInterfaces.AssociatePublicIpAddress": "associate_public_ip_address"}),
    "AWS::AutoScaling::AutoScalingGroup": ("aws_autoscaling_group", {
        "MinSize": "min_size", "MaxSize": "max_size", "DesiredCapacity": "desired_capacity",
        "AvailabilityZones": "availability_zones", "VPCZoneIdentifier": "vpc_zone_identifier",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity":
            "mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity"}),
    "AWS::ECS::Service": ("aws_ecs_service", {"DesiredCount": "desired_count", "LaunchType": "launch_type",
                                              "SchedulingStrategy": "scheduling_strategy"}),
    "AWS::ECS::TaskDefinition": ("aws_ecs_task_definition", {"Cpu": "cpu", "Memory": "memory",
                                                              "RequiresCompatibilities": "requires_compatibilities"}),
    "AWS::ApplicationAutoScaling::ScalableTarget": ("aws_appautoscaling_target", {
        "MinCapacity": "min_capacity", "MaxCapacity": "max_capacity", "ScalableDimension": "scalable_dimension"}),
    "AWS::EC2::LaunchTemplate": ("aws_launch_template", {
        "LaunchTemplateData.InstanceType": "instance_type",
        "LaunchTemplateData.InstanceMarketOptions.MarketType": "instance_market_options.market_type"}),
    "AWS::AutoScaling::LaunchConfiguration": ("aws_launch_configuration", {"InstanceType": "instance_type",
                                                                          "SpotPrice": "spot_price"}),
    "AWS::EC2::NatGateway": ("aws_nat_gateway", {"ConnectivityType": "connectivity_type"}),
    "AWS::EC2::Subnet": ("aws_subnet", {"AvailabilityZone": "availability_zone"}),
    "AWS::EC2::RouteTable": ("aws_route_table", {}),
    "AWS::EC2::Route": ("aws_route", {}),
    "AWS::EC2::SubnetRouteTableAssociation": ("aws_route_table_association", {}),
    "AWS::EKS::Cluster": ("aws_eks_cluster", {}),
    "AWS::EKS::Nodegroup": ("aws_eks_node_group", {
        "ScalingConfig.MinSize": "scaling_config.min_size", "ScalingConfig.MaxSize": "scaling_config.max_size",
        "ScalingConfig.DesiredSize": "scaling_config.desired_size", "InstanceTypes": "instance_types",
        "CapacityType": "capacity_type", "Subnets": "subnet_ids"}),
    "AWS::Lambda::Function": ("aws_lambda_function", _LAMBDA),
    "AWS::Serverless::Function": ("aws_lambda_function", {
        **_LAMBDA, "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions": "__provisioned"}),
    "AWS::Lambda::Version": ("aws_lambda_provisioned_concurrency_config", _PROVISIONED),
    "AWS::Lambda::Alias": ("aws_lambda_provisioned_concurrency_config", _PROVISIONED),
    "AWS::DynamoDB::Table": ("aws_dynamodb_table", {}),
    "AWS::DynamoDB::GlobalTable": ("aws_dynamodb_table", {}),
    "AWS::Serverless::SimpleTable": ("aws_dynamodb_table", {}),
    "AWS::S3::Bucket": ("aws_s3_bucket", {}),
    "AWS::ElastiCache::ReplicationGroup": ("aws_elasticache_replication_group", {
        "CacheNodeType": "node_type", "NumCacheClusters": "num_cache_clusters", "Engine": "engine",
        "ReplicasPerNodeGroup": "replicas_per_node_group", "AutomaticFailoverEnabled": "automatic_failover_enabled",
        "MultiAZEnabled": "multi_az_enabled"}),
    "AWS::ElastiCache::CacheCluster": ("aws_elasticache_cluster", {
        "CacheNodeType": "node_type", "NumCacheNodes": "num_cache_nodes", "Engine": "engine"}),
    "AWS::SQS::Queue": ("aws_sqs_queue", {}),
    "AWS::SNS::Topic": ("aws_sns_topic", {}),
    "AWS::Kinesis::Stream": ("aws_kinesis_stream", {"ShardCount": "shard_count"}),
    "AWS::MSK::Cluster": ("aws_msk_cluster", {"NumberOfBrokerNodes": "number_of_broker_nodes",
                                              "BrokerNodeGroupInfo.InstanceType": "broker_node_group_info.instance_type"}),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("aws_lb", _SCHEME),
    "AWS::ElasticLoadBalancing::LoadBalancer": ("aws_elb", _SCHEME),
    "AWS::ApiGateway::RestApi": ("aws_api_gateway_rest_api", {}),
    "AWS::Serverless::Api": ("aws_api_gateway_rest_api", {}),
    "AWS::ApiGatewayV2::Api": ("aws_apigatewayv2_api", {"ProtocolType": "protocol_type"}),
    "AWS::Serverless::HttpApi": ("aws_apigatewayv2_api", {}),
    "AWS::CloudFront::Distribution": ("aws_cloudfront_distribution", {}),
    "AWS::SageMaker::EndpointConfig": ("aws_sagemaker_endpoint_configuration", {
        "ProductionVariants": ("production_variants", {
            "VariantName": "variant_name", "InstanceType": "instance_type",
            "InitialInstanceCount": "initial_instance_count"})}),
    "AWS::Batch::ComputeEnvironment": ("aws_batch_compute_environment", {
        "ComputeResources": ("compute_resources", {
            "Type": "type", "InstanceTypes": "instance_type", "MinvCpus": "min_vcpus", "MaxvCpus": "max_vcpus"})}),
    "AWS::OpenSearchService::Domain": ("aws_opensearch_domain", _SEARCH),
    "AWS::Elasticsearch::Domain": ("aws_opensearch_domain", {k.replace("ClusterConfig", "ElasticsearchClusterConfig"): v
                                                             for k, v in _SEARCH.items()}),
}

#: Types that describe another resource only when a property is there (a Lambda version or alias is a
#: provisioned concurrency configuration when it has one).
ONLY_WITH = {"AWS::Lambda::Version": "ProvisionedConcurrencyConfig", "AWS::Lambda::Alias": "ProvisionedConcurrencyConfig"}

#: CloudFormation's documented defaults, as Terraform attributes, where the readers assume none or another.
DEFAULTS: dict[str, dict[str, Any]] = {
    "AWS::RDS::DBInstance": {"backup_retention_period": 1},  # "Default: 1" (Terraform leaves it to the API)
}

_MISSING = object()


def translate(table: Table, props: Any, file: str, out: dict, spans: dict[str, Span], prefix: str = "") -> dict:
    """Fill `out` with the Terraform attributes of resolved CloudFormation `props`, `spans` with their lines."""
    for source, target in table.items():
        value, line = _walk(props, source)
        if value is _MISSING:
            continue
        extra = None
        if isinstance(target, tuple):
            target, extra = target
        if isinstance(extra, dict):
            if isinstance(value, list):
                value = [translate(extra, item, file, {}, spans if index == 0 else {}, f"{prefix}{target}.")
                         if isinstance(item, dict) else item for index, item in enumerate(value)]
            elif isinstance(value, dict):
                value = translate(extra, value, file, {}, spans, f"{prefix}{target}.")
        elif extra is not None:
            value = extra(value)
            if value is None:
                continue
        _put(out, target, value)
        spans.setdefault(prefix + target, Span(file, line))
    return out


def _walk(props: Any, path: str) -> tuple[Any, int]:
    value, line = props, getattr(props, "line", 1)
    for part in path.split("."):
        if isinstance(value, list):
            value = value[0] if value else _MISSING
        if value is UNKNOWN:
            return UNKNOWN, line
        if not isinstance(value, dict) or part not in value:
            return _MISSING, line
        line = value.line_of(part) if hasattr(value, "line_of") else line
        value = value[part]
    return value, line


def _put(out: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        out = out.setdefault(part, {})
        if not isinstance(out, dict):
            return
    out[last] = value
