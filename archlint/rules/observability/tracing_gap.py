"""A traced request path loses its trace at one hop.

What it flags: a synchronous call between two services where one side exports traces and the other shows no
tracing configuration. Datastores, caches and queues are not expected to emit traces themselves.
Why it matters: the trace stops at the untraced hop; the time spent there and everything it calls show up as an
unexplained gap, which is usually exactly where the incident is.
How to fix: instrument the untraced service with OpenTelemetry and propagate the trace context (W3C
`traceparent`) on its calls.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import EdgeKind, NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OB003", name="tracing-gap", title="Traced request path loses its trace at one hop",
    concern=Concern.OBSERVABILITY, severity=Severity.WARNING)

_TRACED_KINDS = frozenset({NodeKind.SERVICE, NodeKind.MODEL_SERVING, NodeKind.WORKER, NodeKind.FUNCTION})


def check(model, options):
    for dep in model.dependencies([EdgeKind.CALLS]):
        if not dep.sync:
            continue
        caller, callee = model.component(dep.source), model.component(dep.target)
        if caller.kind not in _TRACED_KINDS or callee.kind not in _TRACED_KINDS:
            continue
        ours, theirs = caller.attrs.get("telemetry"), callee.attrs.get("telemetry")
        if ours is None or theirs is None or ("tracing" in ours) == ("tracing" in theirs):
            continue
        untraced = callee if "tracing" in ours else caller
        yield finding(META, untraced, f"the call {caller.name} -> {callee.name} is traced on one side only: "
                      f"{untraced.name} shows no tracing", "Instrument it with OpenTelemetry and propagate trace context.",
                      span=dep.span, key=f"{dep.source}>{dep.target}")
