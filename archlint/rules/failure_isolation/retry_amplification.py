"""Retries multiply along a synchronous chain.

What it flags: a chain of synchronous dependencies where each hop retries, so that one request at the entry can
become `max_attempts` (default 10) or more attempts at the end of the chain: the product of (1 + retries) over
the hops. One finding per chain start, for its worst chain.
Why it matters: when the deepest component slows down, every layer above it retries, and the load on it
multiplies by the product of the attempts: 3 attempts x 4 attempts is 12 times the traffic, at the moment it can
least take it.
How to fix: retry at one layer only (usually the outermost or the one next to the failure), use retry budgets or
circuit breakers at the others, and keep retries for idempotent calls.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import TRAFFIC_EDGES
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI017", name="retry-amplification", title="Retries multiply along a synchronous chain",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING, options={"max_attempts": 10},
    options_schema={"max_attempts": {"type": "integer", "minimum": 2}})


def check(model, options):
    edges: dict[str, list] = {}
    for dep in model.dependencies(TRAFFIC_EDGES):
        if dep.sync and dep.retries:
            edges.setdefault(dep.source, []).append(dep)
    best: dict[str, tuple[int, list]] = {}

    def worst(node: str, visiting: frozenset) -> tuple[int, list]:
        if node in best:
            return best[node]
        result: tuple[int, list] = (1, [])
        for dep in edges.get(node, ()):
            if dep.target in visiting:
                continue  # cycles are FI011's business; a retry loop is not followed twice
            attempts, path = worst(dep.target, visiting | {dep.target})
            candidate = ((dep.retries + 1) * attempts, [dep, *path])
            if candidate[0] > result[0]:
                result = candidate
        best[node] = result  # with a cycle the value may miss a path through it: FI011 reports the cycle
        return result

    callees = {dep.target for deps in edges.values() for dep in deps}
    for start in sorted(edges):
        if start in callees:
            continue  # report each chain once, at its start
        attempts, path = worst(start, frozenset({start}))
        if attempts < options["max_attempts"] or len(path) < 2:
            continue
        hops = " -> ".join([model.component(start).name] + [
            f"{model.component(d.target).name} (x{d.retries + 1})" for d in path])
        yield finding(META, model.component(start), f"one request can become {attempts} attempts at "
                      f"{model.component(path[-1].target).name}: {hops}",
                      "Retry at one layer only; use retry budgets or circuit breakers elsewhere.", span=path[0].span,
                      related=tuple(d.target for d in path))
