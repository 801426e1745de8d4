"""Application code retries in a loop without backoff or jitter.

What it flags: in the Python code of a component's source directory, a hand-written retry loop (a `while` loop,
or a `for` over `range(...)` or `itertools.count()`, holding a `try` whose body calls something and leaves the
loop on success with `return` or `break`, and whose `except` goes round again) that sleeps not at all or a
constant time between attempts (`time.sleep(1)`, `asyncio.sleep`, any `sleep`, an event's `wait(5)`). Calls that
stay in the process (`os`, `subprocess`, ...) and handlers that catch only errors retried for their own reasons
(`InterruptedError`, `BlockingIOError`, `ValueError`, ...) are not remote retries. A sleep whose argument grows
with the attempt (`2 ** attempt`, `delay * attempt`, `delay *= 2`) or draws from `random` is backoff or jitter and
is not flagged; neither is a delay archlint cannot follow (`policy.next_delay()`), nor tenacity, backoff or
urllib3's `Retry`, which back off by design.
Why it matters: when a dependency fails, every caller retries at once; without backoff the retries come as fast
as the failures, and without jitter they come in lockstep, so the load on the struggling dependency multiplies
exactly when it can least take it and a brief slowdown becomes an outage (a retry storm).
How to fix: sleep `min(cap, base * 2 ** attempt)` plus a random jitter between attempts and cap the attempts, or
use a retry library: `tenacity.retry(wait=wait_random_exponential(multiplier=0.5, max=20),
stop=stop_after_attempt(4))`. Retry only idempotent operations.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import Span
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI031", name="retry-loop-without-backoff", title="Retry loop without backoff or jitter in application code",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        for loop in component.attrs.get("code_retry_loops_without_backoff", ()):
            yield finding(META, component, f"retry loop around {loop['call']} with {loop['detail']} in "
                          f"{component.name}'s code: retries arrive at once when the callee struggles",
                          "Back off exponentially with jitter and cap the attempts (or use tenacity).",
                          span=Span(loop["file"], loop["line"]), key=loop["key"])
