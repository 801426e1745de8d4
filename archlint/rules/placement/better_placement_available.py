"""Another infrastructure model fits a workload clearly better than the one it runs on.

What it flags: a workload whose declared tier is allowed by every hard constraint but scores at least `min_lead`
points (default 1.0) below the tier `archlint advise` recommends, when the placement criteria are weighed with the
configured weights (`placement.weights`): latency fit, data gravity, cost, elasticity, accelerator fit, privacy,
resilience and throughput. The message names the criteria that decide and the expected gain (milliseconds, data
moved, money) where the files give the figures.
Why it matters: each model has a workload it is built for: batch jobs on pooled, preemptible grid capacity cost a
fraction of always-on instances; an edge function that calls the origin on every request adds a hop instead of
removing one; a plain service on GPU nodes pays for accelerators it never uses.
How to fix: move it where the advice says, or cache or co-locate what makes the current place slow or expensive
(for an edge component, cache the origin's answers at the edge). If the weights do not reflect what the team
values, change them in `.archlint.yaml` (`placement: {weights: {cost: 3}}`) rather than ignoring the advice.
"""

from __future__ import annotations

from archlint.advise import advise
from archlint.advise.placement import LABELS
from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="PL002", name="better-placement-available", title="Another infrastructure model fits the workload better",
    concern=Concern.PLACEMENT, severity=Severity.INFO, options={"min_lead": 1.0},
    options_schema={"min_lead": {"type": "number", "minimum": 0}})


def check(model, options):
    advice = advise(model)
    for placement in advice.declared():
        if not placement.differs or placement.candidate(placement.current).excluded:
            continue
        now = placement.candidate(placement.current)
        best = placement.recommended
        lead = round(best.total - now.total, 2)
        if lead < options["min_lead"]:
            continue
        gaps = sorted(((b.points - n.points, b.criterion) for b, n in zip(best.contributions, now.contributions)
                       if b.points > n.points), key=lambda g: (-g[0], g[1]))
        why = ", ".join(f"{name.replace('_', ' ')} +{gap:g}" for gap, name in gaps[:3])
        component = placement.component
        target = LABELS[best.tier]
        tip = " or cache the origin's answers at the edge" if now.tier.value == "edge" else ""
        yield finding(META, component, f"{component.name} runs on {LABELS[now.tier]} ({now.total:g} points); "
                      f"{target} scores {best.total:g} ({why}); expected gain: {advice.gain(component.id).text()}",
                      f"Move {component.name} to {target}{tip}; `archlint advise` shows every criterion.",
                      span=component.at("tier"), key=best.tier.value)
