"""Every replica of a critical component runs in one zone.

What it flags: a long-running component declared `criticality: critical` or `high` whose zones are known and
number exactly one (a service-graph `location.zones`, or a `nodeSelector` or required node affinity on the zone
label), when it is off the synchronous path from the entrypoints: there FI010 already reports it, as an error.
Infrastructure-as-code groups and managed stores have their own rules (FI022, FI015).
Why it matters: replicas protect against a crashed process or a lost node, not against the zone they share. A
zone outage, a zone-wide capacity shortage for the instance type or a network partition takes every replica at
once: the component the team ranked critical goes down with its replicas counted as redundancy.
How to fix: spread the replicas over two or more zones (drop the zone pin, or list several zones, and add a
`topologySpreadConstraints` on `topology.kubernetes.io/zone`); for stateful components, a replica or standby in
another zone.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import LONG_RUNNING
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI040", name="critical-component-in-one-zone", title="Every replica of a critical component in one zone",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)

CRITICAL = frozenset({"critical", "high"})


def check(model, options):
    on_path = _synchronous_path(model)
    for component in model.components(*LONG_RUNNING):
        if component.criticality not in CRITICAL or component.zones is None or len(component.zones) != 1:
            continue
        if component.id in on_path or "resource_type" in component.attrs:
            continue
        count = component.min_replicas
        replicas = f"all {count} of its replicas run" if count and count > 1 else "it runs"
        yield finding(META, component, f"{component.name} ({component.criticality}): {replicas} in zone "
                      f"{component.zones[0]}, so one zone outage stops it", "Spread the replicas over two or more zones.",
                      span=component.points.get("location") or component.at("affinity"))


def _synchronous_path(model) -> set[str]:
    """Components that entrypoints reach through synchronous dependencies (FI010's ground)."""
    adjacency = model.sync_adjacency
    reached: set[str] = set()
    frontier = [entry.id for entry in model.entrypoints() if entry.id in adjacency]
    reached.update(frontier)
    while frontier:
        for target in adjacency[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    return reached
