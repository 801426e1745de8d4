"""The Kubernetes loader: objects, selectors, autoscalers, budgets, ingresses and inferred calls."""

from __future__ import annotations

from archlint.model import EdgeKind, NodeKind

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  {namespace}
  labels: {{app: {name}}}
spec:
  {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}, tier: {tier}}}
    spec:
      containers:
        - name: {name}
          image: {image}
          env: {env}
"""


def deployment(name, namespace="", replicas="", tier="backend", image="ghcr.io/acme/app:1", env="[]"):
    ns = f"namespace: {namespace}" if namespace else ""
    return DEPLOYMENT.format(name=name, namespace=ns, replicas=replicas, tier=tier, image=image, env=env)


def service(name, selector, namespace="default", kind="ClusterIP"):
    return f"""
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  type: {kind}
  selector: {selector}
  ports: [{{port: 80}}]
"""


def test_namespace_defaults_and_replicas_default_like_the_api_server(load_yaml):
    model = load_yaml({"a.yaml": deployment("cart")}).model
    cart = model.component("default/cart")
    assert cart.namespace == "default"
    assert cart.replicas == 1 and cart.attrs["replicas_defaulted"] is True
    assert cart.kind is NodeKind.WORKER  # nothing selects it


def test_lines_point_at_the_document_and_keys(load_yaml):
    text = "---\n" + deployment("cart", replicas="replicas: 3")
    model = load_yaml({"a.yaml": text}).model
    cart = model.component("default/cart")
    lines = text.splitlines()
    assert lines[cart.span.line - 1].startswith("apiVersion")
    assert lines[cart.replicas_span.line - 1].strip() == "replicas: 3"
    assert lines[cart.containers[0].span.line - 1].strip() == "- name: cart"


def test_service_selects_pods_in_its_namespace_only(load_yaml):
    files = {
        "a.yaml": deployment("cart", namespace="shop") + "---" + deployment("cart", namespace="other"),
        "b.yaml": service("cart", "{app: cart}", namespace="shop"),
    }
    model = load_yaml(files).model
    assert model.component("shop/cart").attrs["services"] == ["cart"]
    assert model.component("shop/cart").kind is NodeKind.SERVICE
    assert model.component("other/cart").attrs["services"] == []


def test_service_with_partial_label_match_selects_nothing(load_yaml):
    model = load_yaml({"a.yaml": deployment("cart") + "---" + service("cart", "{app: cart, tier: frontend}")}).model
    assert model.component("default/cart").attrs["services"] == []


def test_list_kind_is_expanded(load_yaml):
    text = """
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: a}
    spec: {template: {metadata: {labels: {app: a}}, spec: {containers: [{name: a, image: x}]}}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: b}
    spec: {template: {metadata: {labels: {app: b}}, spec: {containers: [{name: b, image: x}]}}}
"""
    model = load_yaml({"list.yaml": text}).model
    assert {c.id for c in model.components()} == {"default/a", "default/b"}
    assert model.component("default/b").span.line == 9


def test_hpa_v1_and_v2_attach_to_their_target(load_yaml):
    hpa_v1 = """
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: a}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: a}
  maxReplicas: 5
  targetCPUUtilizationPercentage: 80
"""
    hpa_v2 = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: b}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: b}
  minReplicas: 3
  maxReplicas: 9
  metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}}]
"""
    model = load_yaml({"d.yaml": deployment("a") + "---" + deployment("b"), "h.yaml": hpa_v1 + "---" + hpa_v2}).model
    a, b = model.component("default/a").autoscaling, model.component("default/b").autoscaling
    assert (a.min_replicas, a.max_replicas, a.metrics) == (1, 5, ("cpu",))
    assert (b.min_replicas, b.max_replicas, b.metrics) == (3, 9, ("memory",))
    assert [d.target for d in model.outgoing("default/hpa/b", [EdgeKind.SCALES])] == ["default/b"]


def test_pdb_uses_match_labels_and_match_expressions(load_yaml):
    pdb = """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: backend}
spec:
  maxUnavailable: 1
  selector:
    matchExpressions:
      - {key: tier, operator: In, values: [backend]}
      - {key: app, operator: NotIn, values: [b]}
"""
    model = load_yaml({"d.yaml": deployment("a") + "---" + deployment("b"), "p.yaml": pdb}).model
    assert model.component("default/a").attrs["pdbs"] == ["default/pdb/backend"]
    assert "pdbs" not in model.component("default/b").attrs


def test_ingress_routes_to_the_selected_workloads_and_is_an_entrypoint(load_yaml):
    ingress = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: public}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
    model = load_yaml({"d.yaml": deployment("web"), "s.yaml": service("web", "{app: web}"), "i.yaml": ingress}).model
    gateway = model.component("default/ingress/public")
    assert gateway.kind is NodeKind.GATEWAY and gateway.entrypoint
    routes = model.outgoing(gateway.id, [EdgeKind.ROUTES])
    assert [(d.target, d.mode) for d in routes] == [("default/web", "sync")]
    assert model.component("default/web").user_facing is True


