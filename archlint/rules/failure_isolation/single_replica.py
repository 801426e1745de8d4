"""A workload that serves traffic runs a single replica and nothing scales it.

What it flags: a workload selected by a Service, routed to by an Ingress or declared as serving (service, gateway,
datastore, cache, queue, model serving) that runs fewer replicas than `min_replicas` (default 2) and has no
autoscaler.
Why it matters: every restart, node drain, eviction or crash takes the whole capability down, and a rolling update
has nothing to fail over to. With one replica a routine node upgrade is an outage.
How to fix: run at least two replicas (`spec.replicas: 2`) spread across nodes or zones, or attach a
HorizontalPodAutoscaler whose `minReplicas` is at least 2.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import LONG_RUNNING
from archlint.rules.base import RuleMeta, finding
from archlint.rules.facts import replica_text, serves_traffic

META = RuleMeta(
    id="FI001", name="single-replica-without-autoscaler", title="Serving workload runs a single replica and nothing scales it",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR, options={"min_replicas": 2},
    options_schema={"min_replicas": {"type": "integer", "minimum": 2}})


def check(model, options):
    least = options["min_replicas"]
    for component in model.components(*LONG_RUNNING):  # replicas 0 is a workload switched off: not flagged
        if not component.replicas or component.autoscaling is not None or component.replicas >= least:
            continue
        if not serves_traffic(component):
            continue
        yield finding(META, component, f"{component.name} serves traffic with {replica_text(component)} and no autoscaler",
                      f"Set replicas to at least {least} or add an autoscaler with minReplicas >= {least}.",
                      span=component.replicas_span)
