"""A workload runs on infrastructure that a hard fact rules out.

What it flags: a workload whose declared tier (`tier:` in the service graph, the `archlint.dev/tier` label or
annotation, or AI for a workload that requests GPUs) is ruled out by a hard placement constraint: it needs an
accelerator but runs on the edge or general cloud compute; its latency SLO is below the round trip from users to
the nearest region (about 50 ms) but it runs in a region; its data must stay in a jurisdiction but it runs on edge
nodes; it is batch work placed on the edge; or it serves requests from a batch-scheduled grid.
Why it matters: no tuning fixes a placement that contradicts the workload: a GPU model on CPUs misses its latency
by an order of magnitude, a 30 ms SLO cannot be met across a 50 ms round trip, and personal data on edge nodes in
every country breaks the residency the company promised.
How to fix: move the workload to the infrastructure `archlint advise` recommends (it lists the constraints and
the score of every candidate), or correct the declared tier, SLO or residency if they are wrong.
"""

from __future__ import annotations

from archlint.advise import advise
from archlint.advise.placement import LABELS
from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="PL001", name="placement-constraint-violated", title="Workload runs where a hard constraint rules it out",
    concern=Concern.PLACEMENT, severity=Severity.WARNING)


def check(model, options):
    advice = advise(model)
    for placement in advice.declared():
        if not placement.differs:
            continue
        reason = placement.candidate(placement.current).excluded
        if not reason:
            continue
        component = placement.component
        target = LABELS[placement.recommended.tier]
        yield finding(META, component, f"{component.name} runs on {LABELS[placement.current]}, which a hard "
                      f"constraint rules out: {reason}; recommended: {target} ({advice.gain(component.id).text()})",
                      f"Move {component.name} to {target}, or correct the declared tier, SLO or residency.",
                      span=component.at("tier"), key=placement.current.value)
