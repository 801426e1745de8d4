"""A synchronous dependency declares no timeout.

What it flags: a synchronous call, read or write declared in the service graph without a `timeout`.
Dependencies archlint only inferred (from an environment variable) are not flagged: their timeout is unknown,
not missing.
Why it matters: without a timeout a slow dependency holds the caller's threads, connections and memory until
they run out; the caller then fails for every request, including those that never needed the slow dependency.
Most HTTP clients wait forever by default.
How to fix: set a timeout below the caller's own latency budget on the client, and declare it
(`timeout: 800ms`) so that archlint can check the chain.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import TRAFFIC_EDGES, EdgeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI015", name="synchronous-call-without-timeout", title="Synchronous dependency declares no timeout",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for dep in model.dependencies(TRAFFIC_EDGES - {EdgeKind.ROUTES, EdgeKind.DEPENDS_ON}):
        if dep.sync and dep.origin == "declared" and dep.timeout_ms is None:
            caller, callee = model.component(dep.source), model.component(dep.target)
            yield finding(META, caller, f"{caller.name} waits on {callee.name} with no timeout declared",
                          "Set a client timeout below the caller's latency budget and declare it.", span=dep.span,
                          key=dep.target, related=(dep.target,))