def test_calls_are_inferred_from_urls_dns_names_service_host_vars_and_configmaps(load_yaml):
    env = ('[{name: CART_URL, value: "http://cart:8080/api"}, {name: PAY, value: "payments.shop.svc.cluster.local:443"},'
           ' {name: REDIS_SERVICE_HOST, value: "10.0.0.1"}, {name: EXTERNAL, value: "https://api.stripe.com"}]')
    configmap = """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {QUEUE: "amqp://rabbitmq:5672"}
"""
    front = deployment("front", namespace="shop", env=env).replace(
        "          env:", "          envFrom: [{configMapRef: {name: settings}}]\n          env:")
    files = {
        "front.yaml": front,
        "back.yaml": "---".join(deployment(n, namespace="shop") for n in ("cart", "payments", "redis", "rabbitmq")),
        "svc.yaml": "---".join(service(n, f"{{app: {n}}}", namespace="shop") for n in ("cart", "payments", "redis", "rabbitmq")),
        "cm.yaml": configmap,
    }
    model = load_yaml(files).model
    calls = {d.target: d.mode for d in model.outgoing("shop/front", [EdgeKind.CALLS])}
    assert calls == {"shop/cart": "sync", "shop/payments": "sync", "shop/redis": "sync", "shop/rabbitmq": "async"}
    evidence = {d.target: d.evidence for d in model.outgoing("shop/front", [EdgeKind.CALLS])}
    assert evidence["shop/payments"] == "env PAY names Service payments; sync: port 443 is HTTPS's"
    assert evidence["shop/redis"] == "env REDIS_SERVICE_HOST names Service redis; sync: port 80 is HTTP's"
    assert all(d.origin == "inferred" for d in model.outgoing("shop/front"))


def test_workload_kinds_are_classified(load_yaml):
    gpu = deployment("llm", image="vllm/vllm-openai:v0.6").replace(
        "          env: []", "          resources: {limits: {nvidia.com/gpu: 1}}")
    files = {"a.yaml": deployment("db", image="postgres:16") + "---" + deployment("cache", image="redis:7") + "---" + gpu}
    model = load_yaml(files).model
    assert model.component("default/db").kind is NodeKind.DATASTORE
    assert model.component("default/cache").kind is NodeKind.CACHE
    llm = model.component("default/llm")
    assert llm.kind is NodeKind.MODEL_SERVING and llm.gpu == 1 and llm.tier.value == "ai"


def test_same_object_in_two_directories_is_one_node_per_system(load_yaml):
    model = load_yaml({"dev/a.yaml": deployment("api"), "prod/a.yaml": deployment("api")}).model
    assert sorted((c.id, c.system) for c in model.components()) == [("default/api", "dev"),
                                                                      ("default/api@prod", "prod")]


def test_templates_are_said_and_non_kubernetes_yaml_skipped_quietly(load_yaml):
    result = load_yaml({
        "chart/templates/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n",
        ".github/workflows/ci.yml": "on: [push]\njobs: {test: {runs-on: ubuntu-latest}}\n",
        "gitlab.yml": "include:\n  - !reference [.setup, script]\n",
    })
    assert [(f.rule, f.file, f.line) for f in result.findings] == [("IN006", "chart/templates/d.yaml", 1)]
    assert "a template file in chart/templates not read" in result.findings[0].message
    assert len(result.model) == 0
    assert result.stats["skipped.templates"] == 1


def test_telemetry_signals_from_annotations_env_ports_and_monitors(load_yaml):
    traced = deployment("traced", env='[{name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://otel:4317"}, '
                                     '{name: LOG_FORMAT, value: json}]')
    scraped = deployment("scraped").replace("      labels: {app: scraped, tier: backend}",
                                            "      labels: {app: scraped, tier: backend}\n"
                                            "      annotations: {prometheus.io/scrape: \"true\"}")
    monitor = """
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: plain}
spec:
  selector: {matchLabels: {monitored: "yes"}}
"""
    svc = service("plain", "{app: plain}").replace("metadata: {name: plain, namespace: default}",
                                                    "metadata: {name: plain, namespace: default, labels: {monitored: \"yes\"}}")
    model = load_yaml({"a.yaml": "---".join([traced, scraped, deployment("plain"), deployment("dark")]),
                       "m.yaml": monitor, "s.yaml": svc}).model
    assert model.component("default/traced").attrs["telemetry"] == {
        "tracing": "env OTEL_EXPORTER_OTLP_ENDPOINT", "logs": "env LOG_FORMAT=json"}
    assert model.component("default/scraped").attrs["telemetry"] == {"metrics": "annotation prometheus.io/scrape"}
    assert model.component("default/plain").attrs["telemetry"] == {"metrics": "ServiceMonitor plain"}
    assert model.component("default/dark").attrs["telemetry"] == {}


def test_monitors_watch_their_own_namespace_unless_told_otherwise(load_yaml):
    """The Prometheus Operator's default: a monitor without namespaceSelector watches its own namespace."""
    def monitor(name: str, namespace: str, namespaces: str = "") -> str:
        return (f"apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {{name: {name}, namespace: "
                f"{namespace}}}\nspec:\n  selector: {{matchLabels: {{app: api}}}}\n{namespaces}")

    api = deployment("api")
    elsewhere = deployment("api", namespace="shop")
    model = load_yaml({"a.yaml": api, "b.yaml": elsewhere, "m.yaml": monitor("ops", "monitoring")}).model
    assert model.component("default/api").attrs["telemetry"] == {}
    named = monitor("ops", "monitoring", "  namespaceSelector: {matchNames: [shop]}\n")
    model = load_yaml({"a.yaml": api, "b.yaml": elsewhere, "m.yaml": named}).model
    assert model.component("default/api").attrs["telemetry"] == {}
    assert model.component("shop/api").attrs["telemetry"] == {"metrics": "PodMonitor ops"}
    everywhere = monitor("ops", "monitoring", "  namespaceSelector: {any: true}\n")
    model = load_yaml({"a.yaml": api, "m.yaml": everywhere}).model
    assert model.component("default/api").attrs["telemetry"] == {"metrics": "PodMonitor ops"}
