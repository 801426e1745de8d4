"""The Compose loader: services, kinds, replicas, resources, healthchecks, depends_on, inferred calls, merging."""

from __future__ import annotations

import pytest

from archlint.model import EdgeKind, NodeKind

STACK = """\
name: shop
x-logging: &logging
  driver: json-file
  options: {max-size: 5m}

services:
  web:
    image: nginx:1.27-alpine
    ports:
      - "80:80"
    depends_on:
      - api
    volumes:
      - static:/usr/share/nginx/html:ro
    logging: *logging

  api:
    build:
      context: ./api
    image: ghcr.io/acme/shop-api:1.4
    expose: ["8080"]
    environment:
      DATABASE_URL: postgres://shop:secret@db:5432/shop
      REDIS_ADDR: redis:6379
      PAYMENTS_URL: https://payments.example.com/v1
    depends_on:
      db:
        condition: service_healthy
      redis:
        condition: service_started
    deploy:
      replicas: 2
      resources:
        reservations:
          cpus: "0.5"
          memory: 512M
        limits:
          cpus: "1"
          memory: 1G
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8080/healthz"]
      interval: 10s
    volumes:
      - static:/srv/static

  worker:
    image: ghcr.io/acme/shop-worker:1.4
    environment:
      - BROKER_URL=amqp://guest:guest@rabbitmq:5672/
      - DB_HOST=db
      - LOG_LEVEL
    links:
      - redis:cache
    depends_on: [db, rabbitmq]
    profiles: [jobs]
    logging: *logging

  scheduler:
    build: ./scheduler
    environment:
      API_URL: http://api:8080/internal

  nightly-report:
    extends: {service: worker}
    profiles: [reports]

  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: secret
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U shop"]
    volumes:
      - pgdata:/var/lib/postgresql/data

  redis:
    image: redis:7-alpine

  rabbitmq:
    image: rabbitmq:3-management
    ports: ["15672:15672"]

volumes:
  static:
  pgdata:
"""


def line(text: str, needle: str) -> int:
    """1-based line of the first line of `text` that contains `needle`."""
    return next(i for i, content in enumerate(text.splitlines(), 1) if needle in content)


def edge(model, source: str, target: str):
    [dep] = [d for d in model.outgoing(f"compose:shop/{source}") if d.target == f"compose:shop/{target}"]
    return dep


@pytest.fixture
def shop(load_yaml):
    return load_yaml({"shop/compose.yaml": STACK})


def test_every_service_is_a_component_with_a_readable_id_and_its_line(shop):
    model = shop.model
    assert {c.id for c in model.components()} == {f"compose:shop/{name}" for name in (
        "web", "api", "worker", "scheduler", "nightly-report", "db", "redis", "rabbitmq")}
    assert shop.stats["documents.compose"] == 1
    api = model.component("compose:shop/api")
    assert (api.name, api.source, api.span.file, api.span.line) == ("api", "compose", "shop/compose.yaml",
                                                                    line(STACK, "  api:"))


def test_kinds_come_from_images_then_ports(shop):
    kinds = {c.name: (c.kind, c.attrs["kind_reason"]) for c in shop.model.components()}
    assert kinds["db"] == (NodeKind.DATASTORE, "runs the image postgres")
    assert kinds["redis"][0] is NodeKind.CACHE and kinds["rabbitmq"][0] is NodeKind.QUEUE
    assert kinds["web"] == (NodeKind.SERVICE, "publishes ports")
    assert kinds["api"] == (NodeKind.SERVICE, "exposes ports")
    assert kinds["worker"] == (NodeKind.WORKER, "publishes and exposes no port")
    assert kinds["scheduler"][0] is NodeKind.WORKER and "built from ./scheduler" in kinds["scheduler"][1]


def test_published_ports_make_an_entrypoint_except_for_a_datastore(shop):
    model = shop.model
    assert model.component("compose:shop/web").entrypoint is True
    assert model.component("compose:shop/web").user_facing is True
    assert model.component("compose:shop/api").entrypoint is None  # only exposed inside the project network
    assert model.component("compose:shop/rabbitmq").entrypoint is None  # a management port is no way in for users
    assert model.component("compose:shop/web").containers[0].ports == (80,)


