"""Controllers beyond the core ones: Argo Rollouts, OpenShift DeploymentConfigs and Knative Services."""

from __future__ import annotations

from archlint.loaders.kubernetes.objects import KNATIVE, K8sObject, mapping, pod_template
from archlint.loaders.kubernetes.selectors import string_map
from archlint.model import Autoscaling, Component

#: Knative's autoscaling annotations on the revision template, current and legacy spellings.
_MIN_SCALE = ("autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/minScale")
_MAX_SCALE = ("autoscaling.knative.dev/max-scale", "autoscaling.knative.dev/maxScale")
_VISIBILITY = ("networking.knative.dev/visibility", "serving.knative.dev/visibility")


def template_of(obj: K8sObject, deployments: dict[tuple[str, str], K8sObject]) -> tuple[dict[str, str], dict]:
    """The pod labels and spec a workload creates; an Argo Rollout with `workloadRef` takes its Deployment's."""
    labels, spec = pod_template(obj)
    if obj.kind == "Rollout" and not spec:
        ref = mapping(mapping(obj.data.get("spec")).get("workloadRef"))
        referenced = deployments.get((obj.namespace, str(ref.get("name")))) if ref.get("kind") == "Deployment" else None
        if referenced is not None:
            return pod_template(referenced)
    return labels, spec


def knative(obj: K8sObject, component: Component) -> None:
    """A Knative Service: reachable from outside unless marked cluster-local, and scaled by Knative between its
    `min-scale` (default 0: to zero) and `max-scale` annotations."""
    visibility = next((obj.labels[k] for k in _VISIBILITY if k in obj.labels), "")
    if visibility != "cluster-local":
        component.entrypoint = component.user_facing = True
    template = mapping(mapping(obj.data.get("spec")).get("template"))
    metadata = mapping(template.get("metadata"))
    annotations = string_map(metadata.get("annotations"))
    low_key = next((k for k in _MIN_SCALE if k in annotations), None)
    high_key = next((k for k in _MAX_SCALE if k in annotations), None)
    low = _count(annotations.get(low_key)) if low_key else 0
    high = _count(annotations.get(high_key)) if high_key else None
    if low_key:
        where = obj.line_of(mapping(metadata.get("annotations")), low_key)
    else:  # where the annotation would go
        where = obj.line_of(template, "metadata") if metadata else obj.line_of(mapping(obj.data.get("spec")), "template")
    component.autoscaling = Autoscaling(
        low, high if high else None, component.id, obj.span, ("concurrency",),
        label=f"Knative Service {obj.name}", min_span=where)
    component.attrs["knative"] = True


def _count(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


__all__ = ["KNATIVE", "knative", "template_of"]
