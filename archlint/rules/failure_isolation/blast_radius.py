"""A component whose failure reaches most of the system's entrypoints.

What it flags: a component on which at least `max_share` (default 50%) of the entrypoints and user-facing
services depend synchronously, directly or through others, when the system has at least `min_dependents`
(default 3) of them, counted within its system and variant. The message gives the share and the paths.
Why it matters: redundancy protects against a crashed replica, not against a bad deploy, a schema migration, a
poisoned cache entry or an exhausted connection pool. Whatever goes wrong in this component goes wrong for most
users at once: it is the place where change needs the most care (canaries, feature flags) and isolation pays
most (bulkheads, per-tenant cells, graceful degradation).
How to fix: make callers degrade instead of fail (fallbacks, cached answers, asynchronous paths), split the
component by caller or by tenant so that one failure reaches a fraction of the users, and roll out changes to it
progressively.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model.graph import bit_positions
from archlint.rules.base import RuleMeta, finding, listing

META = RuleMeta(
    id="FI013", name="large-blast-radius", title="Failure of one component reaches most entrypoints",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.INFO, options={"max_share": 0.5, "min_dependents": 3},
    options_schema={"max_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "min_dependents": {"type": "integer", "minimum": 1}})


def check(model, options):
    sync = model.sync_adjacency
    roots = sorted({c.id for c in model.components() if (c.entrypoint or c.user_facing) and c.id in sync}
                   | {c.id for c in model.entrypoints() if c.id in sync})
    per_scope: dict[tuple, int] = {}  # each system and variant is judged on its own entrypoints
    for root in roots:
        per_scope[_scope(model.component(root))] = per_scope.get(_scope(model.component(root)), 0) + 1
    if not any(count >= options["min_dependents"] for count in per_scope.values()):
        return
    dag = model.sync_dag
    bit_of = {root: 1 << bit for bit, root in enumerate(roots)}
    seeds = [0] * len(dag.members)
    for root, bit in bit_of.items():
        seeds[dag.component[root]] |= bit
    flagged = []
    for index, bits in dag.upward(seeds.__getitem__):  # bits: the roots that reach the component (its own included)
        for node_id in dag.members[index]:
            total = per_scope.get(_scope(model.component(node_id)), 0)
            if total < options["min_dependents"]:
                continue
            dependents = bits & ~bit_of.get(node_id, 0)  # reaching a node takes a call: never the node itself
            if dependents and dependents.bit_count() / total >= options["max_share"]:
                flagged.append((node_id, dependents, total))
    for node_id, bits, total in sorted(flagged):
        dependents = [roots[b] for b in bit_positions(bits)]
        share = len(dependents) / total
        component = model.component(node_id)
        names = listing(model.component(r).name for r in dependents)
        yield finding(META, component, f"{len(dependents)} of {total} entrypoints and user-facing services "
                      f"({share:.0%}) fail when {component.name} fails: {names}",
                      "Give callers a fallback or an asynchronous path, and roll out changes to it progressively.",
                      nodes=tuple(dependents))


def _scope(component) -> tuple:
    """The deployable a component belongs to (its system and variant): another one's entrypoints never reach it."""
    return component.system, component.variant
