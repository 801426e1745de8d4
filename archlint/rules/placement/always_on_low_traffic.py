"""A low-traffic service keeps machines running that a managed function or container service would not.

What it flags: a service or worker whose declared traffic (`traffic: {rps: ...}`) is below
`placement.scale_to_zero_rps` (default 1 request per second at peak) and that runs at least one always-on replica
and needs no GPU. The message compares its estimated monthly cost with the same requests on the provider's
functions (AWS Lambda, Cloud Run, Azure Container Apps), priced from the bundled catalog at
`placement.function_seconds` (default 0.1 s) per request and the workload's memory request.
Why it matters: a service that answers a request every few seconds keeps its replicas, node share, image
pipeline and autoscaler busy all month for work that takes minutes a day. A managed function or container service
scales to zero between requests and removes the cluster work with it.
How to fix: run it on the managed function or container service named in the message; keep it where it is if its
cold start matters more than the saving, and say so in a suppression.
"""

from __future__ import annotations

from archlint.advise import advise
from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="PL011", name="always-on-low-traffic", title="Low-traffic service keeps always-on capacity",
    concern=Concern.PLACEMENT, severity=Severity.INFO)


def check(model, options):
    for item in advise(model).simplifications:
        if item.kind != "scale-to-zero":
            continue
        component = item.component
        priced = f" ({item.source})" if item.source else ""
        yield finding(META, component, f"{component.name} serves {item.software} on always-on capacity; "
                      f"{item.offering} would scale it to zero: {item.difference()}{priced}",
                      f"Run {component.name} on {item.offering}: {item.operations}.", key=item.offering)
