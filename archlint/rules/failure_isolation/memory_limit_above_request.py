"""A container's memory limit is far above its memory request.

What it flags: a container whose memory limit is more than `ratio` (default 2) times its memory request. A limit
without a request is not flagged: Kubernetes then sets the request to the limit. CPU is not judged: CPU beyond the
request is shared out by weight and throttled, never killed, so a wide CPU gap slows a neighbour, it does not stop
it. This is failure isolation, not over-provisioning: a limit is not billed, the request is; the risk is that the
gap is memory the node never reserved.
Why it matters: the scheduler places pods by their requests, so a node full of such pods has promised far more
memory than it has. When several grow toward their limits together (a traffic peak, a cache warming, a leak), the
node runs out of memory: the kubelet evicts pods that use more than they request and the kernel's OOM killer ends
processes, including those of well-behaved neighbours on that node. One workload's burst becomes other
workloads' outage, and the failure moves from node to node as the evicted pods are rescheduled.
How to fix: request what the container uses at its peak (measure it: see OP020 and the usage file) and keep the
limit close to the request; set them equal for memory to make the pod's memory guaranteed.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding
from archlint.rules.capacity import memory_text

META = RuleMeta(
    id="FI033", name="memory-limit-far-above-request", title="Memory limit far above the memory request",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING, options={"ratio": 2.0},
    options_schema={"ratio": {"type": "number", "exclusiveMinimum": 1}})


def check(model, options):
    for component in model.components():
        for container in component.containers:
            request, limit = container.memory_request, container.memory_limit
            if container.init or not request or not limit or limit <= options["ratio"] * request:
                continue
            yield finding(META, component, f"{component.name} (container {container.name}) requests "
                          f"{memory_text(request)} of memory but may grow to {memory_text(limit)} "
                          f"({limit / request:.0f}x): "
                          f"the node reserves only the request, so a common peak ends in evictions and OOM kills, "
                          "neighbours included", "Request the peak memory use and keep the limit close to it.",
                          span=container.resources_span or container.span, key=container.name)
