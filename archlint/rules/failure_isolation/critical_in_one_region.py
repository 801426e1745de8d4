"""Every critical component runs in one region.

What it flags: a system with at least `min_components` (default 2) long-running components declared
`criticality: critical` or `high`, whose regions are all known and all the same. Information only: one region is
the norm, and the right choice, for most companies until availability, latency or compliance needs demand more;
the roadmap puts "add a second region for failover" after right-sizing and hardening the critical paths within
the region. The finding is there so that the choice is written down and revisited.
Why it matters: a regional outage, or a regional failure of one managed service (identity, DNS, the database
service), stops every critical component at once, and there is nothing to fail over to; the recovery time is the
provider's. Multi-zone redundancy inside the region does not help.
How to fix: when the SLOs need it, add a second region for failover: replicate the data (cross-region read
replicas, global tables), keep infrastructure as code able to stand the stack up there, and rehearse the
failover with a runbook. Until then, acknowledge the risk with a suppression that gives the reason.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import LONG_RUNNING
from archlint.rules.base import RuleMeta, finding, listing

META = RuleMeta(
    id="FI042", name="critical-components-in-one-region", title="Every critical component in one region",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.INFO, options={"min_components": 2},
    options_schema={"min_components": {"type": "integer", "minimum": 2}})

CRITICAL = frozenset({"critical", "high"})


def check(model, options):
    critical = [c for c in model.components(*LONG_RUNNING) if c.criticality in CRITICAL]
    regions = {c.region for c in critical}
    if len(critical) < options["min_components"] or len(regions) != 1 or None in regions:
        return
    region = critical[0].region
    first, others = critical[0], critical[1:]
    names = listing(c.name for c in critical)
    every = "both" if len(critical) == 2 else f"all {len(critical)}"
    yield finding(META, first, f"{every} critical components ({names}) run in region {region}: a regional "
                  "outage stops them together, with nowhere to fail over (the norm for one region: a choice to "
                  "revisit as the SLOs grow)", "Plan a second region for failover when the SLOs need it.",
                  span=first.points.get("location") or first.span, key=region, nodes=tuple(c.id for c in others))
