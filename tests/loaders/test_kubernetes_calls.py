"""Calls between Kubernetes workloads: where the address is written, and whether the call waits (with the reason)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.model import EdgeKind

FIXTURES = Path(__file__).parent.parent / "fixtures" / "kubernetes"


def workload(name: str, container: str, ports: str = "[{containerPort: 8080}]", extra: str = "") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - name: main
          image: ghcr.io/acme/{name}:1
          ports: {ports}
{container}
{extra}
"""


def service(name: str, ports: str) -> str:
    return f"""
apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  selector: {{app: {name}}}
  ports: {ports}
"""


def calls(model, source):
    return {d.target: (d.mode, d.evidence, d.span.file, d.span.line) for d in model.outgoing(source, [EdgeKind.CALLS])}


def test_a_bare_service_name_is_a_call_only_in_a_setting_named_as_an_address(load_yaml):
    env = """          env:
            - {name: ORDER_QUEUE_HOSTNAME, value: "queue"}
            - {name: ORDER_QUEUE_PORT, value: "5672"}
            - {name: ORDER_QUEUE_NAME, value: "orders"}"""
    files = {"a.yaml": "---".join([workload("api", env), service("queue", "[{port: 5672}]"),
                                   workload("queue", ""), service("orders", "[{port: 80}]"), workload("orders", "")])}
    found = calls(load_yaml(files).model, "default/api")
    assert list(found) == ["default/queue"]  # ORDER_QUEUE_NAME names a queue, not the Service `orders`
    mode, evidence, _, line = found["default/queue"]
    assert mode == "async" and evidence == "env ORDER_QUEUE_HOSTNAME names Service queue; async: port 5672 is AMQP's"
    assert line == 15


@pytest.mark.parametrize(("ports", "callee_image", "expected"), [
    ('[{name: grpc, port: 7070}]', "app", ("sync", "Service port grpc speaks grpc")),
    ('[{name: web, port: 7070, appProtocol: kubernetes.io/h2c}]', "app",
     ("sync", "Service port web has appProtocol kubernetes.io/h2c")),
    ('[{name: tcp-redis, port: 7070}]', "app", ("sync", "Service port tcp-redis speaks redis")),
    ('[{port: 7070, targetPort: amqp}]', "app", ("async", "container port amqp speaks amqp")),
    ('[{port: 9092}]', "app", ("async", "port 9092 is Kafka's")),
    ('[{port: 7070}]', "rabbitmq", ("async", "the callee is a queue, which hands messages over")),
    ('[{port: 7070}]', "postgres", ("sync", "the callee is a datastore, which answers while the caller waits")),
    ('[{port: 7070}]', "app", (None, None)),
])
def test_the_mode_comes_from_the_port_then_the_number_then_the_callee(load_yaml, ports, callee_image, expected):
    env = '          env: [{name: PEER_ADDR, value: "peer"}]'
    named = "[{containerPort: 7070, name: amqp}]" if "targetPort" in ports else "[{containerPort: 7070}]"
    callee = workload("peer", "", ports=named).replace(
        "ghcr.io/acme/peer:1", callee_image)
    model = load_yaml({"a.yaml": "---".join([workload("api", env), service("peer", ports), callee])}).model
    mode, evidence, _, _ = calls(model, "default/api")["default/peer"]
    reason = evidence.split(f"{mode}: ", 1)[1] if mode else None
    assert (mode, reason) == expected


def test_a_url_scheme_wins_over_the_port(load_yaml):
    env = '          env: [{name: EVENTS, value: "amqp://peer:80"}]'
    model = load_yaml({"a.yaml": "---".join([workload("api", env), service("peer", "[{name: http, port: 80}]"),
                                             workload("peer", "")])}).model
    assert calls(model, "default/api")["default/peer"][0] == "async"


