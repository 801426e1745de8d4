"""A container declares no CPU or no memory request.

What it flags: each container of a workload that lacks `resources.requests.cpu` or `resources.requests.memory`.
Why it matters: requests are what the cluster reserves, bills and bin-packs by. Without them archlint cannot
estimate the workload's cost, the scheduler packs blindly, and the pod runs as BestEffort or Burstable: first to
be evicted under pressure and free to starve its neighbours.
How to fix: set CPU and memory requests from observed use (for example the 90th percentile of CPU and the peak of
memory plus a margin), and a memory limit.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="CO001", name="container-without-resource-requests", title="Container declares no CPU or memory request",
    concern=Concern.COST, severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        if component.source != "kubernetes":
            continue
        for container in component.containers:
            missing = [name for name, value in (("cpu", container.cpu_request), ("memory", container.memory_request))
                       if value is None]
            if not missing:
                continue
            yield finding(META, component, f"container {container.name} of {component.name} has no "
                          f"{' or '.join(missing)} request: its cost and placement are unknown",
                          f"Set resources.requests.{missing[0]}" + (f" and .{missing[1]}" if len(missing) > 1 else "")
                          + " from observed use.", span=container.resources_span or container.span, key=container.name)
