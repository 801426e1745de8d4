"""A resource that costs money carries no label or tag saying who pays for it.

What it flags: a workload or cloud resource whose estimated monthly cost is above zero and that lacks a label or
tag of each required group (default: one of `team`, `owner`; add a cost-centre group with the `required`
option). Keys compare without case; an owner declared in the service graph counts for a group that names
`owner` or `team`.
Why it matters: cost reports, showback and the budgets per team group spending by these labels; an unlabelled
resource lands in "unallocated", and nobody is asked about it when the bill grows.
How to fix: add the labels (Kubernetes `metadata.labels`, Terraform `tags` or `default_tags`, CloudFormation
`Tags`), or declare the owner in the service graph.
"""

from __future__ import annotations

from archlint.cost import estimate
from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding
from archlint.rules.cost.budgets import usd

META = RuleMeta(
    id="CO020", name="missing-cost-allocation-labels", title="Costly resource without owner, team or cost-centre labels",
    concern=Concern.COST, severity=Severity.WARNING,
    options={"required": [["team", "owner"]], "minimum_monthly_usd": 1.0},
    options_schema={
        "required": {"type": "array", "minItems": 1, "description": "Groups of label keys: each group needs one.",
                     "items": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}},
        "minimum_monthly_usd": {"type": "number", "minimum": 0,
                                "description": "Resources cheaper than this a month are not flagged."}})

_OWNED = {"team", "owner"}


def check(model, options):
    costs = {n.id: n for n in estimate(model).nodes}
    minimum = float(options["minimum_monthly_usd"])
    groups = [(group, {k.lower() for k in group}) for group in options["required"]]
    for component in model.components():
        cost = costs.get(component.id)
        if cost is None or not cost.lines or cost.low < minimum or component.source == "service-graph":
            continue
        keys = {k.lower() for k in component.labels}
        missing = [group for group, wanted in groups
                   if not keys & wanted and not (component.owner and _OWNED & wanted)]
        if missing:
            wanted = " and ".join(" or ".join(f"`{k}`" for k in group) for group in missing)
            yield finding(META, component, f"{component.name} costs {usd(cost.low)} a month and has no {wanted} "
                          "label or tag: its cost is unallocated", f"Add a {wanted} label or tag.",
                          span=component.at("metadata"), key="labels")
