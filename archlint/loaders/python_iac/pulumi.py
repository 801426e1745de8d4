"""Pulumi resources to Terraform types: the classic providers are bridged from Terraform, so arguments keep names."""

from __future__ import annotations

from typing import Any

from archlint.loaders.python_iac.construct import Call, Out, Translate, renamed

SOURCE = "pulumi"

#: Python package -> the provider prefix of Pulumi type tokens (`aws:rds:Instance`).
PACKAGES = {"pulumi_aws": "aws", "pulumi_gcp": "gcp", "pulumi_azure": "azure", "pulumi_azure_native": "azure-native"}

#: module.Class -> Terraform type, per bridged package. Where Pulumi renamed an attribute (it pluralises lists),
#: RENAMES maps it back.
_BRIDGED = {
    "pulumi_aws": {
        "ec2.Instance": "aws_instance", "autoscaling.Group": "aws_autoscaling_group", "ecs.Service": "aws_ecs_service",
        "eks.Cluster": "aws_eks_cluster", "eks.NodeGroup": "aws_eks_node_group",
        "lambda_.Function": "aws_lambda_function",
        "lambda_.ProvisionedConcurrencyConfig": "aws_lambda_provisioned_concurrency_config",
        "rds.Instance": "aws_db_instance", "rds.Cluster": "aws_rds_cluster",
        "rds.ClusterInstance": "aws_rds_cluster_instance", "dynamodb.Table": "aws_dynamodb_table",
        "s3.Bucket": "aws_s3_bucket", "s3.BucketV2": "aws_s3_bucket",
        "elasticache.ReplicationGroup": "aws_elasticache_replication_group",
        "elasticache.Cluster": "aws_elasticache_cluster", "sqs.Queue": "aws_sqs_queue", "sns.Topic": "aws_sns_topic",
        "kinesis.Stream": "aws_kinesis_stream", "msk.Cluster": "aws_msk_cluster", "lb.LoadBalancer": "aws_lb",
        "alb.LoadBalancer": "aws_lb", "elb.LoadBalancer": "aws_elb", "apigateway.RestApi": "aws_api_gateway_rest_api",
        "apigatewayv2.Api": "aws_apigatewayv2_api", "cloudfront.Distribution": "aws_cloudfront_distribution",
        "sagemaker.EndpointConfiguration": "aws_sagemaker_endpoint_configuration",
        "batch.ComputeEnvironment": "aws_batch_compute_environment", "opensearch.Domain": "aws_opensearch_domain",
        "appautoscaling.Target": "aws_appautoscaling_target", "ecs.TaskDefinition": "aws_ecs_task_definition",
        "ec2.LaunchTemplate": "aws_launch_template", "ec2.NatGateway": "aws_nat_gateway",
    },
    "pulumi_gcp": {
        "compute.Instance": "google_compute_instance",
        "compute.InstanceGroupManager": "google_compute_instance_group_manager",
        "compute.RegionInstanceGroupManager": "google_compute_region_instance_group_manager",
        "container.Cluster": "google_container_cluster", "container.NodePool": "google_container_node_pool",
        "cloudrun.Service": "google_cloud_run_service", "cloudrunv2.Service": "google_cloud_run_v2_service",
        "cloudfunctions.Function": "google_cloudfunctions_function",
        "cloudfunctionsv2.Function": "google_cloudfunctions2_function",
        "sql.DatabaseInstance": "google_sql_database_instance", "redis.Instance": "google_redis_instance",
        "storage.Bucket": "google_storage_bucket", "bigquery.Dataset": "google_bigquery_dataset",
        "spanner.Instance": "google_spanner_instance", "pubsub.Topic": "google_pubsub_topic",
        "compute.GlobalForwardingRule": "google_compute_global_forwarding_rule",
        "compute.URLMap": "google_compute_url_map", "vertex.AiEndpoint": "google_vertex_ai_endpoint",
    },
    "pulumi_azure": {
        "compute.LinuxVirtualMachine": "azurerm_linux_virtual_machine",
        "compute.WindowsVirtualMachine": "azurerm_windows_virtual_machine",
        "compute.LinuxVirtualMachineScaleSet": "azurerm_linux_virtual_machine_scale_set",
        "compute.WindowsVirtualMachineScaleSet": "azurerm_windows_virtual_machine_scale_set",
        "containerservice.KubernetesCluster": "azurerm_kubernetes_cluster",
        "containerservice.KubernetesClusterNodePool": "azurerm_kubernetes_cluster_node_pool",
        "appservice.LinuxFunctionApp": "azurerm_linux_function_app", "containerapp.App": "azurerm_container_app",
        "postgresql.FlexibleServer": "azurerm_postgresql_flexible_server", "mssql.Database": "azurerm_mssql_database",
        "cosmosdb.Account": "azurerm_cosmosdb_account", "storage.Account": "azurerm_storage_account",
        "redis.Cache": "azurerm_redis_cache", "servicebus.Namespace": "azurerm_servicebus_namespace",
        "eventhub.EventHubNamespace": "azurerm_eventhub_namespace",
        "network.ApplicationGateway": "azurerm_application_gateway", "lb.LoadBalancer": "azurerm_lb",
    },
    # azure-native follows the ARM API, not Terraform: only resources whose facts map one to one are listed.
    "pulumi_azure_native": {
        "dbforpostgresql.Server": "azurerm_postgresql_flexible_server", "cache.Redis": "azurerm_redis_cache",
        "storage.StorageAccount": "azurerm_storage_account", "documentdb.DatabaseAccount": "azurerm_cosmosdb_account",
        "containerservice.ManagedCluster": "azurerm_kubernetes_cluster",
        "containerservice.AgentPool": "azurerm_kubernetes_cluster_node_pool",
        "compute.VirtualMachine": "azurerm_linux_virtual_machine",
    },
}

