"""An autoscaler's minimum equals its maximum: capacity is set by hand.

What it flags: a HorizontalPodAutoscaler (or a declared autoscaling range) whose `minReplicas` equals its
`maxReplicas`.
Why it matters: the autoscaler can never scale, so the workload pays for peak capacity around the clock and still
cannot absorb a peak above it. It also hides the fact from readers: it looks autoscaled and is not.
How to fix: lower `minReplicas` to what quiet hours need and keep `maxReplicas` for the peak; or, if the count
really is fixed, delete the autoscaler and set `replicas` on the workload.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OP001", name="autoscaler-min-equals-max", title="Autoscaler minimum equals maximum",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING)


def check(model, options):
    for scaler in model.components(NodeKind.AUTOSCALER):
        low, high = scaler.attrs.get("min_replicas"), scaler.attrs.get("max_replicas")
        if isinstance(low, int) and low == high:
            yield finding(META, scaler, f"autoscaler {scaler.name} has minReplicas = maxReplicas = {low}: it can never "
                          f"scale and holds {low} replicas at all hours",
                          "Lower minReplicas to the quiet-hours need, or drop the autoscaler and set replicas.",
                          span=scaler.at("minReplicas"))
    for component in model.components():
        scaling = component.autoscaling
        if component.source != "kubernetes" and scaling and scaling.min_replicas == scaling.max_replicas:
            yield finding(META, component, f"{component.name} declares autoscaling from {scaling.min_replicas} to "
                          f"{scaling.max_replicas}: capacity is fixed by hand",
                          "Widen the autoscaling range or declare a fixed replica count.", span=scaling.span)
