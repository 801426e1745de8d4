"""A large flow of data crosses regions or providers.

What it flags: a dependency whose declared traffic (`rate` x `payload`, or `volume_per_day`) moves at least
`min_monthly_gb` (default 1,000 GB) or costs at least `min_monthly_usd` (default $100) a month between two regions,
two providers, or over the internet to an external service. Either threshold can be set to null to use only the
other. The message gives the volume, the transfer cost with the catalog price it used (the sender's, since egress
is billed where bytes leave), the path with its regions, and the change that removes most of the traffic with its
saving: moving the compute next to the data (net of the move's effect on its other flows), a cache next to the
caller (at `cache_hit_ratio`, default 80%), or passing references (`reference_bytes`, default 1 KB) instead of
payloads. Edges whose locations or volumes are not declared are not judged.
Why it matters: data has gravity. Moving it across regions is billed per GB on every provider and adds tens of
milliseconds per round trip; a flow that looks small per call (a 200 KB read at 40 calls/s) is 21 TB and $420 a
month between two AWS regions, every month, for as long as nobody looks.
How to fix: run the compute where its data lives (same region), keep a cache or a read replica next to the
caller, or send identifiers and let the receiver read the data where it already is. If the flow is deliberate
(disaster-recovery replication, a regional copy), suppress it with that reason.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import EdgeKind
from archlint.model.locality import PULLED, REMOTE
from archlint.rules.base import RuleMeta, finding
from archlint.rules.data_gravity import figures as fig

META = RuleMeta(
    id="DG001", name="large-cross-region-flow", title="Large data flow across regions or providers",
    concern=Concern.DATA_GRAVITY, severity=Severity.WARNING,
    options={"min_monthly_gb": 1000, "min_monthly_usd": 100, "cache_hit_ratio": 0.8, "reference_bytes": 1000},
    options_schema={"min_monthly_gb": {"type": ["number", "null"], "minimum": 0},
                    "min_monthly_usd": {"type": ["number", "null"], "minimum": 0},
                    "cache_hit_ratio": {"type": "number", "minimum": 0, "maximum": 1},
                    "reference_bytes": {"type": "number", "exclusiveMinimum": 0}})

_CACHEABLE = frozenset({EdgeKind.READS, EdgeKind.CALLS})


def check(model, options):
    for dep in model.dependencies():
        if dep.source == dep.target:
            continue
        figures = fig.flow_of(model, dep, options)
        if figures.transfer_class not in REMOTE or figures.monthly_gb is None or not _large(figures, options):
            continue
        caller, callee = model.component(dep.source), model.component(dep.target)
        best = _best_remedy(model, figures, caller, callee, options)
        remedy = f"; best remedy: {best}" if best else ("; no move, cache or reference in the model removes it: if it "
                                                          "must cross, send less (changes only, compressed)")
        yield finding(META, caller, f"{caller.name} -> {callee.name} ({dep.kind.value}) "
                      f"{fig.CROSSES[figures.transfer_class]}: {fig.place(caller)} -> {fig.place(callee)}"
                      f"{fig.span_of_regions(caller, callee)}, {fig.gb(figures.monthly_gb)}/month, "
                      f"{fig.cost_text(figures, model)}{remedy}",
                      "Run the compute where its data lives, cache next to the caller, or pass references instead "
                      "of payloads.", span=dep.span, key=f"{dep.target}/{dep.kind.value}", nodes=(callee.id,))


def _large(figures, options) -> bool:
    least_gb, least_usd = options.get("min_monthly_gb"), options.get("min_monthly_usd")
    if least_gb is not None and figures.monthly_gb >= least_gb:
        return True
    return least_usd is not None and figures.monthly_usd is not None and figures.monthly_usd >= least_usd


def _best_remedy(model, figures, caller, callee, options) -> str:
    """The remedy that removes the most GB a month (ties: move, then cache, then references), with its saving."""
    dep, volume, cost = figures.edge, figures.monthly_gb, figures.monthly_usd

    def saves(part: float) -> str:
        return f" and saves {fig.usd(cost * part)}/month" if cost is not None else ""

    remedies: list[tuple[float, str]] = []
    for mover, to in ((caller, callee), (callee, caller)):
        if fig.movable(mover) and fig.hosts_compute(to):
            moved = fig.move(model, mover, to, options)
            if moved.removed_gb > 0:
                remedies.append((moved.removed_gb, moved.text()))
    if dep.kind in _CACHEABLE and callee.kind in fig.STORES:
        hit = options["cache_hit_ratio"]
        remedies.append((volume * hit, f"a cache next to {caller.name} answering {hit:.0%} of its reads removes "
                         f"{fig.gb(volume * hit)}/month{saves(hit)}"))
    reference = options["reference_bytes"]
    if dep.kind not in PULLED and dep.bytes_per_call is not None and dep.bytes_per_call >= 10 * reference:
        cut = 1 - reference / dep.bytes_per_call
        remedies.append((volume * cut, f"passing {fig.size(reference)} references instead of "
                         f"{fig.size(dep.bytes_per_call)} payloads (the receiver reads the data where it lives) "
                         f"removes {fig.gb(volume * cut)}/month{saves(cut)}"))
    if not remedies:
        return ""
    # max() keeps the first of equals, so the order above breaks ties.
    return max(remedies, key=lambda remedy: remedy[0])[1]
