"""The resilience policy names a journey that no file declares or derives.

What it flags: a name under `resilience.journeys` in `.archlint.yaml` that is neither a journey of a service graph
nor an entrypoint archlint derived a journey from. The policy it assigns then judges nothing.
Why it matters: the team believes checkout is held to its strict policy while the name points nowhere (a typo,
a journey renamed in the service graph): the matrix is judged by the default policy, or by none.
How to fix: use a journey's name as `archlint failure-modes` lists it, or declare the journey under `journeys:` in
the service graph.
"""

from __future__ import annotations

from archlint.finding import Concern, Finding, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(
    id="FI054", name="resilience-policy-names-no-journey", title="The resilience policy names a journey that does not exist",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    named = model.resilience.journeys
    if not named:
        return
    from archlint.resilience import assess  # its modules load only for a configuration that names journeys

    journeys = {j.name for j in assess(model).journeys}
    for name, (policy, span) in sorted(named.items()):
        if name in journeys:
            continue
        known = ", ".join(sorted(journeys)[:8]) or "none"
        yield Finding(META.id, f"resilience.journeys names journey {name!r} (policy {policy}), but no journey has "
                      f"that name (journeys: {known})", span.file, span.line, key=f"journey:{name}",
                      fix="Use a journey's name as `archlint failure-modes` lists it, or declare the journey.")
