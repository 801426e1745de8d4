"""Batch capacity runs on on-demand machines.

What it flags: batch compute declared in infrastructure as code (an AWS Batch compute environment of type EC2 or
FARGATE, a node pool or instance group labelled or named for batch work) that does not use spot or preemptible
capacity.
Why it matters: batch work tolerates interruption (it retries or checkpoints) and has no user waiting, which is
exactly what spot and preemptible capacity is priced for: typically 60-90% cheaper than on-demand.
How to fix: use spot or preemptible capacity (`type = "SPOT"`, `capacity_type = "SPOT"`, `spot = true`,
`priority = "Spot"`), keeping a small on-demand base if deadlines require it.
"""

from __future__ import annotations

import re

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OP013", name="batch-on-on-demand-capacity", title="Batch capacity runs on on-demand machines",
    concern=Concern.OVER_PROVISIONING, severity=Severity.INFO)

_BATCH_NAME = re.compile(r"(^|[-_])(batch|etl|jobs?|spark|training|train|render|grid)([-_]|$)")


def check(model, options):
    for component in model.components(NodeKind.BATCH_JOB, NodeKind.NODE_POOL, NodeKind.SERVICE):
        if component.attrs.get("spot") is not False or "resource_type" not in component.attrs:
            continue
        batch = component.kind is NodeKind.BATCH_JOB or _BATCH_NAME.search(component.name.lower()) or any(
            _BATCH_NAME.search(str(v).lower()) for k, v in component.labels.items() if k.lower() in ("workload", "purpose", "role"))
        if batch:
            yield finding(META, component, f"batch capacity {component.name} runs on on-demand machines",
                          "Use spot or preemptible capacity for interruptible batch work.", span=component.at("spot"))
