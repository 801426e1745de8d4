"""A single virtual machine serves traffic directly.

What it flags: one virtual machine (an EC2 instance, a Compute Engine instance, an Azure VM, not part of a group
and without `count` above 1) that has a public address.
Why it matters: the machine is the service: a host failure, a reboot for patching or a zone outage is an outage,
and it cannot be replaced without downtime because nothing else answers meanwhile.
How to fix: put the workload in an autoscaling group or managed instance group of at least two instances across
zones behind a load balancer, or on a managed service that runs it for you (containers, functions).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI023", name="single-instance-serving-traffic", title="A single virtual machine serves traffic",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)

_VMS = frozenset({"aws_instance", "google_compute_instance", "azurerm_linux_virtual_machine",
                  "azurerm_windows_virtual_machine"})


def check(model, options):
    for component in model.components(NodeKind.SERVICE):
        if component.attrs.get("resource_type") not in _VMS or component.replicas != 1:
            continue
        if component.attrs.get("internet_facing") is True:
            yield finding(META, component, f"{component.name} is a single {component.attrs.get('instance_type') or 'VM'} "
                          "with a public address: its host failing is an outage",
                          "Run two or more instances in a group behind a load balancer.",
                          span=component.at("internet_facing"))
