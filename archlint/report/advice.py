"""`archlint advise` output: placement of every workload with its reasons, simpler alternatives, the roadmap."""

from __future__ import annotations

import textwrap

from archlint.advise import Advice
from archlint.advise.placement import LABELS, Placement
from archlint.finding import listing
from archlint.model.preferences import Preferences
from archlint.report.jsontext import dumps

CRITERION_NAMES = {"latency": "latency", "data_gravity": "data gravity", "cost": "cost", "elasticity": "elasticity",
                   "accelerator": "accelerator", "privacy": "privacy", "resilience": "resilience",
                   "throughput": "throughput"}


def _points(value: float) -> str:
    return f"{value:.1f}"


def where(placement: Placement) -> str:
    span = placement.component.span
    return f"{span.file}:{span.line}"


def contributions(placement: Placement) -> list[tuple[str, float, float | None, str]]:
    """(criterion, recommended points, runner-up points, reason) in criterion order."""
    runner = placement.runner_up
    rows = []
    for index, part in enumerate(placement.recommended.contributions):
        other = runner.contributions[index].points if runner else None
        rows.append((CRITERION_NAMES[part.criterion], part.points, other, part.reason))
    return rows


def summary_line(advice: Advice) -> str:
    moved = sum(1 for p in advice.placements if p.differs)
    roadmap = advice.roadmap
    step = roadmap.next
    upcoming = f"next: step {step.number}, {step.title.split(':')[0]}" if step else "every step done"
    return (f"{len(advice.placements)} workload{'s' if len(advice.placements) != 1 else ''} placed, {moved} "
            f"recommended elsewhere · {len(advice.simplifications)} simpler alternative"
            f"{'s' if len(advice.simplifications) != 1 else ''} · roadmap: step {roadmap.reached} of 6 reached, "
            f"{upcoming}")


#: `archlint advise` lines are wrapped to this many columns, continuation lines indented under their item.
WIDTH = 100
#: Names listed on a line that stands for several workloads, before "and N more".
_LISTED = 8


def _block(advice: Advice, placement: Placement) -> list[str]:
    """What `archlint advise` says about one workload, after its title line."""
    best, runner = placement.recommended, placement.runner_up
    now = LABELS[placement.current] if placement.current else "not declared"
    head = f"  now: {now} · recommended: {LABELS[best.tier]} ({_points(best.total)} points)"
    if runner:
        head += f" · runner-up: {LABELS[runner.tier]} ({_points(runner.total)})"
    lines = [head]
    if placement.conflict:
        lines.append("  ! no candidate meets every hard constraint: the best of them is shown")
    lines += [f"  + {reason}" for reason in placement.reasons]
    lines += [f"  x {LABELS[out.tier]} ruled out: {out.excluded}" for out in placement.ruled_out]
    if placement.why_not:
        lines.append(f"  why not {LABELS[runner.tier]}: {placement.why_not}")
    parts = " · ".join(f"{name} {_points(mine)}" + (f"/{_points(other)}" if other is not None else "")
                       for name, mine, other, _ in contributions(placement))
    lines.append(f"  criteria ({LABELS[best.tier]}/{LABELS[runner.tier] if runner else '-'}): {parts}")
    if placement.differs:
        lines.append(f"  expected gain: {advice.gains[placement.component.id].text()}")
    return lines


def _groups(advice: Advice) -> list[list[Placement]]:
    """Placements in component order, those that would print the same advice (and stay where they are) together:
    eight workloads with nothing that tells them apart are one entry, not eight identical blocks."""
    groups: dict[tuple, list[Placement]] = {}
    for placement in advice.placements:
        key = (placement.component.id,) if placement.differs else (placement.component.kind, *_block(advice, placement))
        groups.setdefault(key, []).append(placement)
    return list(groups.values())


