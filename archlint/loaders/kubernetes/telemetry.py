"""Which telemetry signals a workload visibly emits: metrics, traces, structured logs, and the evidence."""

from __future__ import annotations

import re
from typing import Any, Callable

from archlint.loaders.kubernetes.objects import K8sObject, mapping, sequence
from archlint.loaders.kubernetes.selectors import label_selector, string_map

_TRACING_ENV = re.compile(r"^(OTEL_EXPORTER_OTLP(_TRACES)?_ENDPOINT|OTEL_TRACES_EXPORTER|OTEL_SERVICE_NAME|JAEGER_"
                          r"(AGENT_HOST|ENDPOINT|SERVICE_NAME)|ZIPKIN_\w+|DD_TRACE_\w+|DD_AGENT_HOST|"
                          r"ELASTIC_APM_SERVER_URL|NEW_RELIC_LICENSE_KEY|HONEYCOMB_\w+)$")
_LOG_FORMAT_ENV = re.compile(r"^(LOG_FORMAT|LOGGING_FORMAT|LOG_ENCODING|LOG_OUTPUT_FORMAT|LOGGER_FORMAT)$")
_SIDECARS = {"otel-collector": "tracing", "opentelemetry-collector": "tracing", "datadog-agent": "tracing",
             "jaeger-agent": "tracing", "istio-proxy": "tracing"}


#: The tracing and metrics back-ends themselves, by image base name: they are where the signals go.
_BACKENDS = ((re.compile(r"^(jaeger|all-in-one|jaeger-(all-in-one|collector|query|ingester)|tempo|zipkin|"
                         r"opentelemetry-collector(-contrib|-k8s)?|otel-collector|otelcol(-contrib|-k8s)?)$"),
              "tracing", "the tracing back-end itself"),
             (re.compile(r"^(prometheus|thanos|victoria-metrics|vmagent|mimir|cortex)$"), "metrics",
              "the metrics back-end itself"))


def backend(pod_spec: dict) -> str | None:
    """The evidence that a pod is a tracing or metrics back-end itself (by its containers' images), else None."""
    for container in sequence(pod_spec.get("containers")):
        image = str(mapping(container).get("image", "")).rsplit("/", 1)[-1].split(":", 1)[0]
        for pattern, _, evidence in _BACKENDS:
            if pattern.match(image):
                return f"{evidence} ({image})"
    return None


def scrapes(pod_spec: dict) -> str | None:
    """The image of the metrics back-end (Prometheus, ...) the pod runs, which scrapes its targets, else None."""
    found = backend(pod_spec)
    return found[found.index("(") + 1:-1] if found is not None and found.startswith("the metrics back-end") else None


def signals(obj: K8sObject, pod_spec: dict, configmaps: dict[tuple[str, str], Any],
            namespace: K8sObject | None = None) -> dict[str, str]:
    """Signal -> evidence for the signals the manifests show; an absent signal is simply not visible. A
    namespace labelled for Istio sidecar injection (`istio-injection: enabled`, `istio.io/rev`) or annotated for
    Linkerd's proxy gives its pods what the sidecar shows, unless the pod opts out."""
    found: dict[str, str] = {}
    spec = mapping(obj.data.get("spec"))
    template = mapping(mapping(spec.get("template")).get("metadata"))
    annotations = {**obj.annotations, **string_map(template.get("annotations"))}
    pod_labels = string_map(template.get("labels")) if template else obj.labels
    istio_out = annotations.get("sidecar.istio.io/inject") == "false" or pod_labels.get("sidecar.istio.io/inject") == "false"
    if namespace is not None and not istio_out:
        if namespace.labels.get("istio-injection") == "enabled" or (
                "istio.io/rev" in namespace.labels and namespace.labels.get("istio-injection") != "disabled"):
            found["tracing"] = found["metrics"] = f"Istio sidecar injection in namespace {namespace.name}"
    if namespace is not None and namespace.annotations.get("linkerd.io/inject") == "enabled" and \
            annotations.get("linkerd.io/inject") != "disabled":
        found.setdefault("metrics", f"Linkerd proxy injection in namespace {namespace.name}")
    if annotations.get("linkerd.io/inject") == "enabled":
        found.setdefault("metrics", "Linkerd proxy injection")
    if annotations.get("prometheus.io/scrape") == "true":
        found["metrics"] = "annotation prometheus.io/scrape"
    if annotations.get("sidecar.opentelemetry.io/inject") in ("true", "sidecar") or any(
            k.startswith("instrumentation.opentelemetry.io/inject") and v not in ("false", "") for k, v in annotations.items()):
        found.setdefault("tracing", "OpenTelemetry operator injection annotation")
    if annotations.get("sidecar.istio.io/inject") == "true":
        found.setdefault("tracing", "Istio sidecar injection")
        found.setdefault("metrics", "Istio sidecar injection")
    for container in sequence(pod_spec.get("containers")):
        container = mapping(container)
        for port in sequence(container.get("ports")):
            if "metrics" in str(mapping(port).get("name", "")):
                found.setdefault("metrics", f"container port {mapping(port).get('name')}")
        for name, value in _environment(obj, container, configmaps):
            if _TRACING_ENV.match(name):
                found.setdefault("tracing", f"env {name}")
            elif _LOG_FORMAT_ENV.match(name) and str(value).lower() in ("json", "logfmt", "ecs", "structured"):
                found.setdefault("logs", f"env {name}={value}")
        args = " ".join(str(a) for a in sequence(container.get("args")) + sequence(container.get("command")))
        if re.search(r"--log[-_.]?(format|encoding)[= ](json|logfmt)", args):
            found.setdefault("logs", "container argument")
        image = str(container.get("image", "")).rsplit("/", 1)[-1].split(":", 1)[0]
        if image in _SIDECARS:
            found.setdefault(_SIDECARS[image], f"sidecar {image}")
        for pattern, signal, evidence in _BACKENDS:
            if pattern.match(image):
                found.setdefault(signal, evidence)
    return found


def _environment(obj: K8sObject, container: dict, configmaps: dict) -> list[tuple[str, Any]]:
    pairs = [(str(mapping(e).get("name", "")), mapping(e).get("value", "")) for e in sequence(container.get("env"))]
    for source in sequence(container.get("envFrom")):
        data = configmaps.get((obj.namespace, str(mapping(mapping(source).get("configMapRef")).get("name"))))
        if isinstance(data, dict):
            pairs += [(str(k), v) for k, v in data.items()]
    return pairs


def monitored_namespaces(monitor: K8sObject) -> frozenset[str] | None:
    """The namespaces a ServiceMonitor or PodMonitor watches: `namespaceSelector.matchNames`, every namespace
    with `any: true` (None), else its own namespace (the Prometheus Operator's default)."""
    chosen = mapping(mapping(monitor.data.get("spec")).get("namespaceSelector"))
    if chosen.get("any") is True:
        return None
    names = [str(n) for n in sequence(chosen.get("matchNames"))]
    return frozenset(names) if names else frozenset({monitor.namespace})


def monitor_test(monitor: K8sObject) -> Callable[[dict[str, str], list[dict[str, str]]], bool]:
    """Whether the monitor watches a workload, given its pods' labels and its Services' labels: a ServiceMonitor
    selects the workload's Services, a PodMonitor its pods (the caller checks the namespace with
    `monitored_namespaces`)."""
    selects = label_selector(mapping(monitor.data.get("spec")).get("selector"))
    if monitor.kind == "PodMonitor":
        return lambda labels, service_labels: selects(labels)
    return lambda labels, service_labels: any(selects(service) for service in service_labels)
