"""A function keeps a fixed provisioned concurrency.

What it flags: a serverless function with provisioned concurrency set to a fixed number (an
`aws_lambda_provisioned_concurrency_config`, or `ProvisionedConcurrencyConfig` on an alias or version).
Why it matters: provisioned concurrency is billed every second whether requests come or not; a fixed number sized
for the peak pays for the peak all night, and one sized for the average still cold-starts at the peak.
How to fix: scale provisioned concurrency with Application Auto Scaling (target tracking on utilisation, or a
schedule for known peaks), or drop it if the cold starts are acceptable.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OP011", name="fixed-provisioned-concurrency", title="Function keeps a fixed provisioned concurrency",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING)


def check(model, options):
    for component in model.components(NodeKind.FUNCTION):
        reserved = component.attrs.get("provisioned_concurrency")
        if isinstance(reserved, int) and reserved > 0 and component.autoscaling is None:
            yield finding(META, component, f"function {component.name} keeps {reserved} provisioned instances warm "
                          "around the clock", "Scale provisioned concurrency with a target-tracking or scheduled policy.",
                          span=component.at("provisioned_concurrency"))