def test_replicas_resources_and_limits_from_deploy(shop):
    api = shop.model.component("compose:shop/api")
    assert api.replicas == 2 and api.replicas_span.line == line(STACK, "replicas: 2")
    assert "replicas_defaulted" not in api.attrs
    assert (api.cpu, api.memory) == (0.5, 512 * 2**20)  # Docker reads 512M as MiB
    [container] = api.containers
    assert (container.name, container.image) == ("api", "ghcr.io/acme/shop-api:1.4")
    assert (container.cpu_limit, container.memory_limit) == (1.0, 2**30)
    assert api.attrs["limits"] == {"cpu": 1.0, "memory": 2**30}
    assert container.resources_span.line == line(STACK, "resources:")
    assert api.at("deploy").line == line(STACK, "deploy:")


def test_replicas_are_unknown_without_a_deploy_section(shop):
    worker = shop.model.component("compose:shop/worker")
    assert worker.replicas is None and "replicas_defaulted" not in worker.attrs
    assert worker.cpu is None and worker.containers[0].cpu_request is None  # not given: unknown


def test_replicas_default_to_one_when_deploy_says_nothing_of_them(load_yaml):
    result = load_yaml({"compose.yaml": "services:\n  api:\n    image: x\n    deploy:\n      mode: replicated\n"})
    [api] = list(result.model.components())
    assert api.replicas == 1 and api.attrs["replicas_defaulted"] is True and api.replicas_span.line == 5


def test_healthchecks_are_readiness_probes(shop):
    model = shop.model
    api_probe = model.component("compose:shop/api").containers[0].readiness
    assert (api_probe.kind, api_probe.line) == ("http", line(STACK, "healthcheck:"))
    assert model.component("compose:shop/db").containers[0].readiness.kind == "exec"
    assert model.component("compose:shop/redis").containers[0].readiness is None


def test_depends_on_in_both_forms_with_conditions_as_evidence(shop):
    model = shop.model
    web_api = edge(model, "web", "api")
    assert (web_api.kind, web_api.mode, web_api.origin, web_api.evidence) == (
        EdgeKind.DEPENDS_ON, None, "declared", "depends_on api")
    assert web_api.span.line == line(STACK, "depends_on:")
    api_redis = edge(model, "api", "redis")
    assert api_redis.evidence.startswith("depends_on redis (condition: service_started)")
    assert api_redis.span.line == STACK.splitlines().index("      redis:") + 1  # the key under depends_on
    worker_db = edge(model, "worker", "db")
    assert worker_db.kind is EdgeKind.DEPENDS_ON and worker_db.evidence.startswith("depends_on db")


def test_environment_urls_give_the_mode_of_the_declared_dependency(shop):
    model = shop.model
    api_db = edge(model, "api", "db")  # the inferred call folds into the declared edge, which keeps the URL's mode
    assert (api_db.kind, api_db.mode) == (EdgeKind.DEPENDS_ON, "sync")
    assert api_db.evidence == "depends_on db (condition: service_healthy); env DATABASE_URL names service db"
    worker_queue = edge(model, "worker", "rabbitmq")
    assert worker_queue.mode == "async" and "env BROKER_URL names service rabbitmq" in worker_queue.evidence
    assert "env DB_HOST names service db" in edge(model, "worker", "db").evidence  # a bare host in a *_HOST variable


def test_environment_naming_a_service_is_an_inferred_call(shop):
    model = shop.model
    call = edge(model, "scheduler", "api")
    assert (call.kind, call.mode, call.origin) == (EdgeKind.CALLS, "sync", "inferred")
    assert call.evidence == "env API_URL names service api"
    assert call.span.line == line(STACK, "API_URL")
    assert not [d for d in model.outgoing("compose:shop/api") if "payments" in d.target]  # not a service here


def test_links_are_dependencies(shop):
    link = edge(shop.model, "worker", "redis")
    assert (link.kind, link.evidence, link.span.line) == (EdgeKind.DEPENDS_ON, "links redis:cache", line(STACK, "links:"))


def test_named_volumes_shared_by_services(shop):
    model = shop.model
    assert model.component("compose:shop/web").attrs["shared_volumes"] == ["static"]
    assert model.component("compose:shop/api").attrs["shared_volumes"] == ["static"]
    assert "shared_volumes" not in model.component("compose:shop/db").attrs  # pgdata is db's alone


def test_extends_profiles_and_extension_fields_are_kept_not_followed(shop):
    report = shop.model.component("compose:shop/nightly-report")
    assert report.attrs["extends"] == {"service": "worker"} and report.attrs["profiles"] == ["reports"]
    assert report.kind is NodeKind.WORKER
    assert not shop.findings


