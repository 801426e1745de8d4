"""A critical component waits synchronously on a less critical one.

What it flags: a synchronous dependency from a component declared `criticality: critical` (or `high`) to one
declared less critical (`medium`, `low`). Only declared criticalities are compared.
Why it matters: the caller is only as available as its synchronous dependencies; a component that its owners run
to a lower standard (fewer replicas, weaker on-call, riskier releases) silently sets the availability of the
critical one.
How to fix: call it asynchronously or with a fallback and a short timeout so that the critical path survives its
failure, or raise its criticality (and its operational standard) to the caller's.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import TRAFFIC_EDGES
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI014", name="critical-depends-on-less-critical", title="Critical component waits on a less critical one",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)

RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def check(model, options):
    for dep in model.dependencies(TRAFFIC_EDGES):
        if not dep.sync:
            continue
        caller, callee = model.component(dep.source), model.component(dep.target)
        if caller.criticality not in RANK or callee.criticality not in RANK:
            continue
        if RANK[caller.criticality] >= 2 and RANK[callee.criticality] < RANK[caller.criticality]:
            yield finding(META, caller, f"{caller.name} ({caller.criticality}) calls {callee.name} "
                          f"({callee.criticality}) synchronously: the less critical component sets its availability",
                          "Call it asynchronously or with a fallback, or raise its criticality.", span=dep.span,
                          key=dep.target, related=(dep.target,))
