"""A user journey's availability target is out of reach of what it waits for.

What it flags: a journey with an availability target (its `availability` in the service graph's `journeys`, else
its policy's `availability` in `.archlint.yaml`) whose synchronous dependencies multiply to less. A dependency
that declares its own availability counts with it (as in FI012); one that does not counts through the zone or
region it is confined to, once per failure domain (components in one zone fail together), at the provider's
published availability for a single-zone or a multi-zone deployment (`archlint failure-modes --figures`).
Dependencies with neither are not counted, and the message says which.
Why it matters: FI012 judges a component's own promise; a journey such as checkout crosses several components and
zones, and it is the journey's availability the users live with: 99.95% x 99.9% x a single zone at 99.5% is 99.35%,
about 57 hours of downtime a year against a 99.9% target of 9.
How to fix: make the weakest factor stronger (a second zone, a standby), take it off the synchronous path (an
asynchronous call, a cache with a fallback), or set a target the design can meet.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import Span
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI052", name="journey-availability-below-target", title="A journey's dependencies cannot meet its availability target",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)


def check(model, options):
    policies = model.resilience.policies.values()
    if not any(j.availability is not None for j in model.journeys) and not any(
            p.availability is not None for p in policies):
        return  # no target anywhere: nothing to judge, and no assessment to pay for on every commit
    from archlint.resilience import assess  # its modules load only when there is something to judge

    assessment = assess(model)
    for journey in assessment.journeys:
        declared = journey.declared.availability if journey.declared else None
        policy = assessment.policies.get(journey.key)
        target = declared if declared is not None else policy.availability if policy else None
        computed = assessment.availability.get(journey.key)
        if target is None or computed is None or computed.percent >= target:
            continue
        where = journey.declared.span if declared is not None else policy.availability_span or journey.span
        source = "its declared target" if declared is not None else f"policy {policy.name}"
        weakest = ", ".join(f.what for f in computed.factors[:3])
        more = f" and {len(computed.factors) - 3} more" if len(computed.factors) > 3 else ""
        missing = f"; not counted (no declared or published availability): {', '.join(computed.uncounted[:5])}" \
            if computed.uncounted else ""
        deciding = next((f.component for f in computed.factors if f.component), None)
        related = [model.component(deciding).span] if deciding else []
        yield finding(META, journey.entry, f"journey {journey.name} targets {target:g}% ({source}) but what it "
                      f"waits for allows at most {computed.percent:.3f}% ({weakest}{more}), about "
                      f"{computed.downtime_hours():.0f} h of downtime a year{missing}",
                      "Strengthen the weakest factor (a second zone, a standby), take it off the synchronous path, "
                      "or lower the target.", span=Span(where.file, where.line).through(
                          *[Span(s.file, s.line, note=f"weakest: {model.component(deciding).name}") for s in related]),
                      key=f"journey:{journey.name}",
                      nodes=tuple(f.component for f in computed.factors if f.component))
