"""A fixed replica count serves traffic declared bursty.

What it flags: a service, worker, gateway or model server with a fixed number of replicas (no autoscaler, or one
whose minimum equals its maximum) whose declared traffic has a peak-to-average ratio (`traffic.peak_to_average`
in the service graph) of at least `min_peak_to_average` (default 3), and more replicas than `min_replicas`
(default 2, the floor kept for redundancy). The money at stake assumes the count was sized for the peak and that
capacity following the traffic would run, on average, replicas / peak-to-average, never under `min_replicas`:
(replicas - that) x the per-replica requests x the catalog's unit rates x 730.5 hours. It is an upper bound: real
autoscalers lag and keep headroom.
Why it matters: capacity sized for the peak idles for most of the day: at a ratio of 4, three quarters of it on
average. "Prioritize elasticity and automation to match variable demand with available budget": the
fixed count either pays for the peak around the clock or, sized lower, drops requests at the peak.
How to fix: add an autoscaler (a HorizontalPodAutoscaler on CPU or on requests per second, KEDA on queue depth)
with `minReplicas` at the redundancy floor and `maxReplicas` at the peak; schedule the known peaks if they are
regular.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding
from archlint.rules.capacity import monthly_usd, price_note, price_sources, usd

META = RuleMeta(
    id="OP024", name="static-capacity-for-bursty-traffic", title="Fixed replica count serves bursty traffic",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING, options={"min_peak_to_average": 3, "min_replicas": 2},
    options_schema={"min_peak_to_average": {"type": "number", "minimum": 1},
                    "min_replicas": {"type": "integer", "minimum": 1}})

_JUDGED = (NodeKind.SERVICE, NodeKind.WORKER, NodeKind.GATEWAY, NodeKind.MODEL_SERVING)


def check(model, options):
    for component in model.components(*_JUDGED):
        ratio = component.attrs.get("peak_to_average")
        scaling = component.autoscaling
        if not isinstance(ratio, (int, float)) or ratio < options["min_peak_to_average"]:
            continue
        if scaling is not None and scaling.min_replicas != scaling.max_replicas:
            continue
        replicas = scaling.min_replicas if scaling is not None else component.replicas
        if not replicas or replicas <= options["min_replicas"]:
            continue
        average = max(replicas / ratio, options["min_replicas"])
        span = scaling.span if scaling is not None else component.replicas_span or component.span
        idle, sources = _cost(component, replicas - average)
        yield finding(META, component, f"{component.name} runs a fixed {replicas} replicas for traffic whose peak is "
                      f"{ratio:g}x its average: on average about {round(average, 1):g} would do{idle}",
                      "Add an autoscaler with minReplicas at the redundancy floor and maxReplicas at the peak.", span=span,
                      sources=sources)


def _cost(component, idle: float) -> tuple[str, tuple[str, ...]]:
    if not (component.cpu or component.memory or component.gpu):
        return "", ()
    amount = idle * monthly_usd(component.provider, component.cpu or 0, component.memory or 0, component.gpu or 0)
    used = [name for name in ("cpu", "memory", "gpu") if getattr(component, name)]
    return (f"; the idle share costs up to {usd(amount)}/month at {price_note(component.provider, *used)}",
            price_sources(component.provider, *used))
