"""The placement criteria: each scores grid, cloud, edge and AI infrastructure from 0 to 1 for one workload, and
says why in one sentence. The scores follow the seeds' table of the four models (deployment, use case, scaling)."""

from __future__ import annotations

from collections.abc import Callable

from archlint.advise.signals import USER_TO_REGION_MS, Signals
from archlint.model import Tier

G, C, E, A = Tier.GRID, Tier.CLOUD, Tier.EDGE, Tier.AI
Scores = dict[Tier, float]
Criterion = Callable[[Signals], tuple[Scores, str]]
#: Monthly GB exchanged with stores above which a workload belongs next to its data.
HEAVY_DATA_GB = 100.0
#: Requests per second below which an always-on service mostly waits.
LOW_RPS = 5.0


def _scores(grid: float, cloud: float, edge: float, ai: float) -> Scores:
    return {G: grid, C: cloud, E: edge, A: ai}


def latency(s: Signals) -> tuple[Scores, str]:
    if not s.interactive:
        return _scores(.5, .5, .2, .5), "no user waits on it: being close to users buys nothing"
    slo = f" with a {s.latency_ms:g} ms latency SLO" if s.latency_ms is not None else ""
    if s.cloud_callees:
        names = ", ".join(s.cloud_callees[:3])
        return (_scores(0, .8, .4, .7),
                f"{s.interactive}{slo}, but it waits synchronously on {names} in the cloud: at the edge every request "
                f"would still cross a ~{USER_TO_REGION_MS:g} ms round trip to them")
    if s.latency_ms is not None and s.latency_ms <= 2 * USER_TO_REGION_MS:
        return (_scores(0, .4, 1, .4),
                f"{s.interactive}{slo}: the ~{USER_TO_REGION_MS:g} ms round trip from users to a region takes most of it")
    return _scores(0, .8, .9, .7), f"{s.interactive}{slo}: answers users directly, close to them is better"


def data_gravity(s: Signals) -> tuple[Scores, str]:
    if not s.data_gb:
        return _scores(.6, .6, .7, .6), "moves no declared data to or from stores"
    home = s.data_home.name if s.data_home else "its stores"
    where = f" in {s.data_home.region}" if s.data_home and s.data_home.region else ""
    if s.data_gb >= HEAVY_DATA_GB:
        return (_scores(.8, 1, .1, .8),
                f"exchanges {s.data_gb:,.0f} GB a month with its stores, mostly {home}{where}: it belongs next to them")
    return (_scores(.7, .9, .5, .7),
            f"exchanges {s.data_gb:,.1f} GB a month with {home}{where}: light enough to move, better beside it")


def cost(s: Signals) -> tuple[Scores, str]:
    if s.accelerator:
        if s.batch:
            return (_scores(.9, .2, 0, .8),
                    f"{s.batch} that needs accelerators: scheduled GPU capacity (spot or a shared queue) costs least")
        return _scores(.2, .2, 0, .9), "accelerator time is the bill: dedicated, right-sized GPU serving costs least"
    if s.batch:
        return (_scores(1, .6, .2, .1),
                f"{s.batch}: batch-scheduled capacity on spot or preemptible machines costs a fraction of on-demand")
    if s.rps is not None and s.rps < LOW_RPS:
        return (_scores(.2, .8, .8, .1),
                f"{s.rps:g} requests per second: pay-per-use (functions, scale to zero) costs less than machines")
    return _scores(.4, .8, .6, .1), "steady service traffic: on-demand cloud capacity with autoscaling; GPUs would be waste"


def elasticity(s: Signals) -> tuple[Scores, str]:
    burst = s.peak_to_average
    if burst is not None and burst >= 3:
        return (_scores(.3, 1, .9, .5),
                f"bursty load ({burst:g}x peak to average): needs rapid, fine-grained autoscaling")
    if s.batch:
        return _scores(.9, .7, .2, .6), "runs to completion: job-level horizontal scaling fits it"
    if burst is not None:
        return _scores(.6, .8, .7, .5), f"steady load ({burst:g}x peak to average)"
    return _scores(.5, .8, .7, .5), "load shape not declared: on-demand autoscaling is the safe default"


def accelerator(s: Signals) -> tuple[Scores, str]:
    if s.accelerator:
        if s.batch:
            return _scores(.6, .1, 0, 1), f"{s.accelerator}: GPU/TPU clusters with specialised scheduling"
        return _scores(.2, .1, 0, 1), f"{s.accelerator}: model serving on GPU infrastructure"
    return _scores(.6, .7, .7, .1), "needs no accelerator: GPU capacity would sit idle"


def privacy(s: Signals) -> tuple[Scores, str]:
    if s.residency:
        where = ", ".join(s.residency)
        origin = f" ({s.residency_from}'s data)" if s.residency_from else ""
        return (_scores(.7, .9, 0, .7),
                f"data must stay in {where}{origin}: a region in that jurisdiction; edge nodes serve from everywhere")
    if s.classification in ("personal", "regulated"):
        return (_scores(.7, .9, .3, .7),
                f"handles {s.classification} data: fewer copies in fewer places are easier to protect and audit")
    return _scores(.6, .6, .6, .6), "no sensitive data declared"


def resilience(s: Signals) -> tuple[Scores, str]:
    if s.criticality in ("critical", "high"):
        return (_scores(.3, 1, .7, .6),
                f"declared {s.criticality}: multi-zone managed capacity with redundant data paths")
    if s.batch:
        return _scores(.8, .7, .3, .7), "a failed run is retried: job-level fault tolerance is enough"
    return _scores(.5, .8, .7, .6), "no criticality declared"


def throughput(s: Signals) -> tuple[Scores, str]:
    if s.batch and s.data_gb >= HEAVY_DATA_GB:
        return (_scores(1, .7, 0, .7),
                f"a high-throughput job over {s.data_gb:,.0f} GB a month: pooled batch capacity near the data")
    if s.batch:
        return _scores(.9, .7, .2, .6), "batch throughput matters more than response time"
    if s.rps is not None and s.rps >= 1000:
        return _scores(.2, .9, .8, .5), f"{s.rps:,.0f} requests per second: horizontally scaled serving"
    return _scores(.5, .7, .6, .5), "modest throughput"


#: Every criterion by the name its weight has in the configuration, in the order reports list them.
CRITERIA: dict[str, Criterion] = {
    "latency": latency, "data_gravity": data_gravity, "cost": cost, "elasticity": elasticity,
    "accelerator": accelerator, "privacy": privacy, "resilience": resilience, "throughput": throughput}
