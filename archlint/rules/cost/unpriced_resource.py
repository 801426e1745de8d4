"""A resource that costs money has no price in the estimate.

What it flags: a provisioned cloud resource declared in infrastructure as code that the estimate cannot price,
with the reason: an instance type or database class with no catalog row and an unknown size, a job whose hours a
month are unknown. Usage-priced services (functions, object storage, queues, request-priced databases) cost
nothing until used and are only listed by `archlint cost`; workloads without requests are left to CO001.
Why it matters: a figure that leaves out what it cannot price looks lower than the bill; saying what is missing
keeps the estimate honest and tells you which assumption to add.
How to fix: add the missing figure: a row in the price file (`cost.prices`), the resource's use in the usage
assumptions (`cost.usage`, monthly_requests, storage_gb, monthly_hrs, ...), or the size in the files.
"""

from __future__ import annotations

from archlint.cost import estimate
from archlint.cost.resources import USAGE_PRICED
from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="CO021", name="unpriced-resource", title="Resource that costs money has no price in the estimate",
    concern=Concern.COST, severity=Severity.INFO)


def check(model, options):
    unpriced = {n.id: n.unpriced for n in estimate(model).nodes
                if n.unpriced and not n.unpriced.startswith(USAGE_PRICED)}
    for component in model.components():
        reason = unpriced.get(component.id)
        if reason and "resource_type" in component.attrs:
            yield finding(META, component, f"{component.name} is not in the cost estimate: {reason}",
                          "Add the price, the usage assumption or the size the message names.", key="unpriced")
