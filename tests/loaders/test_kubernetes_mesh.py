"""Service-mesh configuration on calls: Istio VirtualService and DestinationRule, Linkerd ServiceProfile."""

from __future__ import annotations

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.model import EdgeKind
from archlint.rules import all_rules


def workload(name: str, env: str = "[]", annotations: str = "{}") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}, annotations: {annotations}}}
    spec:
      containers: [{{name: main, image: "ghcr.io/acme/{name}:1.0.0", env: {env}}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  selector: {{app: {name}}}
  ports: [{{name: http, port: 80}}]
"""


APP = {
    "front.yaml": workload("front", '[{name: CART_URL, value: "http://cart"}]'),
    "admin.yaml": workload("admin", '[{name: CART_URL, value: "http://cart.default.svc.cluster.local"}]'),
    "cart.yaml": workload("cart"),
}

ROUTE = """
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: cart}
spec:
  hosts: [cart]
  http:
    - match: [{headers: {end-user: {exact: jason}}}]
      route: [{destination: {host: cart, subset: v2}}]
    - route: [{destination: {host: cart, subset: v1}}]
      timeout: 2s
      retries: {attempts: 3, perTryTimeout: 500ms}
"""

RULE = """
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: cart}
spec:
  host: cart.default.svc.cluster.local
  subsets:
    - name: v1
      labels: {version: v1}
      trafficPolicy:
        outlierDetection: {consecutive5xxErrors: 5, interval: 30s, baseEjectionTime: 60s}
    - name: v2
      labels: {version: v2}
"""


def edge(model, source):
    (found,) = model.outgoing(source, [EdgeKind.CALLS])
    return found


def findings(loaded, *rules):
    return [(f.rule, f.node, f.file, f.line, f.message) for f in analyze(loaded, Config(), all_rules()).findings
            if f.rule in rules]


def test_a_virtual_service_default_route_sets_the_timeout_retries_and_backoff_of_calls_to_its_host(load_yaml):
    model = load_yaml({**APP, "vs.yaml": ROUTE, "dr.yaml": RULE}).model
    call = edge(model, "default/front")
    assert (call.timeout_ms, call.retries, call.backoff, call.circuit_breaker) == (2000, 3, "exponential-jitter", True)
    assert (call.resilience.file, call.resilience.line, call.resilience.note) == (
        "vs.yaml", 11, "VirtualService cart, http route 2")
    assert [(v.file, v.note) for v in call.resilience.via] == [("front.yaml", "the call to cart")]
    assert "VirtualService cart route 2: timeout 2s, 3 retries" in call.evidence
    assert edge(model, "default/admin").timeout_ms == 2000  # the FQDN names the same Service


def test_a_route_without_a_timeout_is_a_missing_timeout_at_the_route(load_yaml):
    bare = ROUTE.replace("      timeout: 2s\n", "")
    loaded = load_yaml({**APP, "vs.yaml": bare})
    assert edge(loaded.model, "default/front").timeout_ms is None
    (found,) = [f for f in analyze(loaded, Config(), all_rules()).findings if f.rule == "FI015"]
    assert (found.file, found.line, found.message) == ("vs.yaml", 10, "calls to cart wait with no timeout: "
                                                       "VirtualService cart, http route 2 sets none (admin calls it)")
    assert found.instances == ("default/admin", "default/front")  # one route, one finding for its two callers


def test_a_load_generators_calls_need_no_timeout(load_yaml):
    # microservices-demo's service-mesh-istio component: a VirtualService for frontend only the loadgenerator calls
    bare = ROUTE.replace("      timeout: 2s\n", "")
    files = {"cart.yaml": workload("cart"), "vs.yaml": bare,
             "loadgenerator.yaml": workload("loadgenerator", '[{name: FRONTEND_ADDR, value: "cart:80"}]')}
    loaded = load_yaml(files)
    assert edge(loaded.model, "default/loadgenerator").timeout_ms is None
    assert findings(loaded, "FI015") == []


def test_without_a_destination_rule_istio_breaks_no_circuit_and_a_shared_callee_is_flagged(load_yaml):
    loaded = load_yaml({**APP, "vs.yaml": ROUTE})
    assert edge(loaded.model, "default/front").circuit_breaker is False
    assert sorted(f[1] for f in findings(loaded, "FI018")) == ["default/admin", "default/front"]
    assert findings(load_yaml({**APP, "vs.yaml": ROUTE, "dr.yaml": RULE}), "FI018") == []


def test_a_virtual_service_bound_to_a_gateway_only_does_not_route_mesh_calls(load_yaml):
    gateway = ROUTE.replace("  hosts: [cart]", "  hosts: [cart]\n  gateways: [public]")
    assert edge(load_yaml({**APP, "vs.yaml": gateway}).model, "default/front").resilience is None
    both = ROUTE.replace("  hosts: [cart]", "  hosts: [cart]\n  gateways: [public, mesh]")
    assert edge(load_yaml({**APP, "vs.yaml": both}).model, "default/front").timeout_ms == 2000


def test_a_route_for_other_sources_is_passed_over(load_yaml):
    sourced = ROUTE.replace("    - match: [{headers: {end-user: {exact: jason}}}]",
                            "    - match: [{sourceLabels: {app: admin}}]\n      timeout: 9s")
    model = load_yaml({**APP, "vs.yaml": sourced}).model
    assert (edge(model, "default/front").timeout_ms, edge(model, "default/admin").timeout_ms) == (2000, 9000)


def test_a_workload_without_the_sidecar_bypasses_the_mesh(load_yaml):
    files = {**APP, "vs.yaml": ROUTE}
    files["front.yaml"] = workload("front", '[{name: CART_URL, value: "http://cart"}]',
                                   annotations='{sidecar.istio.io/inject: "false"}')
    assert edge(load_yaml(files).model, "default/front").resilience is None


def test_a_linkerd_service_profile_times_out_its_routes_after_ten_seconds_unless_told(load_yaml):
    profile = """
apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: {name: cart.default.svc.cluster.local, namespace: default}
spec:
  routes:
    - {name: GET /items, condition: {method: GET, pathRegex: /items}, isRetryable: true}
    - {name: POST /items, condition: {method: POST, pathRegex: /items}, timeout: 300ms}
  retryBudget: {retryRatio: 0.2, minRetriesPerSecond: 10, ttl: 10s}
"""
    call = edge(load_yaml({**APP, "sp.yaml": profile}).model, "default/front")
    assert (call.timeout_ms, call.retries, call.resilience.file, call.resilience.line) == (10000, None, "sp.yaml", 8)
    assert "ServiceProfile cart.default.svc.cluster.local: routes time out after 10s, 1 retryable" in call.evidence
