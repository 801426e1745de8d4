"""An edge component answers users by reading synchronously from a store far away, with no cache near it.

What it flags: a service, function or model server of the edge tier that serves users (user-facing, an
entrypoint, or called by a client) and reads a datastore, cache or vector store in another region or provider,
directly or through synchronous calls, with no cache near it (in the edge tier, or in its own region) on that
path. One finding per first hop, for its slowest path; the other stores reached through it are named. The message
gives the path, the hops that leave the region, how many times per request each is crossed (the declared `rate`
of each hop over its caller's `traffic.rps`, else once), the milliseconds that adds and their share of the edge
component's latency SLO. Writes are not followed: keeping writes central is the sound design. Not judged: an edge
component declared in the same provider and region as the first component it calls (a distant store behind that
is the placement of the cloud side, DG002 and DG003), and gateways and CDNs, whose caching the model does not say.
Why it matters: an edge deployment exists to answer near the user. Every synchronous read that goes back to a
central region pays a long round trip (30 to 80 ms or more) per request, so the edge answers no faster than the
central service would, and fails when the link does.
How to fix: serve reads at the edge from a cache or a read replica that the central store refreshes (eventual
consistency is usually right for user-facing reads), or move the read off the request path (prefetch, push on
change). Keep writes going to the central store.
"""

from __future__ import annotations

from collections import deque

from archlint.finding import Concern, Severity
from archlint.model import EdgeKind, NodeKind, Tier
from archlint.model.locality import REMOTE, classify, round_trip_ms
from archlint.rules.base import RuleMeta, finding, listing, route
from archlint.rules.data_gravity import figures as fig

META = RuleMeta(
    id="DG004", name="edge-reads-distant-store", title="Edge component reads a distant store synchronously",
    concern=Concern.DATA_GRAVITY, severity=Severity.WARNING, options=dict(fig.LATENCY_OPTIONS),
    options_schema=dict(fig.LATENCY_SCHEMA))

#: Edge components that answer with their own logic. Gateways and CDNs are left out: whether they cache is not
#: something the model says, and a CDN is a cache.
_SERVING = frozenset({NodeKind.SERVICE, NodeKind.FUNCTION, NodeKind.MODEL_SERVING})
#: Synchronous edges a read travels along; writes, publishes and consumes are not reads on the request path.
_FOLLOWED = frozenset({EdgeKind.CALLS, EdgeKind.ROUTES, EdgeKind.READS})


def check(model, options):
    rtt = fig.table(options)
    reads: dict[str, list] = {}  # synchronous read edges by caller, built once for every edge component's search
    for dep in model.dependencies(_FOLLOWED):
        if dep.sync and dep.source != dep.target:
            reads.setdefault(dep.source, []).append(dep)
    for edge in model.components():
        if edge.tier is not Tier.EDGE or edge.kind not in _SERVING or not _serves_users(model, edge):
            continue
        by_hop: dict[str, list] = {}
        for path in _paths_to_stores(model, edge, reads):
            store = model.component(path[-1].target)
            if classify(edge, store, tiers=False) in REMOTE and not _beside(edge, model.component(path[0].target)):
                by_hop.setdefault(path[0].target, []).append((*_added(model, path, edge, store, rtt), path, store))
        for first in sorted(by_hop):
            # The slowest path through this hop; on a tie a store before a cache, the shorter path, the first id.
            added, exact, hops, path, store = min(by_hop[first], key=lambda p: (
                -p[0], p[4].kind is NodeKind.CACHE, len(p[3]), p[4].id))
            others = sorted({s.name for *_, s in by_hop[first]} - {store.name})
            yield _finding(model, edge, path, store, added, exact, hops, others)


def _serves_users(model, component) -> bool:
    if component.user_facing or component.entrypoint:
        return True
    return any(dep.sync and model.component(dep.source).kind is NodeKind.CLIENT for dep in model.incoming(component.id))


def _paths_to_stores(model, start, reads):
    """Shortest synchronous read paths from `start` to each store; a path through a nearby cache is served by it."""
    queue, seen = deque([(start.id, [])]), {start.id}
    while queue:
        node, path = queue.popleft()
        outgoing = reads.get(node, ())
        if any(_near_cache(start, model.component(d.target)) for d in outgoing):
            continue  # cache-aside next to the edge: the reads below it are misses, not the request path
        for dep in outgoing:
            target = model.component(dep.target)
            if target.kind in fig.STORES:
                yield [*path, dep]
            elif dep.target not in seen:
                seen.add(dep.target)
                queue.append((dep.target, [*path, dep]))


def _near_cache(edge, component) -> bool:
    """A cache in the edge tier, or in the edge component's own provider and region."""
    return component.kind is NodeKind.CACHE and (component.tier is Tier.EDGE or _beside(edge, component))


def _beside(a, b) -> bool:
    """Declared in one provider and region. An edge component beside the cloud it calls is not an edge far from its
    data: a distant store behind that cloud is the cloud's placement (DG002, DG003), not the edge's."""
    here, there = (a.provider, a.region), (b.provider, b.region)
    return all(here) and all(there) and [v.lower() for v in here] == [v.lower() for v in there]


def _added(model, path, edge, store, rtt):
    """Milliseconds per request spent on hops that leave a region, and whether every call rate on the way was declared.

    Each hop is called `rate / caller's rps` times per request of its caller; a hop without both counts once."""
    added, exact, per_request, hops = 0.0, True, 1.0, []
    for dep in path:
        caller, callee = model.component(dep.source), model.component(dep.target)
        if dep.rate_rps is not None and caller.rps:
            per_request *= dep.rate_rps / caller.rps
        else:
            exact = False
        where = classify(caller, callee, tiers=False)
        if where in REMOTE:
            trip = round_trip_ms(where, caller, callee, rtt)
            added += per_request * trip
            hops.append(f"{caller.name} -> {callee.name} {fig.CROSSES[where]} "
                        f"({per_request:.2f} x {fig.ms(trip)} round trip)")
    if not hops:  # the ends are far apart but no single hop says where: one round trip between them
        where = classify(edge, store, tiers=False)
        added, exact = round_trip_ms(where, edge, store, rtt), False
        hops.append(f"{edge.name} -> {store.name} {fig.CROSSES[where]} (1.00 x {fig.ms(added)} round trip)")
    return added, exact, hops


def _finding(model, edge, path, store, added, exact, hops, others):
    through = route([edge.name, *(model.component(d.target).name for d in path)])
    also = f"; the same hop also reaches {listing(others)}" if others else ""
    steps = route(hops, arrow="; ")
    amount = fig.ms(added) if exact else f"{fig.ms(added)} (a hop without a declared rate counted once)"
    return finding(META, edge, f"{edge.name} (edge tier, {fig.place(edge)}) reads {store.name} in {fig.place(store)}"
                   f"{fig.span_of_regions(edge, store)} synchronously through {through} with no cache near "
                   f"{edge.name}: {steps}; {amount} added per request, {fig.slo_text(added, edge)}{also}",
                   f"Serve reads at the edge from a cache or read replica next to {edge.name}; keep writes central.",
                   span=path[0].span, key=path[0].target, nodes=tuple(d.target for d in path))
