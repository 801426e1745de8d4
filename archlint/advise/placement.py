"""Where each workload should run: hard constraints first, then weighted criteria, with the runner-up and why it
lost. Deterministic: same model and weights, same answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from archlint.advise.criteria import CRITERIA
from archlint.advise.signals import USER_TO_REGION_MS, Signals, current_tier
from archlint.model import Component, Tier

#: Candidates in the order ties are broken: the simplest, most general infrastructure first.
CANDIDATES = (Tier.CLOUD, Tier.EDGE, Tier.AI, Tier.GRID)
LABELS = {Tier.GRID: "grid", Tier.CLOUD: "cloud", Tier.EDGE: "edge", Tier.AI: "AI infrastructure"}


class Contribution(NamedTuple):
    """One criterion's part in a candidate's score: `points` is the 0..1 score times the weight.

    A named tuple, not a dataclass: a large system makes tens of thousands of them, and they only carry figures."""

    criterion: str
    score: float
    weight: float
    reason: str
    points: float


@dataclass(frozen=True, slots=True)
class Candidate:
    tier: Tier
    total: float
    contributions: tuple[Contribution, ...]
    #: Why a hard constraint rules it out ("" when allowed).
    excluded: str = ""


@dataclass(frozen=True, slots=True)
class Placement:
    """The advice for one workload."""

    component: Component
    current: Tier | None
    recommended: Candidate
    runner_up: Candidate | None
    candidates: tuple[Candidate, ...]
    #: Why the runner-up lost, in one sentence.
    why_not: str
    #: The criteria that set the recommendation apart from the other candidates, most decisive first.
    reasons: tuple[str, ...]
    #: No candidate met every hard constraint; the best of them is recommended anyway.
    conflict: bool = False

    @property
    def differs(self) -> bool:
        return self.current is not None and self.current is not self.recommended.tier

    def candidate(self, tier: Tier) -> Candidate:
        return next(c for c in self.candidates if c.tier is tier)

    @property
    def ruled_out(self) -> tuple[Candidate, ...]:
        return tuple(c for c in self.candidates if c.excluded)


def constraints(s: Signals) -> dict[Tier, str]:
    """The candidates a hard fact rules out, each with the fact."""
    out: dict[Tier, str] = {}
    if s.accelerator:
        out[Tier.EDGE] = f"{s.accelerator}: edge nodes carry no data-centre accelerators"
        out[Tier.CLOUD] = f"{s.accelerator}: general-purpose cloud compute has none; GPU capacity is AI infrastructure"
        if not s.batch:
            out[Tier.GRID] = f"{s.accelerator} to serve requests: a batch grid cannot answer them"
    if s.interactive and s.latency_ms is not None and s.latency_ms < USER_TO_REGION_MS:
        reason = (f"latency SLO {s.latency_ms:g} ms is below the ~{USER_TO_REGION_MS:g} ms round trip from users to "
                  "the nearest region")
        for tier in (Tier.CLOUD, Tier.AI, Tier.GRID):
            out.setdefault(tier, reason)
    if s.residency:
        origin = f" ({s.residency_from}'s data)" if s.residency_from else ""
        out.setdefault(Tier.EDGE, f"data must stay in {', '.join(s.residency)}{origin}: edge nodes run in every "
                                  "point of presence")
    if s.batch and not s.interactive:
        out.setdefault(Tier.EDGE, f"{s.batch} with no user waiting: edge runtimes are for short requests near users")
    if s.interactive:
        out.setdefault(Tier.GRID, f"{s.interactive}: a batch-scheduled grid queues work, a request cannot wait for "
                                  "a slot")
    return out


@dataclass(frozen=True, slots=True)
class Ranking:
    """The candidates scored and compared: all a placement says but the workload itself. A pure function of the
    criteria's outcomes, the constraints and the weights."""

    candidates: tuple[Candidate, ...]
    best: Candidate
    runner_up: Candidate | None
    why_not: str
    reasons: tuple[str, ...]
    conflict: bool


def place(s: Signals, weights: Mapping[str, float], rankings: dict | None = None) -> Placement:
    """Score every candidate, rule out the constrained ones and pick the best; ties go to the simpler one.

    `rankings` lets the workloads of one model, placed with the same weights, share the ranking of the same
    outcomes: a system of hundreds of workloads has a few dozen distinct ones, and ranking them costs over ten
    times as much as judging."""
    judged = {name: criterion(s) for name, criterion in CRITERIA.items()}
    ruled_out = constraints(s)
    key = (tuple((name, tuple(scores[t] for t in CANDIDATES), reason) for name, (scores, reason) in judged.items()),
           tuple(ruled_out.get(t, "") for t in CANDIDATES))
    ranking = rankings.get(key) if rankings is not None else None
    if ranking is None:
        ranking = _rank(judged, ruled_out, weights)
        if rankings is not None:
            rankings[key] = ranking
    return Placement(s.component, current_tier(s.component), ranking.best, ranking.runner_up, ranking.candidates,
                     ranking.why_not, ranking.reasons, conflict=ranking.conflict)


def _rank(judged: dict[str, tuple[dict[Tier, float], str]], ruled_out: dict[Tier, str],
          weights: Mapping[str, float]) -> Ranking:
    """Score and compare the candidates: what `place` says, but for which workload."""
    factors = [float(weights.get(name, 0.0)) for name in judged]
    candidates = []
    for tier in CANDIDATES:
        parts = tuple(Contribution(name, scores[tier], weight, reason, round(scores[tier] * weight, 2))
                      for (name, (scores, reason)), weight in zip(judged.items(), factors))
        candidates.append(Candidate(tier, round(sum(p.points for p in parts), 2), parts, ruled_out.get(tier, "")))
    allowed = [c for c in candidates if not c.excluded]
    pool = allowed or candidates
    ranked = sorted(pool, key=lambda c: (-c.total, CANDIDATES.index(c.tier)))
    best = ranked[0]
    rest = sorted((c for c in candidates if c is not best), key=lambda c: (bool(c.excluded), -c.total,
                                                                          CANDIDATES.index(c.tier)))
    runner = rest[0] if rest else None
    return Ranking(tuple(candidates), best, runner, _why_not(best, runner), _reasons(best, candidates),
                   conflict=not allowed)


def _why_not(best: Candidate, runner: Candidate | None) -> str:
    if runner is None:
        return ""
    if runner.excluded:
        return f"{LABELS[runner.tier]} is ruled out: {runner.excluded}"
    losses = sorted(((b.points - r.points, b) for b, r in zip(best.contributions, runner.contributions)
                     if b.points > r.points), key=lambda item: (-item[0], item[1].criterion))
    if not losses:
        return f"{LABELS[runner.tier]} ties at {runner.total:g} points; {LABELS[best.tier]} is the simpler choice"
    named = ", ".join(f"{part.criterion.replace('_', ' ')} -{gap:g}" for gap, part in losses[:2])
    return f"{LABELS[runner.tier]} scores {runner.total:g} against {best.total:g}: it loses on {named}"


def _reasons(best: Candidate, candidates: list[Candidate]) -> tuple[str, ...]:
    """The criteria that set the recommendation apart: most points above the other candidates' average."""
    others = [c for c in candidates if c is not best]
    edge = []
    for index, part in enumerate(best.contributions):
        mean = sum(c.contributions[index].points for c in others) / len(others) if others else 0.0
        edge.append((round(part.points - mean, 2), part))
    leading = sorted((e for e in edge if e[0] > 0), key=lambda e: (-e[0], e[1].criterion))
    return tuple(f"{p.criterion.replace('_', ' ')}: {p.reason}" for _, p in leading[:3])
