"""A GPU node pool has no workload that asks for a GPU.

What it flags: a Kubernetes node pool (EKS node group, GKE node pool, AKS node pool) of accelerator instances
while no workload in the model requests a GPU (`nvidia.com/gpu` and the like). Only checked when the model holds
Kubernetes workloads, so that archlint knows what runs there.
Why it matters: GPU machines cost ten to fifty times a general-purpose one; pods that do not request a GPU may
still be scheduled on them (and keep them from scaling down) or leave them idle.
How to fix: remove or scale the pool to zero, taint it (`nvidia.com/gpu=present:NoSchedule`) so only GPU workloads
land there, or request the GPU in the workloads that need it.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OP012", name="gpu-pool-without-gpu-workloads", title="GPU node pool with no workload requesting a GPU",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING)


def check(model, options):
    workloads = [c for c in model.components() if c.source == "kubernetes" and c.containers]
    if not workloads or any(c.gpu for c in workloads):
        return
    for pool in model.components(NodeKind.NODE_POOL):
        if pool.gpu:
            accelerator = pool.attrs.get("accelerator", "GPU")
            yield finding(META, pool, f"node pool {pool.name} runs {pool.attrs.get('instance_type')} machines with "
                          f"{pool.gpu:g} {accelerator} each, but none of the {len(workloads)} workloads requests a GPU",
                          "Remove or taint the pool, or request the GPU in the workloads that use it.",
                          span=pool.at("instance_type"))
