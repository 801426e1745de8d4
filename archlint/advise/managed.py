"""Simplicity: where a managed offering would do a self-built component's job ("the most scalable code is the code
you don't write"), with the cost and operational difference."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from archlint.catalog import Catalog
from archlint.catalog.prices import HOURS_PER_MONTH, SECONDS_PER_MONTH
from archlint.model import Component, NodeKind, SystemModel, image_base

CLOUDS = ("aws", "gcp", "azure")
#: Self-hosted software -> (what it is, {provider: (managed offering, catalog family, catalog item or None)}).
#: The catalog row is the offering's entry-level production size, doubled when run highly available.
OFFERINGS: dict[str, tuple[str, dict[str, tuple[str, str, str | None]]]] = {
    "postgres": ("PostgreSQL", {"aws": ("Amazon RDS for PostgreSQL", "database", "db.t4g.medium"),
                                "gcp": ("Cloud SQL for PostgreSQL", "database", None),
                                "azure": ("Azure Database for PostgreSQL flexible server", "database", "B_Standard_B2s")}),
    "mysql": ("MySQL", {"aws": ("Amazon RDS for MySQL", "database", "db.t4g.medium"),
                        "gcp": ("Cloud SQL for MySQL", "database", None),
                        "azure": ("Azure Database for MySQL flexible server", "database", None)}),
    "redis": ("Redis", {"aws": ("Amazon ElastiCache", "cache", "cache.t4g.small"),
                        "gcp": ("Memorystore for Redis", "cache", None),
                        "azure": ("Azure Cache for Redis", "cache", "Standard:C1")}),
    "memcached": ("Memcached", {"aws": ("Amazon ElastiCache for Memcached", "cache", "cache.t4g.small"),
                                "gcp": ("Memorystore for Memcached", "cache", None)}),
    "rabbitmq": ("RabbitMQ", {"aws": ("Amazon MQ for RabbitMQ", "queue", None),
                              "gcp": ("Pub/Sub", "queue", None), "azure": ("Azure Service Bus", "queue", None)}),
    "kafka": ("Kafka", {"aws": ("Amazon MSK", "queue", None), "gcp": ("Managed Service for Apache Kafka", "queue", None),
                        "azure": ("Azure Event Hubs (Kafka protocol)", "queue", None)}),
    "mongodb": ("MongoDB", {"aws": ("Amazon DocumentDB", "database", None),
                            "azure": ("Azure Cosmos DB for MongoDB", "database", None)}),
    "elasticsearch": ("a search cluster", {"aws": ("Amazon OpenSearch Service", "search", None),
                                           "gcp": ("Elastic Cloud on Google Cloud", "search", None),
                                           "azure": ("Elastic Cloud on Azure", "search", None)}),
    "minio": ("object storage", {"aws": ("Amazon S3", "storage", None), "gcp": ("Cloud Storage", "storage", None),
                                 "azure": ("Azure Blob Storage", "storage", None)}),
}
_SOFTWARE = (("postgres", r"postgres(ql)?|timescaledb|bitnami-postgresql"), ("mysql", r"mysql|mariadb"),
             ("redis", r"redis(-stack(-server)?)?|valkey|keydb"), ("memcached", r"memcached"),
             ("rabbitmq", r"rabbitmq"), ("kafka", r"(cp-)?kafka|redpanda"), ("mongodb", r"mongo(db)?"),
             ("elasticsearch", r"elasticsearch|opensearch"), ("minio", r"minio"))
_SELF_HOSTED_SOURCES = frozenset({"kubernetes", "compose"})
#: What the provider runs for you with a managed offering, said once for every suggestion.
OPERATIONS = "backups, patching, upgrades and failover become the provider's job"


@dataclass(frozen=True, slots=True)
class Simplification:
    """One place where less would be more: what it is, what would replace it, and the difference."""

    component: Component
    kind: str  # "managed-service" or "scale-to-zero"
    software: str
    offering: str
    current_usd: float | None
    managed_usd: float | None
    source: str
    operations: str

    def difference(self) -> str:
        if self.current_usd is None or self.managed_usd is None:
            return f"cost: not compared ({'no estimate of the current cost' if self.current_usd is None else 'no catalog price for the offering'})"
        delta = self.managed_usd - self.current_usd
        direction = "more" if delta > 0 else "less"
        way = "managed" if self.kind == "managed-service" else "on demand"
        return (f"about ${self.current_usd:,.0f} a month now against ${self.managed_usd:,.0f} {way} "
                f"(${abs(delta):,.0f} {direction})")


def software(component: Component) -> str | None:
    """The well-known software a self-hosted component runs, from its container images."""
    for container in component.containers:
        base = image_base(container.image)
        for name, pattern in _SOFTWARE:
            if re.fullmatch(pattern, base):
                return name
    return None


def home_provider(model: SystemModel, component: Component) -> str | None:
    """The component's cloud: its own provider; else the cloud most of the components it is connected to run on;
    else the system's one cloud when it names exactly one. None otherwise: a self-hosted store in a repository
    that mixes clouds (or a corpus of unrelated projects) gets no guess."""
    own = (component.provider or "").lower()
    return own if own in CLOUDS else _clouds(model).get(component.id)


def _clouds(model: SystemModel) -> dict[str, str]:
    """Component id -> the cloud inferred for it from its connected components (computed once per model)."""
    cached = getattr(model, "_inferred_clouds", None)
    if cached is not None:
        return cached
    found: dict[str, str] = {}
    everywhere: Counter = Counter()
    for members in _connected(model):
        counts = Counter(p for p in ((model.component(n).provider or "").lower() for n in members) if p in CLOUDS)
        everywhere.update(counts)
        if counts:
            cloud = min(counts, key=lambda p: (-counts[p], p))
            found.update((n, cloud) for n in members)
    if len(everywhere) == 1:
        only = next(iter(everywhere))
        found = {c.id: found.get(c.id, only) for c in model.components()}
    model._inferred_clouds = found  # type: ignore[attr-defined]
    return found


def _connected(model: SystemModel) -> list[list[str]]:
    """The model's weakly connected components (every edge, either way), as node ids: a union-find over the edges,
    so that the advice needs no NetworkX (archlint.engine.checks)."""
    parent = {c.id: c.id for c in model.components()}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for dep in model.dependencies():
        a, b = root(dep.source), root(dep.target)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for node in parent:
        members.setdefault(root(node), []).append(node)
    return list(members.values())


def managed_services(model: SystemModel, prices: Catalog, costs: dict[str, float]) -> list[Simplification]:
    """Self-hosted stores, caches and brokers that the system's cloud offers as a managed service."""
    found = []
    for component in model.components(NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE):
        if component.source not in _SELF_HOSTED_SOURCES or (name := software(component)) is None:
            continue
        provider = home_provider(model, component)
        what, offers = OFFERINGS[name]
        if provider is None or provider not in offers:
            continue
        offering, family, item = offers[provider]
        row = prices.get(provider, family, item) if item else None
        ha = 2 if (component.min_replicas or 1) > 1 else 1
        managed = row.usd * HOURS_PER_MONTH * ha if row else None
        sized = f"{item}{' x2 (high availability)' if ha == 2 else ''}" if row else ""
        found.append(Simplification(component, "managed-service", what, offering, costs.get(component.id), managed,
                                    f"{sized} at ${row.usd:g}/hour ({row.source})" if row else "", OPERATIONS))
    return found


