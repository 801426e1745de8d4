"""Small questions many rules ask of a component, answered in one place."""

from __future__ import annotations

from archlint.model import Component, NodeKind, Span

#: Kubernetes controllers that keep a set number of identical pods running.
REPLICATED = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout",
                        "DeploymentConfig"})
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
    """`1 replica (not set: Kubernetes runs 1)` or `3 replicas` (`1 task` for an ECS service)."""
    count = component.replicas
    unit = component.attrs.get("replica_unit") or "replica"
    text = f"{count} {unit}{'s' if count != 1 else ''}"
    if not component.attrs.get("replicas_defaulted"):
        return text
    runtime = "Compose" if component.source == "compose" else "Kubernetes"
    return text + f" (`replicas` not set: {runtime} runs 1)"


#: Kinds whose replicas hold data: a second independent replica splits it rather than protecting it.
STATEFUL_KINDS = frozenset({NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE, NodeKind.VECTOR_STORE})


def redundancy(component: Component) -> int | None:
    """The fewest pods that serve this component's traffic: behind Services, the pods of the Service with the
    fewest (summed over every workload it selects: bookinfo's `reviews` is v1, v2 and v3); otherwise its
    autoscaler's minimum, else its replicas. None when not known."""
    behind = component.attrs.get("pods_behind")
    if behind:
        known = [n for n in behind.values() if n is not None]
        return min(known) if known else None
    return component.min_replicas


def redundancy_span(component: Component) -> Span:
    """Where the redundancy is set: the autoscaler's minimum when one scales the component, else its replicas."""
    scaling = component.autoscaling
    if scaling is not None and scaling.min_replicas is not None and scaling.min_span is not None:
        return scaling.min_span
    return component.replicas_span or component.span


def redundancy_text(component: Component) -> str:
    """What keeps the component at its fewest pods, for messages: `1 replica and no autoscaler`, `at most 1 pod
    at quiet times (HorizontalPodAutoscaler web: minReplicas 1)`, `no pod at quiet times (... scales to zero)`."""
    scaling = component.autoscaling
    if scaling is not None and scaling.min_replicas is not None:
        low = scaling.min_replicas
        what = scaling.label or "its autoscaler"
        unit = component.attrs.get("replica_unit") or "pod"
        if low == 0:
            return f"no {unit} at quiet times ({what} scales it to zero)"
        return f"{low} {unit}{'s' if low != 1 else ''} at quiet times ({what} has a minimum of {low})"
    return replica_text(component) + " and no autoscaler"
