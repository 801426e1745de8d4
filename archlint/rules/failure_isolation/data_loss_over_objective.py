"""A disruption can lose more of a journey's data than the resilience policy allows.

What it flags: a journey whose stores, under a disruption, can lose more recent writes than the recovery point
objective of its policy in `.archlint.yaml`: an asynchronous replica loses its lag, a point-in-time restore the
last minutes before it, a daily snapshot up to a day, data on `emptyDir` or on one machine's disk, or with no copy
outside the zone or region that is lost, everything. Figures come from the providers' documentation; a mechanism
without a documented figure is never judged. One finding per store and kind of disruption, at the line that
decides it, with the cheapest change that meets the objective and its monthly cost.
Why it matters: lost orders, payments or messages cannot be replayed from a dashboard. Recovery point objectives
are the part of resilience that no amount of later effort can make up for.
How to fix: replicate synchronously across the failure domain (Multi-AZ, REGIONAL, zone-redundant high
availability), keep point-in-time recovery on, copy backups or replicate to another region, or move the data off
ephemeral and single-machine storage.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding
from archlint.rules.failure_isolation.objectives import breaches, describe

META = RuleMeta(
    id="FI051", name="data-loss-over-objective", title="A disruption can lose more data than its policy allows",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)


def check(model, options):
    if not model.resilience.policies:
        return
    for breach in breaches(model, "rpo"):
        message, fix, span = describe(model, breach, "rpo")
        component = model.component(breach.component)
        yield finding(META, component, message, fix, span=span, key=f"{breach.kind}:rpo")