def scale_to_zero(model: SystemModel, prices: Catalog, costs: dict[str, float], low_rps: float,
                  duration_s: float) -> list[Simplification]:
    """Always-on services with little traffic that a managed function or container service would run on demand."""
    found = []
    for component in model.components(NodeKind.SERVICE, NodeKind.WORKER):
        rps = component.rps
        if rps is None or rps >= low_rps or not component.min_replicas or component.gpu:
            continue
        provider = home_provider(model, component) or "aws"
        requests = prices.get(provider, "serverless", "function-requests")
        compute = prices.get(provider, "serverless", "function-compute")
        offering = {"aws": "AWS Lambda or Fargate", "gcp": "Cloud Run", "azure": "Azure Container Apps"}[provider]
        monthly = None
        source = ""
        if requests and compute:
            calls = rps / (component.attrs.get("peak_to_average") or 1) * SECONDS_PER_MONTH
            memory_gb = (component.memory or 512 * 2**20) / 2**30
            monthly = calls / 1e6 * requests.usd + calls * duration_s * memory_gb * compute.usd
            source = (f"{calls / 1e6:,.1f} M requests x ${requests.usd:g}/M + {duration_s:g} s x {memory_gb:g} GB "
                      f"x ${compute.usd:.3g}/GB-s ({requests.source})")
        found.append(Simplification(component, "scale-to-zero", f"{rps:g} requests per second", offering,
                                    costs.get(component.id), monthly, source,
                                    "it scales to zero between requests and needs no nodes, images or autoscaler "
                                    "of its own"))
    return found
