"""A long-running container has no liveness probe.

What it flags: each container of a long-running workload (not a Job or CronJob) that declares no `livenessProbe`.
Why it matters: a process that deadlocks or stops making progress without exiting is never restarted; it holds
its slot and, if it also reports ready, its share of traffic.
How to fix: add a `livenessProbe` that checks the process itself (not its dependencies) with a generous
`failureThreshold`, so that a slow dependency does not cause restart storms.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding
from archlint.rules.facts import long_running

META = RuleMeta(
    id="FI006", name="long-running-container-without-liveness-probe",
    title="Long-running container has no liveness probe", concern=Concern.FAILURE_ISOLATION,
    severity=Severity.INFO)


def check(model, options):
    for component in model.components():
        if component.source != "kubernetes" or not component.containers or not long_running(component):
            continue
        for container in component.containers:
            if container.init or container.liveness is not None:
                continue
            yield finding(META, component, f"container {container.name} of {component.name} runs until stopped "
                          "but has no liveness probe", "Add a livenessProbe that checks the process itself.",
                          span=container.span, key=container.name)
