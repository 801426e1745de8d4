"""Autoscalers (HorizontalPodAutoscaler, KEDA ScaledObject) and the number of pods behind each Service."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from archlint.loaders.kubernetes.objects import K8sObject, mapping, sequence
from archlint.model import Autoscaling, Component, Dependency, EdgeKind, ModelBuilder, NodeKind

FORMAT = "kubernetes"
#: The kinds that have a `scale` subresource archlint models, by what `scaleTargetRef.kind` says.
SCALABLE = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout",
                      "DeploymentConfig"})


def autoscalers(items: list[K8sObject], found: list, builder: ModelBuilder) -> None:
    """Each HPA or ScaledObject as an autoscaler node; its bounds go to the workload it targets. A target that
    names a kind archlint models, in a namespace with scalable workloads at hand but none of that kind and name, is recorded
    on the autoscaler (`target_missing`)."""
    index = {(w.obj.namespace, w.obj.kind, w.obj.name): w for w in found}
    # autoscalers kept apart from any workload (an `autoscaling/` folder applied on top of another) may target
    # workloads defined elsewhere: a missing target is only known where the namespace's workloads are at hand
    populated = {w.obj.namespace for w in found if w.obj.kind in SCALABLE}
    for scaler_obj in items:
        spec = mapping(scaler_obj.data.get("spec"))
        ref = mapping(spec.get("scaleTargetRef"))
        keda = scaler_obj.kind == "ScaledObject"
        kind = str(ref.get("kind") or ("Deployment" if keda else ""))
        name = str(ref.get("name", ""))
        low_key, high_key = ("minReplicaCount", "maxReplicaCount") if keda else ("minReplicas", "maxReplicas")
        low = spec.get(low_key, 0 if keda else 1)  # KEDA scales to zero unless told; the API server defaults HPAs to 1
        high = spec.get(high_key, 100 if keda else None)
        low, high = _count(low), _count(high)
        metrics = _metrics(spec, keda)
        label = f"{scaler_obj.kind} {scaler_obj.name}"
        short = "keda" if keda else "hpa"
        points = {"minReplicas": scaler_obj.line_of(spec, low_key) if low_key in spec else _spec_line(scaler_obj),
                  "maxReplicas": scaler_obj.line_of(spec, high_key) if high_key in spec else _spec_line(scaler_obj)}
        target = index.get((scaler_obj.namespace, kind, name))
        scaler = Component(
            id=builder.unique_id(f"{scaler_obj.namespace}/{short}/{scaler_obj.name}", scaler_obj.span.file),
            name=scaler_obj.name, kind=NodeKind.AUTOSCALER, span=scaler_obj.span, source=FORMAT,
            namespace=scaler_obj.namespace, workload_kind=scaler_obj.kind, labels=dict(scaler_obj.labels),
            annotations=dict(scaler_obj.annotations), points=points,
            attrs={"min_replicas": low, "max_replicas": high, "target": f"{kind}/{name}", "label": label})
        if target is None and kind in SCALABLE and name and scaler_obj.namespace in populated:
            scaler.attrs["target_missing"] = True
            scaler.points["target"] = scaler_obj.line_of(spec, "scaleTargetRef") if "scaleTargetRef" in spec \
                else scaler_obj.span
        builder.add(scaler)
        if target is None:
            continue
        target.component.autoscaling = Autoscaling(
            low, high, scaler.id, scaler_obj.span, tuple(sorted(set(metrics))), label=label,
            min_span=points["minReplicas"])
        builder.connect(Dependency(scaler.id, target.component.id, EdgeKind.SCALES, scaler_obj.span,
                                   evidence="scaleTargetRef"))


def _spec_line(obj: K8sObject):
    return obj.line_of(obj.data, "spec")


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _metrics(spec: dict, keda: bool) -> list[str]:
    if keda:
        return [str(mapping(t).get("type")) for t in sequence(spec.get("triggers")) if mapping(t).get("type")]
    metrics = [str(mapping(mapping(m).get("resource")).get("name") or mapping(m).get("type"))
               for m in sequence(spec.get("metrics"))]
    if "targetCPUUtilizationPercentage" in spec:
        metrics.append("cpu")
    return metrics


def pods_behind(targets: dict[tuple[str, str], list]) -> None:
    """For each workload a Service selects, the pods behind that Service: its own fewest (autoscaler minimum, else
    replicas) plus those of every other workload the Service selects (`attrs.pods_behind`, Service name -> count,
    None when one of them is not known). Copies of one object from several files count once, at their fewest."""
    for (_, service), selected in sorted(targets.items()):
        if not selected:
            continue
        copies: dict[tuple[str, str], list[Component]] = defaultdict(list)
        for workload in selected:
            copies[(workload.obj.kind, workload.obj.name)].append(workload.component)
        fewest = {key: _fewest(group) for key, group in copies.items()}
        for workload in selected:
            own = (workload.obj.kind, workload.obj.name)
            counts = [workload.component.min_replicas] + [n for key, n in fewest.items() if key != own]
            total = None if any(n is None for n in counts) else sum(counts)
            workload.component.attrs.setdefault("pods_behind", {})[service] = total
            if len(copies) > 1:
                workload.component.attrs.setdefault("shares_service", []).append(service)


def _fewest(group: list[Component]) -> int | None:
    counts = [c.min_replicas for c in group]
    return None if any(n is None for n in counts) else min(counts)
