"""A service shared by several callers is called without a circuit breaker.

What it flags: a synchronous call to a service, model server, function or external API that two or more
components call synchronously, declared without `circuit_breaker: true`, or routed by a service mesh that
breaks no circuit (an Istio route to a host whose DestinationRule, if any, has neither `outlierDetection` nor
`connectionPool` limits). Calls archlint only inferred, with no mesh route, are not judged. Calls to datastores, caches and queues
are left out: their clients usually manage pools and failover instead.
Why it matters: when the shared callee degrades, every caller keeps sending it requests and waiting on them, so
the failure spreads to all of them; a breaker fails fast, sheds load from the callee and lets callers use their
fallback.
How to fix: wrap the client in a circuit breaker (resilience4j, Polly, Envoy outlier detection, an Istio
DestinationRule) and declare `circuit_breaker: true`.
"""

from __future__ import annotations

from collections import defaultdict

from archlint.finding import Concern, Severity
from archlint.model import EdgeKind, NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI018", name="shared-callee-without-circuit-breaker",
    title="Shared service called without a circuit breaker", concern=Concern.FAILURE_ISOLATION,
    severity=Severity.INFO)

_CALLEES = frozenset({NodeKind.SERVICE, NodeKind.MODEL_SERVING, NodeKind.FUNCTION, NodeKind.EXTERNAL})


def check(model, options):
    callers: dict[str, set[str]] = defaultdict(set)
    calls = [d for d in model.dependencies([EdgeKind.CALLS]) if d.sync]
    for dep in calls:
        callers[dep.target].add(dep.source)
    for dep in calls:
        callee = model.component(dep.target)
        if callee.kind not in _CALLEES or len(callers[dep.target]) < 2:
            continue
        meshed = dep.resilience is not None and dep.circuit_breaker is False
        if (dep.origin == "declared" and dep.circuit_breaker is not True) or meshed:
            caller = model.component(dep.source)
            how = (" (the mesh routes it with no outlier detection)" if meshed else "")
            fix = ("Add outlierDetection to the callee's DestinationRule (or the mesh's equivalent)." if meshed
                   else "Wrap the client in a circuit breaker and declare circuit_breaker: true.")
            yield finding(META, caller, f"{caller.name} calls {callee.name}, which {len(callers[dep.target])} "
                          f"components share, without a circuit breaker{how}", fix, span=dep.span,
                          key=dep.target, nodes=(dep.target,))
