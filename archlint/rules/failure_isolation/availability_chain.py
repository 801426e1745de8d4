"""A component's availability target is out of reach of its synchronous dependencies.

What it flags: a component with a declared availability SLO whose synchronous dependencies (direct and
transitive, each counted once however many paths lead to it) multiply to a lower availability than the target.
Dependencies with no declared availability are not counted, and the message says how many there were.
Why it matters: when every dependency must answer, the caller can be no more available than the product of their
availabilities: 99.9% x 99.9% x 99.5% is 99.3%, about 61 hours of downtime a year against a 99.9% promise of 9.
How to fix: make the weakest dependencies more available (replicas, multi-zone), call them asynchronously or with
a fallback (cache, default answer), or set a target the design can meet.
"""

from __future__ import annotations

import heapq
from operator import attrgetter

from archlint.finding import Concern, Severity
from archlint.model.graph import bit_positions
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI012", name="availability-chain-below-slo", title="Synchronous dependencies cannot meet the availability SLO",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)

_HOURS_PER_YEAR = 8766


def check(model, options):
    sync = model.sync_adjacency
    targets = {c.id: c for c in model.components() if c.availability is not None and c.id in sync}
    if not targets:
        return
    dag = model.sync_dag
    # Two bitsets per component, of what it reaches: every node (to count them), and the nodes with a declared
    # availability numbered in id order (to multiply them in that order, as they are listed).
    declared = list(targets.values())  # in id order
    rank = {c.id: bit for bit, c in enumerate(declared)}
    known_seed = lambda index: sum(1 << rank[n] for n in dag.members[index] if n in rank)  # noqa: E731
    found = []
    for (index, every), (_, known) in zip(dag.downward(dag.own_bits), dag.downward(known_seed)):
        for node_id in dag.members[index]:
            if node_id in targets:
                found += _judge(targets[node_id], every, known, rank[node_id], declared)
    yield from sorted(found, key=lambda f: f.node)


def _judge(component, every: int, known_bits: int, own: int, declared: list):
    """The finding for one component, if its dependencies (all it reaches but itself) cannot meet its target."""
    known = [declared[bit] for bit in bit_positions(known_bits) if bit != own]  # nx.descendants leaves it out
    if not known:
        return
    combined = 1.0
    for dependency in known:
        combined *= dependency.availability / 100
    if combined * 100 >= component.availability:
        return
    weakest = heapq.nsmallest(3, known, key=attrgetter("availability"))  # stable: ties stay in id order
    unknown = every.bit_count() - 1 - len(known)
    detail = " x ".join(f"{d.name} {d.availability:g}%" for d in weakest)
    more = f" and {len(known) - len(weakest)} more" if len(known) > len(weakest) else ""
    note = f"; {unknown} dependenc{'y' if unknown == 1 else 'ies'} with no declared availability not counted" if unknown else ""
    downtime = (1 - combined) * _HOURS_PER_YEAR
    yield finding(META, component, f"{component.name} targets {component.availability:g}% but its synchronous "
                  f"dependencies allow at most {combined * 100:.3f}% ({detail}{more}), about {downtime:.0f} h of "
                  f"downtime a year{note}", "Raise the weakest dependencies' availability, call them "
                  "asynchronously or with a fallback, or lower the target.", span=component.at("slo"),
                  nodes=tuple(d.id for d in known))
