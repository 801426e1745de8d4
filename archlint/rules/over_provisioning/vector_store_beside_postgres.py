"""A self-hosted vector database runs beside a PostgreSQL that could hold the vectors.

What it flags: a vector store that the team runs itself (a workload of the Qdrant, Weaviate, Milvus, Chroma,
Vespa or Marqo image, or a component declared `kind: vector-store`) in a system that also has a PostgreSQL
datastore (a `postgres` image, an `engine` such as `postgres` or `aurora-postgresql`, a Cloud SQL
`POSTGRES_*` version, an Azure PostgreSQL server, or `data.extensions` listing `pgvector`). A vector store whose
declared data is over `max_data_gb` (default 100) is not flagged: at that size a dedicated engine earns its keep.
Why it matters: "Don't build a custom vector store if your database has a plugin." The pgvector extension stores
embeddings in the rows they describe and searches them with HNSW or IVFFlat indexes, in the same transactions,
backups, access control and failover the team already runs. A second database doubles all of that: its own
replicas, volumes, upgrades, monitoring and on-call, and a copy of the data to keep in step with its source (a
deleted row whose embedding survives is a leak). Up to millions of vectors pgvector is usually fast enough.
How to fix: enable pgvector (`CREATE EXTENSION vector`) and move the collection into a table with a vector column
and an HNSW index; keep the dedicated store only where measured recall, latency or scale needs it, and say so in a
suppression.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding
from archlint.rules.capacity import monthly_usd, price_note, price_sources, usd
from archlint.rules.images import image_base

META = RuleMeta(
    id="OP023", name="vector-store-beside-postgres", title="Self-hosted vector database beside PostgreSQL",
    concern=Concern.OVER_PROVISIONING, severity=Severity.INFO, options={"max_data_gb": 100},
    options_schema={"max_data_gb": {"type": "number", "exclusiveMinimum": 0}})

_POSTGRES_IMAGES = frozenset({"postgres", "postgresql", "timescaledb", "timescaledb-ha", "postgis", "pgvector",
                              "cloudnative-pg", "postgresql-repmgr", "spilo", "crunchy-postgres"})
_POSTGRES_RESOURCES = frozenset({"azurerm_postgresql_flexible_server", "azurerm_postgresql_server"})


def check(model, options):
    databases = [c for c in model.components(NodeKind.DATASTORE) if _postgres(c)]
    if not databases:
        return
    database = next((d for d in databases if "pgvector" in _extensions(d)), databases[0])
    for store in model.components(NodeKind.VECTOR_STORE):
        if "resource_type" in store.attrs or _images(store) & {"pgvector"}:
            continue  # a managed service, or PostgreSQL with pgvector already
        if store.data_bytes is not None and store.data_bytes > options["max_data_gb"] * 1e9:
            continue
        has_plugin = ("already has pgvector enabled" if "pgvector" in _extensions(database)
                      else "can hold the vectors with the pgvector extension")
        yield finding(META, store, f"{store.name} runs a separate vector database while {database.name} "
                      f"(PostgreSQL) {has_plugin}{_cost(store)}",
                      f"Store the embeddings in {database.name} with pgvector, unless measurements need a "
                      "dedicated store.",
                      nodes=(database.id,), sources=price_sources(store.provider, "cpu", "memory") if _cost(store) else ())


def _postgres(component) -> bool:
    engine = str(component.attrs.get("engine") or "").lower()
    return (bool(_images(component) & _POSTGRES_IMAGES) or engine.startswith(("postgres", "aurora-postgresql"))
            or component.attrs.get("resource_type") in _POSTGRES_RESOURCES or "pgvector" in _extensions(component))


def _images(component) -> set[str]:
    return {image_base(c.image) for c in component.containers}


def _extensions(component) -> list[str]:
    return [str(e).lower() for e in component.attrs.get("data_extensions") or ()]


def _cost(store) -> str:
    replicas = store.min_replicas
    if not replicas or not (store.cpu or store.memory):
        return ""
    amount = replicas * monthly_usd(store.provider, store.cpu or 0, store.memory or 0)
    return (f": its {replicas} replica{'s' if replicas != 1 else ''} alone reserve about {usd(amount)}/month at "
            f"{price_note(store.provider, 'cpu', 'memory')}, before volumes, backups and the people who run it")
