"""A replicated workload has no PodDisruptionBudget.

What it flags: a Deployment or StatefulSet that runs two or more replicas (or whose autoscaler may) and that no
PodDisruptionBudget in its namespace selects.
Why it matters: a node drain, cluster upgrade or autoscaler scale-down may evict every replica at once; the
replicas you pay for give no protection against voluntary disruptions without a budget.
How to fix: add a PodDisruptionBudget whose selector matches the pod labels, with `maxUnavailable: 1` (or a
`minAvailable` below the replica count).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding
from archlint.rules.facts import REPLICATED

META = RuleMeta(
    id="FI002", name="replicated-workload-without-disruption-budget",
    title="Replicated workload has no PodDisruptionBudget", concern=Concern.FAILURE_ISOLATION,
    severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        if component.workload_kind not in REPLICATED or component.attrs.get("pdbs"):
            continue
        most = max(component.replicas or 0, component.autoscaling.max_replicas or 0 if component.autoscaling else 0)
        if most < 2:
            continue
        yield finding(META, component, f"{component.name} runs up to {most} replicas but no PodDisruptionBudget "
                      "selects its pods: a drain may evict them all at once",
                      "Add a PodDisruptionBudget with maxUnavailable: 1 selecting these pods.")
