"""Every enabled rule run over the model, each on its own: a rule that raises costs its own findings, never the
others'. On a machine with two cores the rules are shared with a forked child (archlint.forked), which reads the
same model without a copy and sends back its rules' findings; the findings come back in the rules' order either
way, so the report is the same byte for byte.

The rules that read the NetworkX graph (`walks_graph`) are the child's: this process, which needs the graph for
nothing else, then never imports NetworkX (about 50 ms), and the child imports it while this process runs the
other rules. A model too small for the fork to pay, or one so large that the child's reads would copy most of its
pages (the memory of a run on 50,000 manifests), runs in this process alone."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from archlint import debug
from archlint.finding import Concern, Finding, Location, Severity

#: The sizes of model (nodes) whose rules are shared with a second process.
SHARED_FROM, SHARED_UP_TO = 200, 10_000

Job = tuple[Any, dict]  # (rule, options)

#: The order the two processes take rules in (from both ends): rules that compute one analysis on first use are
#: neighbours, so that one process computes it. Placement advice prices its options with the cost estimate, which
#: reads the data flows, as the data-gravity rules do; failure isolation shares the synchronous graph.
_NEIGHBOURS = {concern: rank for rank, concern in enumerate(
    (Concern.PLACEMENT, Concern.COST, Concern.DATA_GRAVITY, Concern.FAILURE_ISOLATION, Concern.OBSERVABILITY,
     Concern.OVER_PROVISIONING))}


def run(jobs: list[Job], model: Any, failed: Callable[[Any, BaseException], Finding],
        meanwhile: Callable[[], object] | None = None) -> list[Finding]:
    """The findings of every (rule, options) in `jobs`, in order; `failed(rule, error)` is the finding of a rule
    that raised, after the findings it yielded before. `meanwhile` is run here while a forked child runs rules,
    if one does (archlint.forked)."""
    def work(index: int) -> list[Finding]:
        rule, options = jobs[index]
        found: list[Finding] = []
        try:
            found.extend(rule.check(model, options))
        except Exception as error:  # noqa: BLE001  (a rule that fails costs its own findings, never the others')
            debug.show(error, f"rule {rule.id}")
            found.append(failed(rule, error))
        return found

    if SHARED_FROM <= len(model) <= SHARED_UP_TO:
        from archlint.forked import shared

        # the rules that read the NetworkX graph last: the child takes them first and is left them, and imports
        # NetworkX while this process runs the others (when it has not imported it already)
        order = sorted(range(len(jobs)), key=lambda i: (jobs[i][0].meta.walks_graph,
                                                        _NEIGHBOURS.get(jobs[i][0].meta.concern, len(_NEIGHBOURS))))
        reserved = sum(1 for rule, _ in jobs if rule.meta.walks_graph) if "networkx" not in sys.modules else 0
        results = shared(len(jobs), work, plain, findings, order, reserved, meanwhile)
    else:
        results = [work(index) for index in range(len(jobs))]
    return [finding for result in results for finding in result]


def plain(found: list[Finding]) -> list[tuple]:
    """Findings as values marshal carries, made back exactly by `findings`: a value of any other type (a str
    subclass, a list where a tuple was) raises, and the parent runs that rule again itself."""
    values = []
    for f in found:
        if type(f) is not Finding or type(f.related) is not tuple or not all(type(p) is Location for p in f.related):
            raise TypeError("not a plain finding")
        values.append((f.rule, f.message, f.file, f.line, f.node, f.fix, f.key, f.severity.value, f.concern.value,
                       f.fingerprint, tuple((p.file, p.line, p.note) for p in f.related), f.nodes, f.instances,
                       f.sources))
    return values


_SEVERITIES = {s.value: s for s in Severity}
_CONCERNS = {c.value: c for c in Concern}


def findings(values: list[tuple]) -> list[Finding]:
    """The findings `plain` made."""
    return [Finding(rule, message, file, line, node, fix, key, _SEVERITIES[severity], _CONCERNS[concern],
                    fingerprint, tuple(Location(*place) for place in related), nodes, instances, sources)
            for (rule, message, file, line, node, fix, key, severity, concern, fingerprint, related, nodes,
                 instances, sources) in values]
