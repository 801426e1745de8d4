"""An instance group or node pool is confined to one zone or one subnet.

What it flags: an autoscaling group, managed instance group, scale set or Kubernetes node pool declared in
infrastructure as code whose zones (or subnets, each of which lives in one zone) number exactly one.
Why it matters: every instance shares the zone's fate; a zone outage, a capacity shortage for the instance type in
that zone or a subnet running out of addresses takes the whole group down however many instances it has.
How to fix: spread the group over at least two zones (two or more subnets in different zones,
`distribution_policy_zones`, `zones = ["1", "2", "3"]`).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI022", name="instance-group-in-one-zone", title="Instance group or node pool confined to one zone",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)

_GROUPS = frozenset({"aws_autoscaling_group", "aws_eks_node_group", "google_compute_instance_group_manager",
                     "google_compute_region_instance_group_manager", "google_container_node_pool",
                     "azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
                     "azurerm_kubernetes_cluster_node_pool"})


def check(model, options):
    for component in model.components(NodeKind.SERVICE, NodeKind.NODE_POOL):
        if component.attrs.get("resource_type") not in _GROUPS:
            continue
        if component.zones is not None and len(component.zones) == 1:
            yield finding(META, component, f"{component.name} places every instance in zone {component.zones[0]}",
                          "Spread the group over at least two zones.", span=component.at("zones"))
        elif component.attrs.get("subnet_count") == 1:
            yield finding(META, component, f"{component.name} uses a single subnet, so a single zone",
                          "List subnets in at least two zones.", span=component.at("subnet_count"))
