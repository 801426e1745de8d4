"""Small questions many rules ask of a component, answered in one place."""

from __future__ import annotations

from archlint.model import Component, NodeKind

#: Kubernetes controllers that keep a set number of identical pods running.
REPLICATED = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})
#: Kinds that answer requests while running.
SERVING_KINDS = frozenset({NodeKind.SERVICE, NodeKind.MODEL_SERVING, NodeKind.GATEWAY, NodeKind.DATASTORE,
                           NodeKind.CACHE, NodeKind.QUEUE, NodeKind.VECTOR_STORE})


def serves_traffic(component: Component) -> bool:
    """Selected by a Service, routed to, declared user-facing or an entrypoint, or of a serving kind in a graph.

    Managed stores declared in infrastructure as code are judged by their own rules (high availability,
    failover), not by a replica count."""
    if "resource_type" in component.attrs and component.kind in _STORES:
        return False
    if component.attrs.get("services") or component.user_facing or component.entrypoint:
        return True
    if "resource_type" in component.attrs:  # a bare VM may serve anything or nothing: FI023 judges public ones
        return component.attrs["resource_type"] in _ORCHESTRATED
    return component.source != "kubernetes" and component.kind in SERVING_KINDS


#: Infrastructure-as-code resources that run a service behind a load balancer or endpoint by construction.
_ORCHESTRATED = frozenset({"aws_ecs_service", "aws_sagemaker_endpoint_configuration", "azurerm_container_app"})
_STORES = frozenset({NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE, NodeKind.VECTOR_STORE})


def long_running(component: Component) -> bool:
    """Runs until stopped (not a Job or CronJob)."""
    return component.workload_kind not in ("Job", "CronJob") and component.kind not in (
        NodeKind.BATCH_JOB, NodeKind.SCHEDULED_JOB, NodeKind.TRAINING_JOB, NodeKind.AUTOSCALER,
        NodeKind.DISRUPTION_BUDGET)


def replica_text(component: Component) -> str:
    """`1 replica (not set: Kubernetes runs 1)` or `3 replicas`."""
    count = component.replicas
    text = f"{count} replica{'s' if count != 1 else ''}"
    if not component.attrs.get("replicas_defaulted"):
        return text
    runtime = "Compose" if component.source == "compose" else "Kubernetes"
    return text + f" (`replicas` not set: {runtime} runs 1)"
