"""Kubernetes manifests into the model: workloads, Services, Ingresses, autoscalers, disruption budgets, calls."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from typing import Any, Callable

from archlint.finding import Finding
from archlint.loaders.kubernetes import calls, cloud, controllers, mesh, modes, scaling, storage, telemetry, workloads
from archlint.loaders.kubernetes.classify import classify, load_generator, runs_server
from archlint.loaders.kubernetes.objects import KNATIVE, WORKLOAD_KINDS, K8sObject, controller, mapping, objects, sequence
from archlint.loaders.kubernetes.selectors import label_selector, matches_map
from archlint.loaders.yamlsource import Document
from archlint.model import Component, Dependency, EdgeKind, ModelBuilder, NodeKind, Span, Tier

FORMAT = "kubernetes"
#: Annotation naming the directory of a workload's application code (read for resilience checks).
SOURCE_KEY = "archlint.dev/source"


def claims(data: Any, name: str = "") -> bool:
    """A mapping with a string `apiVersion` and `kind` (not archlint's own) is a Kubernetes object."""
    return (isinstance(data, dict) and isinstance(data.get("apiVersion"), str) and isinstance(data.get("kind"), str)
            and not data["apiVersion"].startswith("archlint.dev/"))


#: Kinds archlint models, which the API server refuses without a name (`generateName` counts).
_NAMED = WORKLOAD_KINDS | {"Service", "Ingress", "HorizontalPodAutoscaler", "ScaledObject", "PodDisruptionBudget",
                           "NetworkPolicy", "ConfigMap", "Namespace", "VirtualService", "DestinationRule",
                           "ServiceProfile", "ServiceMonitor", "PodMonitor"}


def _unnamed(obj: K8sObject) -> Finding:
    return Finding(rule="IN015", file=obj.span.file, line=obj.span.line, key=obj.kind,
                   message=f"{obj.kind} has no metadata.name (nor generateName): the API server refuses it, and "
                           "archlint leaves it out of the model",
                   fix="Give the object a metadata.name.")


class _Workload:
    """A workload while the loader links it: the object, its pod labels and spec, and its component."""

    __slots__ = ("obj", "labels", "pod_spec", "component")

    def __init__(self, obj: K8sObject, labels: dict[str, str], pod_spec: dict) -> None:
        self.obj, self.labels, self.pod_spec = obj, labels, pod_spec
        self.component: Component


def load(documents: list[Document], builder: ModelBuilder, problems: list[Finding]) -> None:
    """Add every Kubernetes object of `documents` to the model, resolving selectors across files."""
    by_kind: dict[str, list[K8sObject]] = defaultdict(list)
    for obj in objects(documents):
        if not obj.name and obj.kind in _NAMED:
            problems.append(_unnamed(obj))
            continue
        by_kind[controller(obj)].append(obj)
    deployments = {(o.namespace, o.name): o for o in by_kind.get("Deployment", [])}
    found = [_Workload(o, *controllers.template_of(o, deployments))
             for kind in sorted(WORKLOAD_KINDS) for o in by_kind.get(kind, [])]
    services = _services(by_kind.get("Service", []), found)
    for workload in found:
        workload.component = _component(workload, builder, services.backed.get(id(workload), []))
        if workload.obj.kind != controller(workload.obj):  # a Knative Service is its own Service
            controllers.knative(workload.obj, workload.component)
            services.targets.setdefault((workload.obj.namespace, workload.obj.name), []).append(workload)
            workload.component.attrs["services"] = [workload.obj.name]
        builder.add(workload.component)
    held = {(o.namespace, o.name): o for o in by_kind.get("ConfigMap", [])}
    configmaps = {key: mapping(o.data.get("data")) for key, o in held.items()}
    routing = mesh.index(by_kind.get("VirtualService", []), by_kind.get("DestinationRule", []),
                         by_kind.get("ServiceProfile", []))
    exporting = _calls(found, services, held, routing, builder)
    namespaces = {o.name: o for o in by_kind.get("Namespace", [])}
    _telemetry(found, services, configmaps, by_kind.get("ServiceMonitor", []) + by_kind.get("PodMonitor", []),
               namespaces, exporting)
    _ingresses(by_kind.get("Ingress", []), services, builder)
    scaling.autoscalers(by_kind.get("HorizontalPodAutoscaler", []) + by_kind.get("ScaledObject", []), found, builder)
    scaling.pods_behind(services.targets)
    in_namespace: dict[str, list[_Workload]] = defaultdict(list)
    for workload in found:
        in_namespace[workload.obj.namespace].append(workload)
    _budgets(by_kind.get("PodDisruptionBudget", []), in_namespace, builder)
    _network_policies(by_kind.get("NetworkPolicy", []), in_namespace)


class _Services:
    """Which workloads each Service selects, and which Services select each workload."""

    def __init__(self) -> None:
        self.targets: dict[tuple[str, str], list[_Workload]] = {}
        self.objects: dict[tuple[str, str], K8sObject] = {}
        self.backed: dict[int, list[K8sObject]] = defaultdict(list)


def _services(items: list[K8sObject], found: list[_Workload]) -> _Services:
    result = _Services()
    by_label: dict[tuple[str, str, str], list[_Workload]] = defaultdict(list)  # (namespace, key, value)
    for workload in found:
        if workload.obj.kind not in ("Job", "CronJob"):
            for key, value in workload.labels.items():
                by_label[(workload.obj.namespace, key, value)].append(workload)
    for service in items:
        result.objects.setdefault((service.namespace, service.name), service)
        selector = {str(k): str(v) for k, v in mapping(mapping(service.data.get("spec")).get("selector")).items()}
        if not selector:
            result.targets[(service.namespace, service.name)] = []
            continue
        key, value = min(selector.items(), key=lambda kv: len(by_label.get((service.namespace, *kv), ())))
        candidates = by_label.get((service.namespace, key, value), [])
        selected = [w for w in candidates if matches_map(selector, w.labels)]
        result.targets[(service.namespace, service.name)] = selected
        for workload in selected:
            result.backed[id(workload)].append(service)
    return result


def _component(workload: _Workload, builder: ModelBuilder, services: list[K8sObject]) -> Component:
    obj, pod_spec = workload.obj, workload.pod_spec
    items = workloads.containers(obj, pod_spec)
    gpu = workloads.gpus(items)
    serving = [str(c.get("image")) for c in sequence(pod_spec.get("containers"))
               if isinstance(c, dict) and c.get("image") is not None and runs_server(c)]
    kind, reason = classify(controller(obj), serving, gpu, bool(services) or controller(obj) == KNATIVE)
    generator = load_generator(obj.name, serving) if kind in (NodeKind.SERVICE, NodeKind.WORKER) else None
    if generator:  # it sends the traffic; it neither serves it nor lets users in
        kind, reason = NodeKind.CLIENT, generator
    replicas, replicas_span, defaulted = workloads.replicas(obj)
    placed = workloads.placement(obj, pod_spec, workload.labels)
    declared_tier = obj.labels.get("archlint.dev/tier") or obj.annotations.get("archlint.dev/tier")
    tier = Tier(declared_tier) if declared_tier in Tier._value2member_map_ else Tier.AI if gpu else Tier.UNKNOWN
    exposed = [s for s in services if mapping(s.data.get("spec")).get("type") in ("LoadBalancer", "NodePort")]
    spec = mapping(obj.data.get("spec"))
    component = Component(
        id=builder.unique_id(f"{obj.namespace}/{obj.name}", obj.span.file),
        name=obj.name, kind=kind, span=obj.span, source=FORMAT, tier=tier, namespace=obj.namespace,
        workload_kind=controller(obj), zones=placed.get("zones"), region=(placed.get("regions") or (None,))[0],
        replicas=replicas, replicas_span=replicas_span, cpu=workloads.per_replica(items, "cpu_request"),
        memory=workloads.per_replica(items, "memory_request"), gpu=gpu, containers=items,
        entrypoint=False if generator else True if exposed else None, user_facing=True if exposed and not generator else None,
        owner=obj.labels.get("owner") or obj.labels.get("team") or obj.annotations.get("owner"),
        labels=dict(obj.labels), annotations=dict(obj.annotations),
        points={"replicas": replicas_span, "metadata": obj.line_of(obj.data, "metadata")},
        attrs={"kind_reason": reason, "services": sorted(s.name for s in services)},
        **workloads.slo_annotations(obj.annotations),
    )
    if defaulted:
        component.attrs["replicas_defaulted"] = True
    strategy = mapping(spec.get("strategy"))
    if controller(obj) in ("Deployment", "DeploymentConfig") and str(strategy.get("type", "")) == "Recreate":
        component.attrs["strategy"] = "Recreate"
        component.points["strategy"] = obj.line_of(strategy, "type")
    _cloud(component, pod_spec)
    claims = sorted({str(mapping(mapping(v).get("persistentVolumeClaim")).get("claimName"))
                     for v in sequence(pod_spec.get("volumes")) if "persistentVolumeClaim" in mapping(v)})
    if claims:
        component.attrs["volume_claims"] = claims
    if services and (serving := workloads.serving_containers(pod_spec, services)) is not None:
        component.attrs["serving_containers"] = serving
    if isinstance(source := obj.annotations.get(SOURCE_KEY), str) and source.strip():
        # the application code's directory, relative to the manifest's directory as a service graph's `source`
        directory = posixpath.dirname(obj.span.file)
        component.attrs["source_dir"] = posixpath.normpath(posixpath.join(directory, source.strip()))
    component.attrs.update(workloads.data_annotations(obj.annotations))
    for key in ("node_pool", "anti_affinity", "topology_spread", "spread_ignored"):
        if key in placed:
            component.attrs[key] = placed[key]
    if "zones" in placed:  # pinned by a node selector or required affinity, not only where it happens to run
        component.attrs["pinned_zones"] = placed["zones"]
    if "nodeSelector" in pod_spec:
        component.points["node_selector"] = obj.line_of(pod_spec, "nodeSelector")
    if "affinity" in pod_spec or "topologySpreadConstraints" in pod_spec:
        key = "affinity" if "affinity" in pod_spec else "topologySpreadConstraints"
        component.points["affinity"] = obj.line_of(pod_spec, key)
    template = mapping(spec.get("template"))
    component.points["pod"] = obj.line_of(template, "spec") if template else obj.span
    if kind in (NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE, NodeKind.VECTOR_STORE):
        kept = storage.state(obj, pod_spec)
        if kept is not None:
            component.points["state"] = kept.pop("span")
            component.attrs["state"] = {**kept, "where": storage.PHRASES.get(kept["on"], kept["on"])}
    return component


def _cloud(component: Component, pod_spec: dict) -> None:
    """The cloud the pods run on and the accelerator they get, from the node labels they ask for."""
    labels = cloud.node_labels(pod_spec)
    found = cloud.provider(labels)
    tpu = any("google.com/tpu" in mapping(mapping(mapping(c).get("resources")).get(part))
              for c in sequence(pod_spec.get("containers")) for part in ("requests", "limits"))
    if found is None and tpu:
        found = ("gcp", "a google.com/tpu request (TPUs run on Google Cloud only)")
    if found is not None:
        component.provider = found[0]
        component.attrs["provider_evidence"] = found[1]
    if component.gpu:
        chosen = cloud.accelerator(labels, tpu)
        if chosen is not None:
            component.attrs["accelerator"], component.attrs["accelerator_evidence"] = chosen


def _calls(found: list[_Workload], services: _Services, configmaps: dict, routing: mesh.Mesh,
           builder: ModelBuilder) -> dict[int, str]:
    """One edge per caller and callee, from the first reference that says how the call behaves (else the first);
    the mesh's routing to the callee's Service sets its timeout, retries and circuit breaker. Telemetry is off the
    request path: signals exported to a back-end and a metrics back-end's scrapes are asynchronous. Returns, for
    each workload that sends spans to a tracing back-end, the evidence (it is traced)."""
    exporting: dict[int, str] = {}
    for workload in found:
        caller = workload.component
        scraper = telemetry.scrapes(workload.pod_spec)
        edges: dict[str, Dependency] = {}
        through: dict[str, tuple[str, str]] = {}
        for ref in calls.references(workload.obj, workload.pod_spec, configmaps):
            key = (ref.namespace or workload.obj.namespace, ref.service)
            service = services.objects.get(key)
            for target in services.targets.get(key, []):
                known = edges.get(target.component.id)
                if target is workload or (known is not None and known.mode is not None):
                    continue
                sink = telemetry.backend(target.pod_spec)
                if sink is not None:
                    # Spans and metrics are exported in the background, batched and dropped when the back-end is
                    # down: no request waits for it, whatever protocol the export speaks.
                    mode, reason = "async", f"the callee is {sink}, to which signals are exported in the background"
                    if sink.startswith("the tracing back-end"):
                        exporting.setdefault(id(workload), f"sends spans to {target.component.name} ({ref.evidence})")
                elif scraper is not None:
                    mode, reason = "async", f"the caller is the metrics back-end {scraper}: it scrapes on its own schedule"
                else:
                    mode, reason = modes.call_mode(ref.scheme, ref.port, service, target.component.kind,
                                                   target.pod_spec)
                if mode is None and target.component.attrs.get("knative"):
                    mode, reason = "sync", "a Knative Service answers HTTP requests"
                if known is not None and mode is None:
                    continue
                evidence = f"{ref.evidence} names Service {ref.service}" + (f"; {mode}: {reason}" if mode else "")
                edges[target.component.id] = Dependency(
                    source=caller.id, target=target.component.id, kind=EdgeKind.CALLS, mode=mode, span=ref.span,
                    origin="inferred", evidence=evidence)
                through[target.component.id] = key
        outside = routing and mesh.opted_out(workload.obj, workload.labels)
        for target_id, dependency in edges.items():
            if routing:
                mesh.apply(routing, dependency, through[target_id], workload.labels, workload.obj.namespace, outside)
            builder.connect(dependency)
    return exporting


def _telemetry(found: list[_Workload], services: _Services, configmaps: dict, monitors: list[K8sObject],
               namespaces: dict[str, K8sObject], exporting: dict[int, str]) -> None:
    anywhere: list[tuple[K8sObject, Callable]] = []
    by_namespace: dict[str, list[tuple[K8sObject, Callable]]] = {}
    for monitor in monitors:
        watched, test = telemetry.monitored_namespaces(monitor), telemetry.monitor_test(monitor)
        if watched is None:
            anywhere.append((monitor, test))
        for namespace in watched or ():
            by_namespace.setdefault(namespace, []).append((monitor, test))
    for workload in found:
        signals = telemetry.signals(workload.obj, workload.pod_spec, configmaps, namespaces.get(workload.obj.namespace))
        candidates = by_namespace.get(workload.obj.namespace, []) + anywhere
        backing = [s.labels for s in services.backed.get(id(workload), [])] if candidates else []
        monitor = next((m for m, test in candidates if test(workload.labels, backing)), None)
        if monitor is not None:
            signals.setdefault("metrics", f"{monitor.kind} {monitor.name}")
        if id(workload) in exporting:
            signals.setdefault("tracing", exporting[id(workload)])
        workload.component.attrs["telemetry"] = signals
        sink = telemetry.backend(workload.pod_spec)
        if sink is not None:
            workload.component.attrs["telemetry_backend"] = sink


def _ingresses(items: list[K8sObject], services: _Services, builder: ModelBuilder) -> None:
    for ingress in items:
        spec = mapping(ingress.data.get("spec"))
        backends = [spec.get("defaultBackend") or spec.get("backend")]
        for rule in sequence(spec.get("rules")):
            backends += [mapping(p).get("backend") for p in sequence(mapping(mapping(rule).get("http")).get("paths"))]
        names = set()
        for backend in backends:
            backend = mapping(backend)
            name = mapping(backend.get("service")).get("name") or backend.get("serviceName")
            if name:
                names.add(str(name))
        gateway = Component(
            id=builder.unique_id(f"{ingress.namespace}/ingress/{ingress.name}", ingress.span.file),
            name=ingress.name, kind=NodeKind.GATEWAY, span=ingress.span, source=FORMAT, namespace=ingress.namespace,
            workload_kind="Ingress", entrypoint=True, user_facing=True, labels=dict(ingress.labels),
            annotations=dict(ingress.annotations), attrs={"backends": sorted(names)})
        builder.add(gateway)
        for name in sorted(names):
            for target in services.targets.get((ingress.namespace, name), []):
                builder.connect(Dependency(gateway.id, target.component.id, EdgeKind.ROUTES, ingress.span,
                                           mode="sync", evidence=f"Ingress backend Service {name}"))
                target.component.user_facing = True


def _budgets(items: list[K8sObject], in_namespace: dict[str, list[_Workload]], builder: ModelBuilder) -> None:
    for pdb in items:
        spec = mapping(pdb.data.get("spec"))
        selects = label_selector(spec.get("selector"))
        protected = [w for w in in_namespace.get(pdb.namespace, ()) if selects(w.labels)]
        budget = Component(
            id=builder.unique_id(f"{pdb.namespace}/pdb/{pdb.name}", pdb.span.file), name=pdb.name,
            kind=NodeKind.DISRUPTION_BUDGET, span=pdb.span, source=FORMAT, namespace=pdb.namespace,
            workload_kind="PodDisruptionBudget", labels=dict(pdb.labels), annotations=dict(pdb.annotations),
            points={k: pdb.line_of(spec, k) for k in ("minAvailable", "maxUnavailable") if k in spec},
            attrs={k: spec[k] for k in ("minAvailable", "maxUnavailable") if k in spec})
        builder.add(budget)
        for workload in protected:
            workload.component.attrs.setdefault("pdbs", []).append(budget.id)
            builder.connect(Dependency(budget.id, workload.component.id, EdgeKind.PROTECTS, pdb.span,
                                       evidence="selector"))


def _network_policies(items: list[K8sObject], in_namespace: dict[str, list[_Workload]]) -> None:
    for policy in items:
        selects = label_selector(mapping(policy.data.get("spec")).get("podSelector"))
        for workload in in_namespace.get(policy.namespace, ()):
            if selects(workload.labels):
                workload.component.attrs.setdefault("network_policies", []).append(policy.name)
