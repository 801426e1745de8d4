"""A workload sets `replicas` while an autoscaler manages it.

What it flags: a Deployment or StatefulSet with an explicit `spec.replicas` that a HorizontalPodAutoscaler
targets.
Why it matters: every `kubectl apply` or GitOps sync resets the replica count to the hand-set number, undoing the
autoscaler: a scaled-out service drops to the fixed count in the middle of a peak, or a quiet one jumps back up.
How to fix: remove `replicas` from the manifest and let the autoscaler own it (set the floor with `minReplicas`).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OP002", name="fixed-replicas-under-autoscaler", title="Workload sets replicas while an autoscaler manages it",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        if component.source != "kubernetes" or component.autoscaling is None:
            continue
        if component.replicas is None or component.attrs.get("replicas_defaulted"):
            continue
        yield finding(META, component, f"{component.name} sets replicas: {component.replicas} while autoscaler "
                      f"{component.autoscaling.source} manages it: every apply resets the count",
                      "Remove spec.replicas and set the floor with minReplicas.", span=component.replicas_span)
