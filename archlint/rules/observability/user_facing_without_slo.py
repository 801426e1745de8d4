"""A user-facing service declares no service level objective.

What it flags: a component that users reach (an entrypoint, or exposed through an Ingress, a LoadBalancer or
NodePort Service, or declared `user_facing`) with neither an availability nor a latency objective, in the service
graph (`slo:`) or as `archlint.dev/availability` / `archlint.dev/latency` annotations. Gateways and clients are
left out (the services behind them carry the objectives), and so are services known only from docker-compose,
whose published ports usually serve a development machine.
Why it matters: without an objective nobody can tell whether the service is reliable enough, alerts fire on causes
instead of on user pain, and archlint cannot check whether its dependencies can meet it (FI012).
How to fix: declare what users need (`slo: {availability: 99.9, latency: 300ms}`), measure it, and alert on the
error budget.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OB001", name="user-facing-service-without-slo", title="User-facing service declares no SLO",
    concern=Concern.OBSERVABILITY, severity=Severity.INFO)

_SKIPPED = frozenset({NodeKind.GATEWAY, NodeKind.CLIENT, NodeKind.EXTERNAL, NodeKind.AUTOSCALER,
                      NodeKind.DISRUPTION_BUDGET, NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE})


def check(model, options):
    for component in model.components():
        if component.kind in _SKIPPED or not (component.user_facing or component.entrypoint):
            continue
        if component.source == "compose":
            continue
        if component.availability is None and component.latency_ms is None:
            yield finding(META, component, f"{component.name} serves users but declares no availability or latency "
                          "objective", "Declare an SLO (slo: {availability: 99.9, latency: 300ms}) and alert on it.")
