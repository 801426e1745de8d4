"""Telemetry that the workload itself does not show: namespace-level mesh injection, the back-ends themselves;
and load generators, which send traffic and serve none."""

from __future__ import annotations

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.model import EdgeKind, NodeKind
from archlint.rules import all_rules


def workload(name: str, image: str, namespace: str = "shop", annotations: str = "{}") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}, annotations: {annotations}}}
    spec:
      containers: [{{name: main, image: "{image}"}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  selector: {{app: {name}}}
  ports: [{{port: 80}}]
"""


def namespace(labels: str = "{}", annotations: str = "{}") -> str:
    return f"""
apiVersion: v1
kind: Namespace
metadata: {{name: shop, labels: {labels}, annotations: {annotations}}}
"""


def ob002(loaded):
    return sorted(f.node for f in analyze(loaded, Config(), all_rules()).findings if f.rule == "OB002")


def test_istio_injection_on_the_namespace_gives_its_pods_the_sidecars_signals(load_yaml):
    files = {"ns.yaml": namespace("{istio-injection: enabled}"), "a.yaml": workload("cart", "ghcr.io/acme/cart:1"),
             "b.yaml": workload("batch", "ghcr.io/acme/batch:1", annotations='{sidecar.istio.io/inject: "false"}')}
    loaded = load_yaml(files)
    assert loaded.model.component("shop/cart").attrs["telemetry"] == {
        "tracing": "Istio sidecar injection in namespace shop", "metrics": "Istio sidecar injection in namespace shop"}
    assert ob002(loaded) == ["shop/batch"]  # it opts out of the sidecar


def test_a_revision_label_and_linkerd_annotation_inject_too(load_yaml):
    revision = load_yaml({"ns.yaml": namespace("{istio.io/rev: canary}"), "a.yaml": workload("cart", "c:1")}).model
    assert "tracing" in revision.component("shop/cart").attrs["telemetry"]
    linkerd = load_yaml({"ns.yaml": namespace(annotations="{linkerd.io/inject: enabled}"),
                         "a.yaml": workload("cart", "c:1")}).model
    assert linkerd.component("shop/cart").attrs["telemetry"] == {"metrics": "Linkerd proxy injection in namespace shop"}


def test_the_tracing_back_end_is_not_a_service_without_tracing(load_yaml):
    files = {"j.yaml": workload("jaeger", "jaegertracing/all-in-one:1.57"),
             "o.yaml": workload("otel", "otel/opentelemetry-collector-contrib:0.104.0"),
             "p.yaml": workload("prometheus", "quay.io/prometheus/prometheus:v2.53.0")}
    loaded = load_yaml(files)
    assert ob002(loaded) == []
    assert loaded.model.component("shop/jaeger").attrs["telemetry"]["tracing"] == "the tracing back-end itself"


def test_a_load_generator_sends_traffic_and_serves_none(load_yaml):
    files = {"l.yaml": workload("loadgenerator", "gcr.io/google-samples/microservices-demo/loadgenerator:v0.10.1"),
             "k.yaml": workload("smoke", "grafana/k6:0.52.0")}
    model = load_yaml(files).model
    for node in ("shop/loadgenerator", "shop/smoke"):
        generator = model.component(node)
        assert (generator.kind, generator.entrypoint) == (NodeKind.CLIENT, False)
    assert model.component("shop/smoke").attrs["kind_reason"] == "runs the load generator k6"


def caller(name: str, env: str) -> str:
    return workload(name, f"ghcr.io/acme/{name}:1.0").replace(
        'containers: [{name: main, image: "ghcr.io/acme/%s:1.0"}]' % name,
        'containers: [{name: main, image: "ghcr.io/acme/%s:1.0", env: %s}]' % (name, env))


def test_spans_sent_to_the_tracing_back_end_are_asynchronous_and_trace_the_sender(load_yaml):
    # sock-shop's manifests-jaeger: catalogue has ZIPKIN=http://jaeger...; the collector is off the request path
    files = {"j.yaml": workload("jaeger", "jaegertracing/all-in-one"),
             "c.yaml": caller("catalogue", '[{name: ZIPKIN, value: "http://jaeger.shop.svc.cluster.local:80/api/v1/spans"}]')}
    loaded = load_yaml(files)
    (edge,) = loaded.model.outgoing("shop/catalogue", [EdgeKind.CALLS])
    assert (edge.target, edge.mode) == ("shop/jaeger", "async")
    assert edge.evidence.endswith("async: the callee is the tracing back-end itself (all-in-one), to which signals "
                                  "are exported in the background")
    assert loaded.model.component("shop/catalogue").attrs["telemetry"]["tracing"].startswith("sends spans to jaeger")
    found = analyze(loaded, Config(), all_rules()).findings
    assert not [f for f in found if f.rule in ("OB003", "FI010") or (f.rule == "OB002" and "catalogue" in f.message)]


def test_a_metrics_back_end_scrapes_on_its_own_schedule(load_yaml):
    files = {"p.yaml": caller("prometheus", '[{name: TARGET, value: "kube-state-metrics:8080"}]').replace(
                 "ghcr.io/acme/prometheus:1.0", "prom/prometheus:v2.53.0"),
             "k.yaml": workload("kube-state-metrics", "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.12.0")}
    (edge,) = load_yaml(files).model.outgoing("shop/prometheus", [EdgeKind.CALLS])
    assert edge.mode == "async" and "the caller is the metrics back-end prometheus" in edge.evidence


def test_a_load_test_is_a_load_generator_and_needs_no_budget_or_spreading(load_yaml):
    # sock-shop's manifests-loadtest: a Deployment load-test of weaveworksdemos/load-test with 2 replicas
    loaded = load_yaml({"l.yaml": workload("load-test", "weaveworksdemos/load-test:0.1.1")})
    assert loaded.model.component("shop/load-test").kind is NodeKind.CLIENT
    found = analyze(loaded, Config(), all_rules()).findings
    assert not [f for f in found if f.rule in ("FI002", "FI004")]
