"""Components call each other synchronously in a cycle.

What it flags: a set of components where each waits, directly or through others, on a synchronous call back to
itself (a strongly connected component of the synchronous dependency graph). One finding per cycle.
Why it matters: a slowdown anywhere in the loop feeds back into itself: threads and connections of every member
fill up waiting on each other, timeouts stack, and no member can be started, deployed or degraded independently.
How to fix: break the loop: make one edge asynchronous (events, a queue), move the shared logic into a component
both call, or invert the dependency so data is pushed rather than fetched.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding, route

META = RuleMeta(
    id="FI011", name="synchronous-dependency-cycle", title="Synchronous dependency cycle",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR, walks_graph=True)


def check(model, options):
    adjacency = model.sync_adjacency
    # the condensation the reach rules share already holds the strongly connected components
    for members in sorted((sorted(c) for c in model.sync_dag.members), key=lambda c: c[0]):
        if len(members) == 1 and members[0] not in adjacency[members[0]]:
            continue
        import networkx as nx  # only for a cycle: its route, as NetworkX finds it

        start = members[0]
        cycle = [u for u, _ in nx.find_cycle(model.sync_graph.subgraph(members), source=start)]
        names = route(model.component(n).name for n in cycle + [cycle[0]])
        component = model.component(start)
        edge = next((d for d in model.outgoing(start) if d.target in members and d.sync), None)
        yield finding(META, component, f"synchronous cycle of {len(members)} component(s): {names}",
                      "Make one call of the cycle asynchronous, or move the shared logic out of the loop.",
                      span=edge.span if edge else None, nodes=tuple(members), key=",".join(members))
