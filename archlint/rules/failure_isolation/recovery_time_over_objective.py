"""A disruption keeps a user journey down longer than the resilience policy allows.

What it flags: a journey (declared in the service graph, or derived from an entrypoint) whose estimated recovery
time under a disruption (a zone, a region, a node or a managed store's primary lost, ...) exceeds the recovery time
objective of its policy in `.archlint.yaml` (`resilience.policies`). The estimate comes from the mechanism the
files show (a Multi-AZ failover, pods rescheduled after eviction, a point-in-time restore, nothing at all) and the
providers' documented figures (`archlint failure-modes --figures`); a range counts by its upper bound, and a
mechanism without a documented figure is never judged. One finding per component and kind of disruption, at the
line that decides it (the database without Multi-AZ, the zone pin, the replica count), naming the journeys, the
estimate and its source, the policy, and the cheapest change that meets it with its monthly cost.
Why it matters: a policy of recovery objectives is a promise to the people using the journey. A single-zone
store turns an ordinary zone outage, which a multi-zone design rides through in seconds, into hours of outage
decided by a restore done by hand.
How to fix: make the component survive the disruption (a standby or replica in another zone or region, replicas
spread over zones), make the journey survive without it (an asynchronous path, a cache that serves reads), or
agree a looser objective for the journey.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding
from archlint.rules.failure_isolation.objectives import breaches, describe

META = RuleMeta(
    id="FI050", name="recovery-time-over-objective", title="A disruption keeps a journey down longer than its policy allows",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)


def check(model, options):
    if not model.resilience.policies:
        return
    for breach in breaches(model, "rto"):
        message, fix, span = describe(model, breach, "rto")
        component = model.component(breach.component)
        yield finding(META, component, message, fix, span=span, key=f"{breach.kind}:rto",
                      nodes=tuple(sorted({n for c in breach.cells for n in c.through} - {component.id})))
