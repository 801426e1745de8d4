"""A small, realistic model built with ModelBuilder, that every export test renders."""

from __future__ import annotations

import pytest

from archlint.model import (
    Autoscaling, Component, Container, Dependency, EdgeKind, ModelBuilder, NodeKind, Probe, Span, SystemModel, Tier,
)

#: A name (and id) that breaks every format that does not escape: markup, double quotes.
TRICKY_NAME = '<script>"x"'
TRICKY_ID = 'ai/<script>"x"'


def _components() -> list[Component]:
    api = Component(
        id="shop/api", name="api", kind=NodeKind.SERVICE, span=Span("deploy/api.yaml", 3), source="kubernetes",
        tier=Tier.CLOUD, namespace="shop", workload_kind="Deployment", provider="aws", region="eu-west-1",
        zones=("eu-west-1a", "eu-west-1b"), replicas=3, replicas_span=Span("deploy/api.yaml", 9),
        autoscaling=Autoscaling(2, 10, "HorizontalPodAutoscaler/api", Span("deploy/api-hpa.yaml", 1), ("cpu",)),
        cpu=0.5, memory=536870912.0,
        containers=(Container("app", "ghcr.io/shop/api:1.4", Span("deploy/api.yaml", 20), cpu_request=0.5,
                              memory_request=536870912.0, readiness=Probe("http", 27), ports=(8080,)),),
        availability=0.999, latency_ms=300.0, criticality="high", user_facing=True, rps=120.0, owner="team-shop",
        labels={"app": "api"}, spans=[Span("graph/system.yaml", 12)],
        points={"replicas": Span("deploy/api.yaml", 9), "slo": Span("graph/system.yaml", 15)},
        attrs={"services": ["api"], "merged_from": ["service-graph"]},
    )
    return [
        Component(id="edge-gw", name="edge-gw", kind=NodeKind.GATEWAY, span=Span("deploy/gateway.yaml", 1),
                  source="kubernetes", tier=Tier.EDGE, replicas=2, entrypoint=True),
        api,
        Component(id="orders-db", name="orders-db", kind=NodeKind.DATASTORE, span=Span("infra/db.tf", 4),
                  source="terraform", tier=Tier.CLOUD, provider="aws", region="eu-west-1", zones=("eu-west-1a",),
                  replicas=1, data_bytes=2.0e11),
        Component(id="orders-queue", name="orders-queue", kind=NodeKind.QUEUE, span=Span("infra/queue.tf", 2),
                  source="terraform", tier=Tier.CLOUD),
        Component(id="shop/worker", name="worker", kind=NodeKind.WORKER, span=Span("deploy/worker.yaml", 3),
                  source="kubernetes", namespace="shop"),
        Component(id="shop/api-hpa", name="api", kind=NodeKind.AUTOSCALER, span=Span("deploy/api-hpa.yaml", 1),
                  source="kubernetes", tier=Tier.CLOUD, namespace="shop",
                  attrs={"min_replicas": 2, "max_replicas": 10, "target": "Deployment/api"}),
        Component(id=TRICKY_ID, name=TRICKY_NAME, kind=NodeKind.MODEL_SERVING, span=Span("graph/system.yaml", 40),
                  source="service-graph", tier=Tier.AI),
    ]


def _dependencies() -> list[Dependency]:
    return [
        Dependency("edge-gw", "shop/api", EdgeKind.CALLS, Span("deploy/gateway.yaml", 12), mode="sync",
                   timeout_ms=2000.0, retries=2, backoff="exponential", circuit_breaker=True),
        Dependency("shop/api", "orders-db", EdgeKind.READS, Span("graph/system.yaml", 20), mode="sync",
                   timeout_ms=500.0, rate_rps=300.0),
        Dependency("shop/api", "orders-queue", EdgeKind.PUBLISHES, Span("graph/system.yaml", 24), mode="async",
                   rate_rps=50.0, bytes_per_call=2048.0),
        Dependency("shop/worker", "orders-queue", EdgeKind.CONSUMES, Span("deploy/worker.yaml", 30), mode="async"),
        Dependency("shop/api-hpa", "shop/api", EdgeKind.SCALES, Span("deploy/api-hpa.yaml", 8)),
        # Mode unknown, found rather than declared: the export must show both.
        Dependency("shop/api", TRICKY_ID, EdgeKind.CALLS, Span("deploy/api.yaml", 31), origin="inferred",
                   evidence="env INFERENCE_URL"),
    ]


def build_model(reverse: bool = False) -> SystemModel:
    """The model; `reverse` adds every component and dependency in the opposite order."""
    builder = ModelBuilder()
    components, dependencies = _components(), _dependencies()
    if reverse:
        components.reverse()
        dependencies.reverse()
    for component in components:
        builder.add(component)
    for dependency in dependencies:
        builder.connect(dependency)
    builder.files, builder.documents = 6, 9
    model = builder.build()
    assert not builder.unresolved
    return model


@pytest.fixture
def model() -> SystemModel:
    return build_model()


@pytest.fixture
def reversed_model() -> SystemModel:
    return build_model(reverse=True)


@pytest.fixture
def tricky(model: SystemModel) -> Component:
    """The component whose id and name carry markup and double quotes."""
    return model.component(TRICKY_ID)
