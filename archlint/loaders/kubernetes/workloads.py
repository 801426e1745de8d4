"""Turns a Kubernetes workload (Deployment, StatefulSet, Job, Pod, ...) into a model component."""

from __future__ import annotations

from typing import Any

from archlint.loaders.kubernetes.classify import GPU_RESOURCES
from archlint.loaders.kubernetes.objects import KNATIVE, K8sObject, REPLICATED_KINDS, controller, mapping, pod_template, sequence
from archlint.model import Container, Probe, Span
from archlint.model.units import percent, quantity, duration_ms

ZONE_KEYS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
REGION_KEYS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")
NODE_POOL_KEYS = ("cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup", "kubernetes.azure.com/agentpool",
                  "agentpool", "karpenter.sh/nodepool", "node.kubernetes.io/instance-type")


def containers(obj: K8sObject, pod_spec: dict) -> tuple[Container, ...]:
    """The pod's containers and init containers with requests, limits, GPUs, probes and ports."""
    result = []
    for field, init in (("initContainers", True), ("containers", False)):
        for item in sequence(pod_spec.get(field)):
            if isinstance(item, dict):
                result.append(_container(obj, item, init))
    return tuple(result)


def _container(obj: K8sObject, item: dict, init: bool) -> Container:
    resources = mapping(item.get("resources"))
    requests, limits = mapping(resources.get("requests")), mapping(resources.get("limits"))
    gpu = next((quantity(requests.get(k, limits.get(k))) for k in GPU_RESOURCES if k in requests or k in limits), None)
    ports = tuple(p["containerPort"] for p in sequence(item.get("ports"))
                  if isinstance(p, dict) and isinstance(p.get("containerPort"), int))
    image = item.get("image")
    return Container(
        name=str(item.get("name", "")),
        image=str(image) if image is not None else None,
        span=obj.at(item),
        cpu_request=quantity(requests.get("cpu")),
        memory_request=quantity(requests.get("memory")),
        cpu_limit=quantity(limits.get("cpu")),
        memory_limit=quantity(limits.get("memory")),
        gpu=gpu,
        readiness=_probe(item.get("readinessProbe"), item),
        liveness=_probe(item.get("livenessProbe"), item),
        ports=ports,
        init=init,
        resources_span=obj.line_of(item, "resources") if "resources" in item else None,
    )


_PROBE_HANDLERS = (("httpGet", "http"), ("tcpSocket", "tcp"), ("grpc", "grpc"), ("exec", "exec"))


def _probe(value: Any, container: Any) -> Probe | None:
    if not isinstance(value, dict):
        return None
    kind = next((name for key, name in _PROBE_HANDLERS if key in value), "unknown")
    return Probe(kind, getattr(value, "line", None) or getattr(container, "line", 0))


def replicas(obj: K8sObject) -> tuple[int | None, Span, bool]:
    """(replicas, where, defaulted): absent `replicas` is 1 for controllers the API server defaults."""
    spec = mapping(obj.data.get("spec"))
    value = spec.get("replicas")
    if isinstance(value, int) and not isinstance(value, bool) and controller(obj) != KNATIVE:
        return value, obj.line_of(spec, "replicas"), False
    if obj.kind == "Pod":
        return 1, obj.span, True
    if obj.kind in REPLICATED_KINDS and value is None:
        return 1, obj.line_of(obj.data, "spec"), True
    return None, obj.span, False


def per_replica(items: tuple[Container, ...], field: str) -> float | None:
    """Sum of a request over the running containers; unknown as soon as one container does not say."""
    values = [getattr(c, field) for c in items if not c.init]
    if not values or any(v is None for v in values):
        return None
    return float(sum(values))


def gpus(items: tuple[Container, ...]) -> float | None:
    values = [c.gpu for c in items if c.gpu]
    return float(sum(values)) if values else None


def placement(obj: K8sObject, pod_spec: dict) -> dict[str, Any]:
    """Zones, region and node pool pinned by nodeSelector or required node affinity; spread and anti-affinity."""
    found: dict[str, Any] = {}
    selector = {str(k): str(v) for k, v in mapping(pod_spec.get("nodeSelector")).items()}
    pinned: dict[str, list[str]] = {k: [v] for k, v in selector.items()}
    affinity = mapping(pod_spec.get("affinity"))
    required = mapping(mapping(affinity.get("nodeAffinity")).get("requiredDuringSchedulingIgnoredDuringExecution"))
    terms = sequence(required.get("nodeSelectorTerms"))
    if len(terms) == 1:  # several terms are ORed: no single pin can be read from them
        for expression in sequence(mapping(terms[0]).get("matchExpressions")):
            expression = mapping(expression)
            if expression.get("operator") == "In":
                pinned[str(expression.get("key"))] = [str(v) for v in sequence(expression.get("values"))]
    for keys, name in ((ZONE_KEYS, "zones"), (REGION_KEYS, "regions"), (NODE_POOL_KEYS, "node_pool")):
        for key in keys:
            if key in pinned:
                found[name] = tuple(sorted(pinned[key]))
                break
    anti = mapping(affinity.get("podAntiAffinity"))
    if anti.get("requiredDuringSchedulingIgnoredDuringExecution") or anti.get("preferredDuringSchedulingIgnoredDuringExecution"):
        found["anti_affinity"] = True
    spread = [str(mapping(c).get("topologyKey")) for c in sequence(pod_spec.get("topologySpreadConstraints"))
              if mapping(c).get("topologyKey")]
    if spread:
        found["topology_spread"] = sorted(set(spread))
    return found


def slo_annotations(annotations: dict[str, str]) -> dict[str, Any]:
    """archlint's own annotations for what manifests cannot say: SLOs, criticality, tier."""
    found: dict[str, Any] = {}
    if "archlint.dev/availability" in annotations:
        found["availability"] = percent(annotations["archlint.dev/availability"])
    if "archlint.dev/latency" in annotations:
        found["latency_ms"] = duration_ms(annotations["archlint.dev/latency"])
    if "archlint.dev/criticality" in annotations:
        found["criticality"] = annotations["archlint.dev/criticality"]
    return {k: v for k, v in found.items() if v is not None}


#: Data classifications a workload may declare (`archlint.dev/data-classification`), as in the service graph.
CLASSIFICATIONS = ("public", "internal", "personal", "regulated")


def data_annotations(annotations: dict[str, str]) -> dict[str, Any]:
    """The data a workload handles, as archlint's annotations declare it: classification and residency."""
    found: dict[str, Any] = {}
    classification = str(annotations.get("archlint.dev/data-classification", "")).strip().lower()
    if classification in CLASSIFICATIONS:
        found["data_classification"] = classification
    residency = [part.strip() for part in str(annotations.get("archlint.dev/data-residency", "")).split(",")]
    if any(residency):
        found["data_residency"] = tuple(part for part in residency if part)
    return found


__all__ = ["containers", "data_annotations", "gpus", "per_replica", "placement", "pod_template", "replicas", "slo_annotations"]