def test_args_and_commands_name_services(load_yaml):
    container = '          args: ["--upstream=cart:8080", "--cache", "redis.default.svc.cluster.local:6379"]'
    files = {"a.yaml": "---".join([workload("api", container), service("cart", "[{name: http, port: 8080}]"),
                                   workload("cart", ""), service("redis", "[{port: 6379}]"),
                                   workload("redis", "").replace("ghcr.io/acme/redis:1", "redis:7")])}
    found = calls(load_yaml(files).model, "default/api")
    assert {t: m[0] for t, m in found.items()} == {"default/cart": "sync", "default/redis": "sync"}
    assert found["default/cart"][1].startswith("container main args names Service cart")


def test_a_mounted_configmap_file_names_services_at_their_own_line(load_yaml):
    configmap = """
apiVersion: v1
kind: ConfigMap
metadata: {name: nginx}
data:
  nginx.conf: |
    server {
      listen 80;
      location /api { proxy_pass http://cart:8080; }
      location /static { root /srv; }
    }
"""
    extra = """          volumeMounts: [{name: conf, mountPath: /etc/nginx}]
      volumes:
        - name: conf
          configMap: {name: nginx}"""
    files = {"web.yaml": workload("web", "", extra=extra), "cm.yaml": configmap,
             "cart.yaml": workload("cart", "") + "---" + service("cart", "[{port: 8080}]")}
    model = load_yaml(files).model
    edge = model.outgoing("default/web", [EdgeKind.CALLS])[0]
    assert (edge.target, edge.mode, edge.span.file, edge.span.line) == ("default/cart", "sync", "cm.yaml", 9)
    assert [(v.file, v.note) for v in edge.span.via] == [("web.yaml", "volume conf")]


def test_a_configmap_key_reference_points_at_the_configmap_with_the_env_as_related(load_yaml):
    configmap = """
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data:
  DB: "postgres:5432"
"""
    env = '          env: [{name: DATABASE_HOST, valueFrom: {configMapKeyRef: {name: settings, key: DB}}}]'
    files = {"api.yaml": workload("api", env), "cm.yaml": configmap,
             "db.yaml": workload("postgres", "").replace("ghcr.io/acme/postgres:1", "postgres:16") + "---"
             + service("postgres", "[{port: 5432}]")}
    edge = load_yaml(files).model.outgoing("default/api", [EdgeKind.CALLS])[0]
    assert (edge.span.file, edge.span.line, edge.mode) == ("cm.yaml", 6, "sync")
    assert [(v.file, v.line, v.note) for v in edge.span.via] == [("api.yaml", 14, "env DATABASE_HOST of main")]


def test_one_edge_per_caller_and_callee(load_yaml):
    env = '          env: [{name: A, value: "cart:7000"}, {name: B_URL, value: "http://cart"}]'
    files = {"a.yaml": "---".join([workload("api", env), service("cart", "[{port: 8080}]"), workload("cart", "")])}
    found = load_yaml(files).model.outgoing("default/api", [EdgeKind.CALLS])
    assert len(found) == 1 and found[0].mode == "sync" and found[0].evidence.startswith("env B_URL")


def _real(folder: str):
    root = FIXTURES / folder
    return load(discover([root], root)).model


def test_aks_store_demo_order_service_reaches_rabbitmq_asynchronously():
    model = _real("aks-store-demo")
    (edge,) = model.outgoing("default/order-service", [EdgeKind.CALLS])
    assert (edge.target, edge.mode) == ("default/rabbitmq", "async")
    assert edge.evidence == ("env ORDER_QUEUE_HOSTNAME names Service rabbitmq; async: Service port rabbitmq-amqp "
                             "speaks amqp")
    assert (edge.span.file, edge.span.line) == ("aks-store-quickstart.yaml", 95)


def test_microservices_demo_calls_are_synchronous_grpc():
    model = _real("microservices-demo")
    modes = {(d.source, d.target): d.mode for d in model.dependencies([EdgeKind.CALLS])}
    assert modes == {
        ("default/frontend", "default/cartservice"): "sync",
        ("default/frontend", "default/checkoutservice"): "sync",
        ("default/checkoutservice", "default/cartservice"): "sync",
        ("default/checkoutservice", "default/paymentservice"): "sync",
        ("default/cartservice", "default/redis-cart"): "sync",
        ("default/loadgenerator", "default/frontend"): "sync",
    }
