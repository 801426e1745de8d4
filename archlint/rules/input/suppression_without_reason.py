"""A suppression gives no reason.

What it flags: a `# archlint: ignore RULE` comment without ` -- reason`, or an `archlint.dev/ignore` annotation
without an `archlint.dev/ignore-reason` annotation. The suppression still applies.
Why it matters: a silenced finding without a reason cannot be reviewed later: nobody knows whether the risk was
accepted, fixed elsewhere, or hidden to make the build pass.
How to fix: add the reason: `# archlint: ignore FI001 -- canary, one replica by design`, or the annotation
`archlint.dev/ignore-reason`.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN003", name="suppression-without-reason", title="Suppression gives no reason",
                concern=Concern.INPUT, severity=Severity.WARNING)
