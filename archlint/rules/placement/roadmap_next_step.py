"""The next step of the scaling roadmap, and the changes that would complete it.

What it flags: archlint assesses the six steps of the roadmap for a growing company (1 baseline observability and
CI/CD; 2 cost and sizing; 3 reliability and SLOs; 4 regional distribution; 5 edge and caching; 6 operationalised
AI) from the evidence in the model, and reports each missing change of the first step not yet done, at most
`max_changes` (default 3), at the component the change applies to first. `archlint advise` prints the whole
assessment with the evidence for every step.
Why it matters: the steps build on each other: autoscaling without metrics is guesswork, a second region without
SLOs has no target, edge nodes without caching strategy multiply inconsistency. Doing them in order keeps the
investment where it pays.
How to fix: make the changes named in the findings; the next run moves to the following step.
"""

from __future__ import annotations

from archlint.advise import advise
from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="PL020", name="roadmap-next-step", title="Change that would complete the next roadmap step",
    concern=Concern.PLACEMENT, severity=Severity.INFO, options={"max_changes": 3},
    options_schema={"max_changes": {"type": "integer", "minimum": 1}})


def check(model, options):
    roadmap = advise(model).roadmap
    step = roadmap.next
    if step is None:
        return
    fallback = next(iter(model.entrypoints()), None) or next(model.components(), None)
    for check_ in step.missing()[:options["max_changes"]]:
        anchor = check_.anchor or fallback
        if anchor is None:
            return
        yield finding(META, anchor, f"roadmap step {step.number} ({step.title}), {check_.name}: {check_.evidence}",
                      f"{check_.change[:1].upper()}{check_.change[1:]}.", key=f"step{step.number}:{check_.name}")
