"""A managed cache has no replica or no automatic failover.

What it flags: an ElastiCache replication group without `automatic_failover_enabled` or with a single node, an
ElastiCache cluster (a single node group cannot fail over), a Memorystore instance on the BASIC tier, an Azure
Cache for Redis on the Basic SKU.
Why it matters: callers treat the cache as always there; when its only node fails, every cache miss becomes a
database query at once (a thundering herd on the one component that must not fall over), and sessions or rate
limits kept in the cache are lost.
How to fix: run at least one replica with automatic failover (`num_cache_clusters = 2` and
`automatic_failover_enabled = true`, `tier = "STANDARD_HA"`, a Standard or Premium SKU), and make callers survive a
cold cache.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI021", name="cache-without-failover", title="Managed cache has no replica or no automatic failover",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for component in model.components(NodeKind.CACHE):
        failover = component.attrs.get("automatic_failover")
        nodes = component.attrs.get("cache_nodes")
        if failover is False:
            yield finding(META, component, f"cache {component.name} has no automatic failover: losing its primary "
                          "node sends every read to the database", "Add a replica and enable automatic failover.",
                          span=component.at("automatic_failover"))
        elif nodes is not None and nodes < 2:
            yield finding(META, component, f"cache {component.name} runs a single node: nothing to fail over to",
                          "Run at least two nodes with automatic failover.", span=component.at("cache_nodes"))