RENAMES: dict[str, dict[str, str]] = {
    "aws_autoscaling_group": {"vpc_zone_identifiers": "vpc_zone_identifier"},
    # azure-native argument paths -> azurerm attributes
    "azure-native:azurerm_postgresql_flexible_server": {"sku.name": "sku_name",
                                                         "backup.backup_retention_days": "backup_retention_days"},
    "azure-native:azurerm_redis_cache": {"sku.name": "sku_name"},
    "azure-native:azurerm_kubernetes_cluster_node_pool": {"count": "node_count", "availability_zones": "zones"},
    "azure-native:azurerm_linux_virtual_machine": {"hardware_profile.vm_size": "size"},
}

_NOT_PROPS = ("opts", "resource_name", "args")


def lookup(qualname: str) -> Translate | None:
    """The translation of a Pulumi resource class, None when it is not one archlint maps."""
    package, _, rest = qualname.partition(".")
    resource_type = _BRIDGED.get(package, {}).get(rest)
    if resource_type is None:
        return None
    key = f"azure-native:{resource_type}" if package == "pulumi_azure_native" else resource_type

    def translate(call: Call) -> list[Out]:
        for nested in ("#1", "args"):  # Instance("db", InstanceArgs(...)) or Instance("db", args=...)
            value = call.args[1] if nested == "#1" and len(call.args) > 1 else call.values.get(nested)
            if isinstance(value, dict):
                call.values = {**value, **call.values}
                call.lines = {**{k[len(nested) + 1:]: v for k, v in call.lines.items() if k.startswith(nested + ".")},
                              **call.lines}
        out = renamed(call, RENAMES.get(key, {}), skip=_NOT_PROPS)
        out.type = resource_type
        if key == "azure-native:azurerm_linux_virtual_machine":
            zones = out.props.get("zones")
            if isinstance(zones, list) and len(zones) == 1:
                out.put("zone", zones[0], "zones")
        return [out]

    return translate


def token(qualname: str) -> str:
    """The Pulumi type token a user sees in `pulumi preview` (`aws:rds:Instance`)."""
    package, _, rest = qualname.partition(".")
    module, _, name = rest.rpartition(".")
    return f"{PACKAGES.get(package, package)}:{module.rstrip('_')}:{name}"


def instance_type(member: str) -> Any:
    """`aws.ec2.InstanceType.M5_2_X_LARGE` -> "m5.2xlarge"."""
    family, _, size = member.partition("_")
    return f"{family.lower()}.{size.replace('_', '').lower()}" if size else None


#: Library constants archlint resolves: dotted enum -> member -> value.
ENUMS = {"pulumi_aws.ec2.InstanceType": instance_type}
CALLS: dict = {}
