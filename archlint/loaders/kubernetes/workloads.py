"""Turns a Kubernetes workload (Deployment, StatefulSet, Job, Pod, ...) into a model component."""

from __future__ import annotations

from typing import Any

from archlint.loaders.kubernetes.classify import GPU_RESOURCES
from archlint.loaders.kubernetes.selectors import label_selector
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
    names = {str(p["name"]) for p in sequence(item.get("ports")) if isinstance(p, dict) and p.get("name")}
    image = item.get("image")
    # the API server defaults a request that is not set to its limit
    cpu_request = quantity(requests.get("cpu", limits.get("cpu")))
    memory_request = quantity(requests.get("memory", limits.get("memory")))
    return Container(
        name=str(item.get("name", "")),
        image=str(image) if image is not None else None,
        span=obj.at(item),
        cpu_request=cpu_request,
        memory_request=memory_request,
        cpu_limit=quantity(limits.get("cpu")),
        memory_limit=quantity(limits.get("memory")),
        gpu=gpu,
        readiness=_probe(obj, "readinessProbe", item, ports, names),
        liveness=_probe(obj, "livenessProbe", item, ports, names),
        ports=ports,
        init=init,
        resources_span=obj.line_of(item, "resources") if "resources" in item else None,
        image_span=obj.line_of(item, "image") if "image" in item else None,
    )


_PROBE_HANDLERS = (("httpGet", "http"), ("tcpSocket", "tcp"), ("grpc", "grpc"), ("exec", "exec"))


def _probe(obj: K8sObject, field: str, container: Any, ports: tuple[int, ...], names: set[str]) -> Probe | None:
    value = container.get(field)
    if not isinstance(value, dict):
        return None
    key, kind = next(((key, name) for key, name in _PROBE_HANDLERS if key in value), (None, "unknown"))
    handler = mapping(value.get(key)) if key else {}
    port = handler.get("port")
    declared = None
    if isinstance(port, str) and not port.isdigit() and "$" not in port and "{" not in port:
        declared = port in names  # a name the container does not declare cannot be resolved at all
    # a number is probed on the pod's IP whether the container declares it or not (ports are informational)
    span = obj.line_of(container, field)
    return Probe(kind, getattr(value, "line", None) or getattr(container, "line", 0), _check(kind, handler) or None,
                 None if port is None else str(port), declared, span)


def _number(port: Any) -> int | None:
    if isinstance(port, int) and not isinstance(port, bool):
        return port
    return int(port) if isinstance(port, str) and port.isdigit() else None


def _check(kind: str, handler: dict) -> str:
    """What a probe asks, as one comparable text: two probes asking the same thing have the same text."""
    if kind == "http":
        headers = ", ".join(sorted(f"{mapping(h).get('name')}={mapping(h).get('value')}"
                                   for h in sequence(handler.get("httpHeaders"))))
        return (f"http {handler.get('scheme', 'HTTP')} {handler.get('host', '')}{handler.get('path', '/')} on "
                f"{handler.get('port')}" + (f" with {headers}" if headers else ""))
    if kind == "tcp":
        return f"tcp {handler.get('host', '')}:{handler.get('port')}"
    if kind == "grpc":
        return f"grpc {handler.get('port')} service {handler.get('service', '')}"
    if kind == "exec":
        return "exec " + " ".join(str(c) for c in sequence(handler.get("command")))
    return ""


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


def placement(obj: K8sObject, pod_spec: dict, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """Zones, region and node pool pinned by nodeSelector or required node affinity; spread and anti-affinity
    that spread these pods (a term whose selector matches other pods, or whose namespaces leave out the pod's own,
    spreads nothing, and is recorded in `spread_ignored` with why)."""
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
    own = labels if labels is not None else {}
    ignored: list[str] = []
    anti = mapping(affinity.get("podAntiAffinity"))
    terms = [mapping(t) for t in sequence(anti.get("requiredDuringSchedulingIgnoredDuringExecution"))]
    terms += [mapping(mapping(t).get("podAffinityTerm")) for t in
              sequence(anti.get("preferredDuringSchedulingIgnoredDuringExecution"))]
    for term in terms:
        why = _spreads_nothing(term, own, obj.namespace)
        if why:
            ignored.append(f"podAntiAffinity on {term.get('topologyKey')}: {why}")
        elif term:
            found["anti_affinity"] = True
    spread = []
    for constraint in sequence(pod_spec.get("topologySpreadConstraints")):
        constraint = mapping(constraint)
        if not constraint.get("topologyKey"):
            continue
        if "labelSelector" not in constraint and not constraint.get("matchLabelKeys"):
            ignored.append(f"topologySpreadConstraint on {constraint['topologyKey']}: no labelSelector, so it "
                           "counts no pods")
        elif "labelSelector" in constraint and not label_selector(constraint["labelSelector"])(own):
            ignored.append(f"topologySpreadConstraint on {constraint['topologyKey']}: its labelSelector does not "
                           "select these pods")
        else:
            spread.append(str(constraint["topologyKey"]))
    if spread:
        found["topology_spread"] = sorted(set(spread))
    if ignored:
        found["spread_ignored"] = ignored
    return found


def _spreads_nothing(term: dict, labels: dict[str, str], namespace: str) -> str | None:
    """Why a pod anti-affinity term keeps these pods from nothing, or None when it keeps them apart."""
    if "labelSelector" not in term:
        return "no labelSelector, so it matches no pods"
    if not label_selector(term["labelSelector"])(labels):
        return "its labelSelector matches other pods, not these"
    namespaces = [str(n) for n in sequence(term.get("namespaces"))]
    if namespaces and namespace not in namespaces and "namespaceSelector" not in term:
        return f"its namespaces ({', '.join(namespaces)}) leave out {namespace}"
    return None


def serving_containers(pod_spec: dict, services: list[K8sObject]) -> list[str] | None:
    """The containers that serve the Services' target ports (a named `targetPort` resolved to the container port
    of that name; absent, it is the port itself). None when no container declares any of them (ports are
    informational in Kubernetes: then every container may serve)."""
    targets: set[Any] = set()
    for service in services:
        for port in sequence(mapping(service.data.get("spec")).get("ports")):
            port = mapping(port)
            target = port.get("targetPort", port.get("port"))
            if target is not None:
                targets.add(target)
    found = []
    for container in sequence(pod_spec.get("containers")):
        container = mapping(container)
        for declared in sequence(container.get("ports")):
            declared = mapping(declared)
            if declared.get("containerPort") in targets or (declared.get("name") and declared.get("name") in targets):
                found.append(str(container.get("name", "")))
                break
    return found or None


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
