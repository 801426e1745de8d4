"""The cloud resource types archlint understands (Terraform names), each with its node kind and fact reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from archlint.loaders.cloud.facts import Facts
from archlint.loaders.cloud.readers import aws, azure, common, google
from archlint.model import NodeKind, Tier


@dataclass(frozen=True, slots=True)
class ResourceType:
    kind: NodeKind
    tier: Tier
    read: Callable[[Facts], None]
    #: True for managed services whose redundancy the provider handles (S3, DynamoDB, SQS, Lambda, ...).
    managed_redundancy: bool = False
    #: False for gateways traffic leaves through, not enters by (a NAT gateway).
    entrypoint: bool | None = None


# ---- the table ---------------------------------------------------------------------------------------------

C, AI, EDGE, GRID = Tier.CLOUD, Tier.AI, Tier.EDGE, Tier.GRID
K = NodeKind

TYPES: dict[str, ResourceType] = {
    # AWS
    "aws_instance": ResourceType(K.SERVICE, C, aws.aws_instance),
    "aws_autoscaling_group": ResourceType(K.SERVICE, C, aws.aws_asg),
    "aws_ecs_service": ResourceType(K.SERVICE, C, aws.aws_ecs_service),
    "aws_eks_cluster": ResourceType(K.CLUSTER, C, common.nothing, managed_redundancy=True),
    "aws_eks_node_group": ResourceType(K.NODE_POOL, C, aws.aws_eks_node_group),
    "aws_lambda_function": ResourceType(K.FUNCTION, C, aws.aws_lambda, managed_redundancy=True),
    "aws_lambda_provisioned_concurrency_config": ResourceType(K.FUNCTION, C, aws.aws_provisioned_concurrency, True),
    "aws_db_instance": ResourceType(K.DATASTORE, C, aws.aws_db),
    "aws_rds_cluster": ResourceType(K.DATASTORE, C, aws.aws_aurora),
    "aws_dynamodb_table": ResourceType(K.DATASTORE, C, common.nothing, managed_redundancy=True),
    "aws_s3_bucket": ResourceType(K.DATASTORE, C, common.nothing, managed_redundancy=True),
    "aws_elasticache_replication_group": ResourceType(K.CACHE, C, aws.aws_elasticache_group),
    "aws_elasticache_cluster": ResourceType(K.CACHE, C, aws.aws_elasticache_cluster),
    "aws_elasticache_serverless_cache": ResourceType(K.CACHE, C, common.nothing, managed_redundancy=True),
    "aws_nat_gateway": ResourceType(K.GATEWAY, C, aws.aws_nat, entrypoint=False),
    "aws_sqs_queue": ResourceType(K.QUEUE, C, common.nothing, managed_redundancy=True),
    "aws_sns_topic": ResourceType(K.QUEUE, C, common.nothing, managed_redundancy=True),
    "aws_kinesis_stream": ResourceType(K.QUEUE, C, aws.aws_kinesis, managed_redundancy=True),
    "aws_msk_cluster": ResourceType(K.QUEUE, C, aws.aws_msk),
    "aws_lb": ResourceType(K.GATEWAY, C, aws.aws_lb, managed_redundancy=True),
    "aws_alb": ResourceType(K.GATEWAY, C, aws.aws_lb, managed_redundancy=True),
    "aws_elb": ResourceType(K.GATEWAY, C, aws.aws_lb, managed_redundancy=True),
    "aws_api_gateway_rest_api": ResourceType(K.GATEWAY, C, common.nothing, managed_redundancy=True),
    "aws_apigatewayv2_api": ResourceType(K.GATEWAY, C, common.nothing, managed_redundancy=True),
    "aws_cloudfront_distribution": ResourceType(K.GATEWAY, EDGE, common.nothing, managed_redundancy=True),
    "aws_sagemaker_endpoint_configuration": ResourceType(K.MODEL_SERVING, AI, aws.aws_sagemaker),
    "aws_batch_compute_environment": ResourceType(K.BATCH_JOB, GRID, aws.aws_batch),
    "aws_opensearch_domain": ResourceType(K.DATASTORE, C, aws.aws_opensearch),
    # Google Cloud
    "google_compute_instance": ResourceType(K.SERVICE, C, google.gcp_instance),
    "google_compute_instance_group_manager": ResourceType(K.SERVICE, C, google.gcp_mig),
    "google_compute_region_instance_group_manager": ResourceType(K.SERVICE, C, google.gcp_mig),
    "google_container_cluster": ResourceType(K.CLUSTER, C, google.gke_cluster),
    "google_container_node_pool": ResourceType(K.NODE_POOL, C, google.gcp_node_pool),
    "google_cloud_run_service": ResourceType(K.FUNCTION, C, google.gcp_run, managed_redundancy=True),
    "google_cloud_run_v2_service": ResourceType(K.FUNCTION, C, google.gcp_run, managed_redundancy=True),
    "google_cloudfunctions_function": ResourceType(K.FUNCTION, C, common.nothing, managed_redundancy=True),
    "google_cloudfunctions2_function": ResourceType(K.FUNCTION, C, common.nothing, managed_redundancy=True),
    "google_sql_database_instance": ResourceType(K.DATASTORE, C, google.gcp_sql),
    "google_redis_instance": ResourceType(K.CACHE, C, google.gcp_redis),
    "google_storage_bucket": ResourceType(K.DATASTORE, C, common.nothing, managed_redundancy=True),
    "google_bigquery_dataset": ResourceType(K.DATASTORE, C, common.nothing, managed_redundancy=True),
    "google_spanner_instance": ResourceType(K.DATASTORE, C, google.gcp_spanner, managed_redundancy=True),
    "google_pubsub_topic": ResourceType(K.QUEUE, C, common.nothing, managed_redundancy=True),
    "google_compute_global_forwarding_rule": ResourceType(K.GATEWAY, C, common.nothing, managed_redundancy=True),
    "google_compute_url_map": ResourceType(K.GATEWAY, C, common.nothing, managed_redundancy=True),
    "google_vertex_ai_endpoint": ResourceType(K.MODEL_SERVING, AI, common.nothing, managed_redundancy=True),
    # Azure
    "azurerm_linux_virtual_machine": ResourceType(K.SERVICE, C, azure.azure_vm),
    "azurerm_windows_virtual_machine": ResourceType(K.SERVICE, C, azure.azure_vm),
    "azurerm_linux_virtual_machine_scale_set": ResourceType(K.SERVICE, C, azure.azure_vmss),
    "azurerm_windows_virtual_machine_scale_set": ResourceType(K.SERVICE, C, azure.azure_vmss),
    "azurerm_kubernetes_cluster": ResourceType(K.CLUSTER, C, azure.aks_cluster),
    "azurerm_kubernetes_cluster_node_pool": ResourceType(K.NODE_POOL, C, azure.azure_node_pool),
    "azurerm_linux_function_app": ResourceType(K.FUNCTION, C, common.nothing, managed_redundancy=True),
    "azurerm_function_app": ResourceType(K.FUNCTION, C, common.nothing, managed_redundancy=True),
    "azurerm_container_app": ResourceType(K.SERVICE, C, common.nothing, managed_redundancy=True),
    "azurerm_postgresql_flexible_server": ResourceType(K.DATASTORE, C, azure.azure_postgres_flexible),
    "azurerm_mssql_database": ResourceType(K.DATASTORE, C, azure.azure_sql_database),
    "azurerm_cosmosdb_account": ResourceType(K.DATASTORE, C, common.nothing, managed_redundancy=True),
    "azurerm_storage_account": ResourceType(K.DATASTORE, C, common.nothing, managed_redundancy=True),
    "azurerm_redis_cache": ResourceType(K.CACHE, C, azure.azure_redis),
    "azurerm_servicebus_namespace": ResourceType(K.QUEUE, C, common.nothing, managed_redundancy=True),
    "azurerm_eventhub_namespace": ResourceType(K.QUEUE, C, common.nothing, managed_redundancy=True),
    "azurerm_application_gateway": ResourceType(K.GATEWAY, C, common.nothing),
    "azurerm_lb": ResourceType(K.GATEWAY, C, common.nothing, managed_redundancy=True),
    "azurerm_cdn_frontdoor_profile": ResourceType(K.GATEWAY, EDGE, common.nothing, managed_redundancy=True),
    "azurerm_machine_learning_compute_cluster": ResourceType(K.TRAINING_JOB, AI, common.nothing),
}

#: Provider of a Terraform type, from its prefix.
PROVIDERS = {"aws": "aws", "google": "gcp", "azurerm": "azure"}


def provider_of(resource_type: str) -> str | None:
    return PROVIDERS.get(resource_type.split("_", 1)[0])
