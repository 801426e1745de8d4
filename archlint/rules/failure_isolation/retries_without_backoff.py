"""A dependency is retried without backoff.

What it flags: a declared dependency with `retries` above zero and `backoff: none` or `backoff: constant`.
Why it matters: immediate or fixed-interval retries arrive in lockstep exactly when the callee is struggling,
multiplying its load at the worst moment and turning a brief slowdown into an outage (a retry storm).
How to fix: retry with exponential backoff and jitter (`backoff: exponential-jitter`), cap the number of retries,
and retry only idempotent operations.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI016", name="retries-without-backoff", title="Dependency retried without backoff",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for dep in model.dependencies():
        if dep.retries and dep.backoff in ("none", "constant"):
            caller, callee = model.component(dep.source), model.component(dep.target)
            yield finding(META, caller, f"{caller.name} retries {callee.name} {dep.retries} time{'s' if dep.retries != 1 else ''} with "
                          f"{'no' if dep.backoff == 'none' else 'constant'} backoff",
                          "Use exponential backoff with jitter and cap the retries.", span=dep.span, key=dep.target,
                          related=(dep.target,))
