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
from archlint.rules.base import RuleMeta, finding, route

#: Attempts are counted up to here and no further: along an 800-hop chain the product has hundreds of digits (and
#: past 4,300 digits Python refuses to print it); "more than a million" says all there is to say.
SATURATED = 10**6

META = RuleMeta(
    id="FI017", name="retry-amplification", title="Retries multiply along a synchronous chain",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING, options={"max_attempts": 10},
    options_schema={"max_attempts": {"type": "integer", "minimum": 2, "maximum": SATURATED}})


def check(model, options):
    edges: dict[str, list] = {}
    for dep in model.dependencies(TRAFFIC_EDGES):
        if dep.sync and dep.retries:
            edges.setdefault(dep.source, []).append(dep)
    best: dict[str, tuple[int, object]] = {}  # node -> (attempts, first hop of its worst chain, or None)
    callees = {dep.target for deps in edges.values() for dep in deps}
    for start in sorted(edges):
        if start in callees:
            continue  # report each chain once, at its start
        _worst(start, edges, best)
        attempts, path = best[start][0], []
        while (hop := best[path[-1].target if path else start][1]) is not None:
            path.append(hop)
        if attempts < options["max_attempts"] or len(path) < 2:
            continue
        hops = route([model.component(start).name] + [
            f"{model.component(d.target).name} (x{_times(d)})" for d in path])
        many = f"more than {SATURATED:,}" if attempts >= SATURATED else f"{attempts:,}"
        yield finding(META, model.component(start), f"one request can become {many} attempts at "
                      f"{model.component(path[-1].target).name}: {hops}",
                      "Retry at one layer only; use retry budgets or circuit breakers elsewhere.", span=path[0].span,
                      nodes=tuple(d.target for d in path))


def _worst(start: str, edges: dict[str, list], best: dict[str, tuple[int, object]]) -> None:
    """Fill `best` for `start` and what it calls: the most attempts a request can become, and the first hop.

    A depth-first search with an explicit stack (chains can be longer than Python's recursion limit), memoised
    across starts. A hop back onto the current chain is not followed: cycles are FI011's business, and with one
    the value may miss a path through it."""
    chain, frames, results, hops = {start}, [(start, iter(edges.get(start, ())))], [(1, None)], []
    while frames:
        node, deps = frames[-1]
        for dep in deps:
            if dep.target in chain:
                continue
            if dep.target not in best:
                hops.append(dep)
                chain.add(dep.target)
                frames.append((dep.target, iter(edges.get(dep.target, ()))))
                results.append((1, None))
                break
            if (times := _product(dep, best[dep.target][0])) > results[-1][0]:
                results[-1] = (times, dep)
        else:
            frames.pop()
            chain.discard(node)
            best[node] = results.pop()
            if frames:
                dep = hops.pop()
                if (times := _product(dep, best[node][0])) > results[-1][0]:
                    results[-1] = (times, dep)


def _times(dep) -> str:
    return f"{dep.retries + 1:,}" if dep.retries < SATURATED else f"{SATURATED:,}+"


def _product(dep, attempts: int) -> int:
    """The attempts one call through `dep` becomes, saturated at SATURATED (so every figure stays small)."""
    return min(SATURATED, (min(dep.retries, SATURATED) + 1) * attempts)