def _wrap(line: str, width: int = WIDTH) -> list[str]:
    if len(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.wrap(line, width, subsequent_indent=indent + "    ", break_on_hyphens=False) or [line]


def text(advice: Advice, preferences: Preferences) -> str:
    weights = ", ".join(f"{CRITERION_NAMES[k]} {v:g}" for k, v in preferences.weights.items())
    lines = [f"archlint advise: {summary_line(advice)}", "",
             f"Placement (hard constraints first, then weighted criteria; weights: {weights})", ""]
    for group in _groups(advice):
        first = group[0]
        component = first.component
        if len(group) == 1:
            marker = "  <- differs" if first.differs else ""
            lines.append(f"{component.name} ({component.kind.value}, {where(first)}){marker}")
        else:
            names = listing((p.component.name for p in group), _LISTED)
            lines.append(f"{len(group)} {component.kind.value} workloads with the same advice: {names} (first at "
                         f"{where(first)})")
        lines += _block(advice, first)
        lines.append("")
    lines += _not_placed(advice)
    if advice.simplifications:
        lines += ["Simpler alternatives (the most scalable code is the code you don't write)", ""]
        for item in advice.simplifications:
            span = item.component.span
            lines.append(f"{item.component.name} ({span.file}:{span.line}): {item.software} -> {item.offering}")
            lines.append(f"  {item.operations}; {item.difference()}")
            if item.source:
                lines.append(f"  priced: {item.source}")
        lines.append("")
    lines += ["Roadmap", ""]
    for step in advice.roadmap.steps:
        lines.append(f"{step.number}. {step.title}: {step.status}")
        for check in step.checks:
            mark = {True: "+", False: "-", None: "."}[check.met]
            lines.append(f"   {mark} {check.name}: {check.evidence}")
    step = advice.roadmap.next
    if step:
        lines += ["", f"Next: step {step.number}, {step.title}"]
        lines += [f"  - {c.change}" for c in step.missing()[:3]]
    return "\n".join(wrapped for line in lines for wrapped in _wrap(line)).rstrip() + "\n"


def _not_placed(advice: Advice) -> list[str]:
    """Stores and load balancers are not placed as compute: they run where their data and what they front run."""
    from archlint.advise.signals import STORES
    from archlint.model import NodeKind

    placed = {p.component.id for p in advice.placements}
    stores = [c.name for c in advice.model.components(*STORES)]
    fronts = [c.name for c in advice.model.components(NodeKind.GATEWAY) if c.id not in placed]
    parts = ([f"stores ({len(stores)}: {listing(stores, _LISTED)}) stay with their data and the workloads that "
              "read it"] if stores else []) + (
        [f"load balancers and gateways ({len(fronts)}: {listing(fronts, _LISTED)}) run in front of what they "
         "route to"] if fronts else [])
    return [f"Not placed: {'; '.join(parts)}.", ""] if parts else []


def as_data(advice: Advice, preferences: Preferences) -> dict:
    """The advice as plain data (the JSON format; schemas/advice.schema.json)."""
    placements = []
    for p in advice.placements:
        gain = advice.gains[p.component.id]
        placements.append({
            "node": p.component.id, "name": p.component.name, "kind": p.component.kind.value,
            "file": p.component.span.file, "line": p.component.span.line,
            "current": p.current.value if p.current else None, "recommended": p.recommended.tier.value,
            "runner_up": p.runner_up.tier.value if p.runner_up else None, "why_not": p.why_not,
            "reasons": list(p.reasons), "conflict": p.conflict,
            "candidates": [{"tier": c.tier.value, "total": c.total, "excluded": c.excluded or None,
                            "criteria": [{"criterion": x.criterion, "score": x.score, "weight": x.weight,
                                          "points": x.points, "reason": x.reason} for x in c.contributions]}
                           for c in p.candidates],
            "gain": {"latency_ms": gain.latency_ms, "data_gb_month": gain.data_gb, "usd_month": gain.usd_month,
                     "notes": list(gain.notes)} if p.differs else None})
    simpler = [{"node": s.component.id, "name": s.component.name, "kind": s.kind, "what": s.software,
                "offering": s.offering, "current_usd_month": s.current_usd, "managed_usd_month": s.managed_usd,
                "priced": s.source or None, "operations": s.operations} for s in advice.simplifications]
    roadmap = advice.roadmap
    steps = [{"step": s.number, "title": s.title, "status": s.status,
              "checks": [{"name": c.name, "met": c.met, "evidence": c.evidence, "change": c.change or None,
                          "node": c.anchor.id if c.anchor else None} for c in s.checks]} for s in roadmap.steps]
    return {"weights": dict(preferences.weights), "placements": placements, "simplifications": simpler,
            "roadmap": {"reached": roadmap.reached, "next": roadmap.next.number if roadmap.next else None,
                        "steps": steps}}


def as_json(advice: Advice, preferences: Preferences, version: str) -> str:
    return dumps({"archlint": version, **as_data(advice, preferences)}, end="\n")