def test_only_files_named_as_compose_names_them_are_read(load_yaml):
    other = "services:\n  api:\n    image: ghcr.io/acme/api:1\n"
    result = load_yaml({"ci/services.yaml": other, "docker-compose.prod.yml": other, "compose.override.yaml": other,
                        "deploy/docker-stack.yml": other, "compose/app.yaml": other})
    assert {c.id for c in result.model.components()} == {
        "compose:./api", "compose:./api@docker-compose.prod.yml", "compose:deploy/api"}
    assert result.stats["documents.compose"] == 3 and result.stats["documents"] == 5


def test_default_file_takes_the_plain_id_and_variants_resolve_within_their_file(load_yaml):
    base = "services:\n  api: {image: a, depends_on: [db]}\n  db: {image: postgres}\n"
    result = load_yaml({"app/docker-compose.dev.yml": base, "app/docker-compose.yml": base})
    model = result.model
    assert model.component("compose:app/api").span.file == "app/docker-compose.yml"
    [dep] = model.outgoing("compose:app/api@app/docker-compose.dev.yml")
    assert dep.target == "compose:app/db@app/docker-compose.dev.yml"


def test_a_kubernetes_object_in_a_compose_named_file_stays_kubernetes(load_yaml):
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec: {template: {spec: {containers: [{name: api, image: x}]}}}
"""
    result = load_yaml({"compose.yaml": deployment})
    assert result.stats.get("documents.kubernetes") == 1 and "documents.compose" not in result.stats


def test_unusual_values_do_not_crash(load_yaml):
    text = """\
services:
  a:
    image: ${IMAGE:-busybox}
    deploy: {replicas: "${REPLICAS}", mode: replicated, resources: {reservations: {devices: [{capabilities: [gpu]}]}}}
    ports: [{target: 8080, published: "8080"}, "3000-3005:3000-3005", 9090]
    environment: [JUST_A_NAME, "EMPTY=", 42]
    depends_on: {b: null}
    healthcheck: {test: ["NONE"]}
    labels: [com.example.team=core, flag]
    volumes: [{type: bind, source: ., target: /src}, {type: volume, source: cache, target: /c}, /anonymous]
  b: {build: {context: .}, scale: 3, healthcheck: {disable: true}, volumes: ["cache:/c"]}
  c: null
  g: {image: vllm/vllm-openai, deploy: {mode: global, resources: {reservations: {devices: [{driver: nvidia, count: 2}]}}}}
"""
    result = load_yaml({"compose.yml": text})
    model = result.model
    a, b, g = (model.component(f"compose:./{name}") for name in "abg")
    assert a.replicas is None and a.replicas_span.line == 4  # set from a variable: unknown, not defaulted
    assert a.containers[0].ports == (8080, 9090) and a.entrypoint is True
    assert a.containers[0].readiness is None and b.containers[0].readiness is None
    assert a.labels == {"com.example.team": "core"} and a.gpu is None and a.tier.value == "ai"
    assert b.replicas == 3 and a.attrs["shared_volumes"] == b.attrs["shared_volumes"] == ["cache"]
    assert (g.kind, g.gpu, g.replicas, g.attrs["deploy_mode"]) == (NodeKind.MODEL_SERVING, 2.0, None, "global")
    assert [d.target for d in model.outgoing("compose:./a")] == ["compose:./b"]
    assert not result.findings


def test_compose_service_merges_with_the_kubernetes_workload_of_the_same_name(load_yaml):
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/shop-api:1.4}]}
"""
    model = load_yaml({"shop/compose.yaml": STACK, "k8s/api.yaml": deployment}).model
    assert "compose:shop/api" not in model
    api = model.component("shop/api")
    assert api.replicas == 3  # the manifest wins
    assert api.attrs["merged_from"] == ["compose"]
    assert {s.file for s in [api.span, *api.spans]} == {"k8s/api.yaml", "shop/compose.yaml"}
    assert {d.target for d in model.outgoing("shop/api")} == {"compose:shop/db", "compose:shop/redis"}
    assert [d.source for d in model.incoming("shop/api")] == ["compose:shop/scheduler", "compose:shop/web"]


def test_service_graph_adds_what_compose_cannot_say(load_yaml):
    graph = """\
apiVersion: archlint.dev/v1
kind: ServiceGraph
spec:
  components:
    - name: api
      slo: {availability: 99.9}
"""
    model = load_yaml({"shop/compose.yaml": STACK, "graph.yaml": graph}).model
    api = model.component("compose:shop/api")  # compose is the more authoritative description
    assert "api" not in model
    assert (api.availability, api.replicas) == (99.9, 2)
