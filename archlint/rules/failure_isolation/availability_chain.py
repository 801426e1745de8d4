"""A component's availability target is out of reach of its synchronous dependencies.

What it flags: a component with a declared availability SLO whose synchronous dependencies (direct and
transitive) multiply to a lower availability than the target. Dependencies with no declared availability are not
counted, and the message says how many there were.
Why it matters: when every dependency must answer, the caller can be no more available than the product of their
availabilities: 99.9% x 99.9% x 99.5% is 99.3%, about 61 hours of downtime a year against a 99.9% promise of 9.
How to fix: make the weakest dependencies more available (replicas, multi-zone), call them asynchronously or with
a fallback (cache, default answer), or set a target the design can meet.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI012", name="availability-chain-below-slo", title="Synchronous dependencies cannot meet the availability SLO",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)

_HOURS_PER_YEAR = 8766


def check(model, options):
    import networkx as nx

    graph = model.sync_graph
    for component in model.components():
        if component.availability is None or component.id not in graph:
            continue
        dependencies = [model.component(n) for n in sorted(nx.descendants(graph, component.id))]
        known = [d for d in dependencies if d.availability is not None]
        if not known:
            continue
        combined = 1.0
        for dependency in known:
            combined *= dependency.availability / 100
        if combined * 100 >= component.availability:
            continue
        weakest = sorted(known, key=lambda d: (d.availability, d.id))[:3]
        unknown = len(dependencies) - len(known)
        detail = " x ".join(f"{d.name} {d.availability:g}%" for d in weakest)
        more = f" and {len(known) - len(weakest)} more" if len(known) > len(weakest) else ""
        note = f"; {unknown} dependenc{'y' if unknown == 1 else 'ies'} with no declared availability not counted" if unknown else ""
        downtime = (1 - combined) * _HOURS_PER_YEAR
        yield finding(META, component, f"{component.name} targets {component.availability:g}% but its synchronous "
                      f"dependencies allow at most {combined * 100:.3f}% ({detail}{more}), about {downtime:.0f} h of "
                      f"downtime a year{note}", "Raise the weakest dependencies' availability, call them "
                      "asynchronously or with a fallback, or lower the target.", span=component.at("slo"),
                      related=tuple(d.id for d in known))
