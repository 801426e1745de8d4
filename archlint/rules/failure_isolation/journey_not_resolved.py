"""A journey declared in the service graph names what the model does not have.

What it flags: an entry under `journeys:` whose `entry` is not a component of the model, one of whose `calls` is
not a component, or is one its entry does not reach through any dependency, and a journey name declared twice.
The journey is then assessed without that call (or not at all, without its entry), and the message says what was
left out.
Why it matters: a journey that silently lost its database or its payment call would look healthier in
`archlint failure-modes` than it is: a misspelt name must not turn into a clean matrix.
How to fix: name components as the service graph or the manifests name them (a workload's name, or the
`archlint.dev/component` annotation), declare the dependency that takes the entry to the call, or remove the call.
"""

from __future__ import annotations

from archlint.finding import Concern, Finding, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(
    id="FI053", name="journey-not-resolved", title="A declared journey names a component the model does not have",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    if not model.journeys:
        return  # only declared journeys can name what the model lacks
    from archlint.resilience import assess  # the assessment's modules load only for a model with journeys

    for problem in assess(model).problems:
        yield Finding(META.id, problem.message, problem.span.file, problem.span.line, key=f"journey:{problem.journey}",
                      fix="Name a component of the graph or the manifests, or declare the dependency that reaches it.")
