"""Replicas of a workload may all land on one node or in one zone.

What it flags: a workload with two or more replicas (or an autoscaler allowing them) that declares neither pod
anti-affinity nor topology spread constraints.
Why it matters: the scheduler is free to place every replica on the same node or in the same zone; one node
failure or one zone outage then takes all of them at once, and the replica count buys nothing.
How to fix: add `topologySpreadConstraints` on `kubernetes.io/hostname` and `topology.kubernetes.io/zone`, or a
preferred `podAntiAffinity` on the pod labels. Either one satisfies this rule.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding
from archlint.rules.facts import REPLICATED

META = RuleMeta(
    id="FI004", name="replicas-without-spread", title="Replicas are not spread across nodes or zones",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        if component.workload_kind not in REPLICATED:
            continue
        if component.attrs.get("anti_affinity") or component.attrs.get("topology_spread"):
            continue
        least = component.min_replicas or 0
        if least < 2:
            continue
        yield finding(META, component, f"{component.name} runs {least} replicas with no pod anti-affinity or "
                      "topology spread: they may share one node or zone",
                      "Add topologySpreadConstraints on kubernetes.io/hostname and topology.kubernetes.io/zone.",
                      span=component.at("pod"))
