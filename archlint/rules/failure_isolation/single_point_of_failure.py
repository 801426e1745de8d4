"""A component without redundancy sits on the synchronous path of requests from an entrypoint.

What it flags: a component that entrypoints (Ingresses, exposed Services, gateways, nodes declared
`entrypoint: true`) reach through synchronous calls, reads, writes or routes, and that is known to have no
redundancy: fewer than two pods serve its traffic (counted behind its Services, summed over every workload a
Service selects; an autoscaler's minimum counts, so an HPA from 1 to 10 is one pod), every replica in a single
zone, or a managed store declared without high availability. The message counts the entrypoints that reach it
among those of its system and variant, and shows the shortest path from one (the first by component ids among
equally short ones). A component reached over several paths is flagged all the same:
a caller needs every one of its synchronous dependencies, they are not alternatives to each other, so dominators
or articulation points (which assume that any one path is enough) would hide real single points of failure.
Where FI001 flags the same component, this finding carries both facts and FI001's is folded into it (as a related
location), so that one weakness is never two errors.
Why it matters: a synchronous dependency that fails makes its caller fail, so every request entering there needs
this component up. One pod crash, node loss or zone outage becomes a user-facing outage of every entrypoint
listed.
How to fix: give the component redundancy (two or more replicas across zones, a multi-AZ managed store), or make
the dependency asynchronous or optional (queue, cache with fallback) so that callers survive its loss.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model.graph import bit_positions
from archlint.rules import facts
from archlint.rules.base import RuleMeta, finding, route

META = RuleMeta(
    id="FI010", name="single-point-of-failure", title="Non-redundant component on the synchronous path from entrypoints",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR, absorbs=("FI001",))
_STATEFUL_FIX = ("Replicate it (an operator, or a StatefulSet whose members replicate each other) or use a managed "
                 "service, or make callers survive its loss: a second independent replica would split the data.")


def check(model, options):
    sync = model.sync_adjacency
    entrypoints = [e.id for e in model.entrypoints() if e.id in sync]
    if not entrypoints:
        return
    dag = model.sync_dag
    seeds = [0] * len(dag.members)
    for bit, entry in enumerate(entrypoints):
        seeds[dag.component[entry]] |= 1 << bit
    weak = []
    for index, bits in dag.upward(seeds.__getitem__):  # bits: the entrypoints that reach the component, its own included
        if bits:
            weak += [(n, bits, w) for n in dag.members[index] if (w := _weakness(model.component(n)))]
    if not weak:
        return
    parent = _shortest_paths(sync, entrypoints)
    scopes: dict[tuple, int] = {}  # (system, variant) -> its entrypoints: the others are another deployable's
    for entry in entrypoints:
        scopes[_scope(model.component(entry))] = scopes.get(_scope(model.component(entry)), 0) + 1
    for node_id, bits, weakness in sorted(weak):
        component = model.component(node_id)
        entries = [entrypoints[b] for b in bit_positions(bits)]
        total = max(scopes.get(_scope(component), 0), len(entries))
        path = [node_id]
        while parent[path[-1]] is not None:
            path.append(parent[path[-1]])
        names = route(model.component(n).name for n in reversed(path))
        where = f"path: {names}" if len(path) > 1 else "it is an entrypoint itself"
        share = f"{len(entries)} of {total} entrypoint{'s' if total != 1 else ''}"
        verb = "depends" if len(entries) == 1 else "depend"
        fix = (_STATEFUL_FIX if component.kind in facts.STATEFUL_KINDS else
               "Add replicas across zones (or raise the autoscaler's minimum), or make callers survive its loss.")
        yield finding(META, component, f"{component.name} {weakness} and {share} {verb} on it synchronously "
                      f"({where})", fix, span=facts.redundancy_span(component), nodes=tuple(entries))


def _scope(component) -> tuple:
    """The deployable a component belongs to: entrypoints of other systems and variants never reach it."""
    return component.system, component.variant


def _shortest_paths(adjacency: dict[str, list[str]], entrypoints: list[str]) -> dict[str, str | None]:
    """Parent of each reached node on its shortest path from any entrypoint, the first in id order among equals.

    One breadth-first search from all the entrypoints at once. Nodes of a layer are ranked by their path (their
    parent's rank, then their id), so following the parents gives the smallest path by (length, ids)."""
    parent: dict[str, str | None] = dict.fromkeys(entrypoints)
    layer = entrypoints  # sorted: the entrypoints' ranks
    while layer:
        found: dict[str, str] = {}
        for node in layer:
            for target in adjacency[node]:
                if target not in parent and target not in found:
                    found[target] = node  # the first caller in rank order is the best parent
        rank = {node: r for r, node in enumerate(layer)}
        layer = sorted(found, key=lambda n: (rank[found[n]], n))
        parent.update(found)
    return parent


def _weakness(component) -> str | None:
    if "high_availability" in component.attrs:  # a managed store: its standby, not a replica count, is redundancy
        return None if component.attrs["high_availability"] else "has no standby in another zone"
    if component.attrs.get("knative"):  # the activator holds requests while a pod starts: a cold start, no failure
        return None
    pods = facts.redundancy(component)
    single = pods is not None and pods < 2 and (pods >= 1 or component.autoscaling is not None)
    single_zone = component.zones is not None and len(component.zones) == 1
    scaled = component.autoscaling is not None and component.autoscaling.min_replicas is not None
    if single:
        what = f"can run on {facts.redundancy_text(component)}" if scaled else "runs a single replica"
        if pods == 1 and component.attrs.get("shares_service"):
            what = f"is the only pod behind Service {', '.join(component.attrs['shares_service'])}"
        return what + (f" in the single zone {component.zones[0]}" if single_zone else "")
    if single_zone:
        return f"runs every replica in the single zone {component.zones[0]}"
    return None
