"""A component without redundancy sits on the synchronous path of requests from an entrypoint.

What it flags: a component that entrypoints (Ingresses, exposed Services, gateways, nodes declared
`entrypoint: true`) reach through synchronous calls, reads, writes or routes, and that is known to have no
redundancy: one replica and no autoscaler, every replica in a single zone, or a managed store declared without
high availability.
Why it matters: a synchronous dependency that fails makes its caller fail, so every request entering there needs
this component up. One pod crash, node loss or zone outage becomes a user-facing outage of every entrypoint
listed.
How to fix: give the component redundancy (two or more replicas across zones, a multi-AZ managed store), or make
the dependency asynchronous or optional (queue, cache with fallback) so that callers survive its loss.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI010", name="single-point-of-failure", title="Non-redundant component on the synchronous path from entrypoints",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)


def check(model, options):
    import networkx as nx

    graph = model.sync_graph
    entrypoints = [e.id for e in model.entrypoints() if e.id in graph]
    if not entrypoints:
        return
    reached: dict[str, list[str]] = {}
    for entry in entrypoints:
        for node in nx.descendants(graph, entry) | {entry}:
            reached.setdefault(node, []).append(entry)
    for node_id in sorted(reached):
        component = model.component(node_id)
        weakness = _weakness(component)
        if not weakness:
            continue
        entries = sorted(reached[node_id])
        path = min((nx.shortest_path(graph, e, node_id) for e in entries), key=lambda p: (len(p), p))
        names = " -> ".join(model.component(n).name for n in path)
        share = f"{len(entries)} of {len(entrypoints)} entrypoint{'s' if len(entrypoints) != 1 else ''}"
        yield finding(META, component, f"{component.name} {weakness} and {share} depend on it synchronously "
                      f"(path: {names})", "Add replicas across zones, or make callers survive its loss.",
                      span=component.replicas_span or component.span, related=tuple(entries))


def _weakness(component) -> str | None:
    if "high_availability" in component.attrs:  # a managed store: its standby, not a replica count, is redundancy
        return None if component.attrs["high_availability"] else "has no standby in another zone"
    single_replica = component.autoscaling is None and component.replicas == 1
    single_zone = component.zones is not None and len(component.zones) == 1
    if single_replica and single_zone:
        return f"runs a single replica in the single zone {component.zones[0]}"
    if single_replica:
        return "runs a single replica"
    if single_zone:
        return f"runs every replica in the single zone {component.zones[0]}"
    return None
