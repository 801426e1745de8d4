"""Every critical component runs on one node pool.

What it flags: a system with at least `min_components` (default 2) long-running components declared
`criticality: critical` or `high`, all pinned (`nodeSelector` or required node affinity on a node-pool label:
`cloud.google.com/gke-nodepool`, `eks.amazonaws.com/nodegroup`, `kubernetes.azure.com/agentpool`,
`karpenter.sh/nodepool`, ...) to one and the same node pool. When any critical component's pool is unknown the
rule abstains. The cluster a workload runs in is not in the files archlint reads (it is the kubeconfig's
context), so "all on one cluster" is not judged.
Why it matters: a node pool fails as a unit more often than its nodes suggest: a bad node image or kernel rolled
out to the pool, an upgrade that drains it, a quota or capacity shortage for its one instance type, a daemon that
misbehaves on its nodes. With every critical component pinned there, one such event stops all of them together,
whatever their replica counts.
How to fix: let critical components run on two pools (list both in the affinity, or drop the pin and use taints
for what must stay apart), or give the most critical ones a pool of their own with another instance type.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import LONG_RUNNING
from archlint.rules.base import RuleMeta, finding, listing

META = RuleMeta(
    id="FI041", name="critical-components-on-one-node-pool", title="Every critical component on one node pool",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING, options={"min_components": 2},
    options_schema={"min_components": {"type": "integer", "minimum": 2}})

CRITICAL = frozenset({"critical", "high"})


def check(model, options):
    critical = [c for c in model.components(*LONG_RUNNING) if c.criticality in CRITICAL]
    if len(critical) < options["min_components"]:
        return
    pools = {tuple(c.attrs.get("node_pool") or ()) for c in critical}
    if len(pools) != 1 or len(next(iter(pools))) != 1:
        return
    pool = next(iter(pools))[0]
    first, others = critical[0], critical[1:]
    names = listing(c.name for c in critical)
    every = "both" if len(critical) == 2 else f"all {len(critical)}"
    yield finding(META, first, f"{every} critical components ({names}) run on node pool {pool}: one bad "
                  "node image, upgrade or capacity shortage there stops them together",
                  "Let critical components run on two node pools, or give the most critical one its own.",
                  span=first.points.get("affinity") or first.at("pod"), key=pool, nodes=tuple(c.id for c in others))
