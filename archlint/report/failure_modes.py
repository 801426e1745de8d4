"""`archlint failure-modes` output: journeys, the matrix of disruptions by journeys (outcome, RTO, RPO, through
which component, what would fix it), the journeys' availability; as text and as JSON (schemas/failure-modes)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from archlint.model import SystemModel
from archlint.resilience import DEGRADED, FAILS, SURVIVED, UNKNOWN_OUTCOME, Assessment, Cell, Disruption, Journey
from archlint.resilience.estimate import duration

SCHEMA = "https://archlint.dev/schemas/failure-modes.schema.json"
MARK = {FAILS: "FAILS", DEGRADED: "degraded", SURVIVED: "survives", UNKNOWN_OUTCOME: "unknown"}


@dataclass
class FailureModes:
    """What the formatters receive: the assessment, the model for names and lines, the disruptions to show."""

    version: str
    assessment: Assessment
    model: SystemModel
    #: Disruption ids a `--disruption` what-if asked for; empty: every disruption.
    only: tuple[str, ...] = ()
    fixes: object = None
    _fix_cache: dict = field(default_factory=dict)

    def shown(self) -> list[Disruption]:
        """The disruptions to show: those asked for, else those that touch a journey."""
        listed = self.assessment.disruptions
        if self.only:
            return [d for d in listed if d.id in self.only]
        return [d for d in listed if self.assessment.touched.get(d.id)]

    def cell(self, journey: Journey, disruption: Disruption) -> Cell | None:
        return self.assessment.cell(journey.name, disruption.id)

    def reaches(self, journey: Journey, disruption: Disruption) -> bool:
        """The journey reaches the component a disruption of one component is about (it survives it)."""
        return disruption.subject in journey.reach

    def name(self, node_id: str | None) -> str:
        return self.model.component(node_id).name if node_id and node_id in self.model else (node_id or "")

    def fix(self, cell: Cell, disruption: Disruption):
        """The change that would fix a failing cell (cached per component and disruption kind)."""
        if self.fixes is None or cell.outcome != FAILS or cell.decider is None:
            return None
        objective = self.assessment.objective(cell.journey, disruption)
        key = (cell.decider, disruption.kind, objective)
        if key not in self._fix_cache:
            self._fix_cache[key] = self.fixes.best(self.model.component(cell.decider), disruption.kind, objective)
        return self._fix_cache[key]


def explain(report: FailureModes, cell: Cell, disruption: Disruption) -> str:
    """A cell in a few sentences, for a hover or a pull request."""
    head, *rest = sentences(report, cell, disruption)
    return f"{disruption.label}: {head}. " + " ".join(f"{part}." for part in rest)


def sentences(report: FailureModes, cell: Cell, disruption: Disruption) -> list[str]:
    """The cell's outcome, then what decides it, the estimates, notes, assumptions, policy, fix and sources."""
    head = f"{cell.journey} {MARK[cell.outcome].lower()}"
    if cell.through:
        head += " through " + ", ".join(report.name(n) for n in cell.through)
    parts = [head]
    if cell.recovery is not None:
        parts.append(f"{report.name(cell.decider)}: {cell.recovery.says}")
    estimates = []
    if cell.rto is not None:
        estimates.append(f"recovery time {cell.rto.text()}")
    if cell.rpo is not None:
        who = f" ({report.name(cell.rpo_decider)})" if cell.rpo_decider and cell.rpo_decider != cell.decider else ""
        estimates.append(f"data lost {cell.rpo.text()}{who}")
    if estimates:
        parts.append(", ".join(estimates))
    parts += list(cell.notes[:4])
    if cell.assumptions:
        parts.append("assuming " + "; ".join(cell.assumptions[:3]))
    objective = report.assessment.objective(cell.journey, disruption)
    policy = report.assessment.policies.get(cell.journey)
    if objective is not None and policy is not None:
        limits = ", ".join(f"{m.upper()} {duration(v) if v else 'none'}" for m, v in (("rto", objective.rto),
                                                                                     ("rpo", objective.rpo)) if v is not None)
        verdict = f"broken ({', '.join(b.upper() for b in cell.breaches)})" if cell.breaches else "met"
        parts.append(f"policy {policy.name} ({limits}): {verdict}")
    found = report.fix(cell, disruption)
    if found and found[0] is not None:
        parts.append(f"fix: {found[0].text()}")
    for figure in cell.figures:
        parts.append(f"source: {figure.source} ({figure.date}): {figure.says}")
    return parts


def text(report: FailureModes) -> str:
    assessment = report.assessment
    shown = report.shown()
    journeys = assessment.journeys
    cells = [c for c in assessment.cells.values()]
    breaking = sum(1 for c in cells if c.breaches)
    out = [f"archlint failure-modes: {len(journeys)} journey{'s' if len(journeys) != 1 else ''}, "
           f"{len(assessment.disruptions)} disruptions ({len([d for d in assessment.disruptions if assessment.touched.get(d.id)])} "
           f"touch a journey) · {sum(1 for c in cells if c.outcome == FAILS)} failing cells, "
           f"{breaking} breaking the policy", f"recovery figures of {assessment.figures_date} "
           "(archlint failure-modes --figures)", ""]
    if not journeys:
        out.append("No journey: no entrypoint and no `journeys:` in a service graph, so there is nothing to assess.")
        return "\n".join(out) + "\n"
    out.append("Journeys")
    for journey in journeys:
        out.append("  " + _journey_line(report, journey))
    for problem in assessment.problems:
        out.append(f"  ! {problem.span.file}:{problem.span.line}: {problem.message}")
    out.append("")
    if not shown:
        out.append("No disruption touches a journey." if not report.only else "No such disruption.")
        return "\n".join(out) + "\n"
    if len(journeys) <= 6:
        out += _grid(report, shown) + ["(- : the disruption does not touch the journey; !policy: breaks its policy)",
                                       ""]
    for disruption in shown:
        lines = []
        for journey in journeys:
            cell = report.cell(journey, disruption)
            if cell is None or (cell.outcome == SURVIVED and not report.only):
                continue
            head, *rest = sentences(report, cell, disruption)
            lines += [f"  {head}", *[f"    {part}" for part in rest]]
        if lines:
            out += [f"{disruption.label} [{disruption.id}]", *lines, ""]
    return "\n".join(out).rstrip() + "\n"


def _journey_line(report: FailureModes, journey: Journey) -> str:
    assessment = report.assessment
    span = journey.span
    policy = assessment.policies.get(journey.name)
    waits = len(journey.required()) - 1
    later = len(journey.reach) - waits - 1
    line = f"{journey.name}: entry {journey.entry.name} ({span.file}:{span.line}), " \
           f"{'declared' if journey.declared else 'derived'}, waits on {waits} component{'s' if waits != 1 else ''}" \
           + (f", {later} more reached asynchronously" if later else "")
    line += f" · policy {policy.name}" if policy else " · no policy"
    availability = assessment.availability.get(journey.name)
    if availability is not None:
        target = journey.declared.availability if journey.declared and journey.declared.availability else \
            policy.availability if policy else None
        line += f" · availability {availability.percent:.3f}%" + (f" (target {target:g}%)" if target else "")
    return line


def _grid(report: FailureModes, shown: list[Disruption]) -> list[str]:
    journeys = report.assessment.journeys
    rows = [["DISRUPTION", *[j.name for j in journeys]]]
    for disruption in shown:
        row = [disruption.id]
        for journey in journeys:
            cell = report.cell(journey, disruption)
            row.append(_short(cell) if cell or not report.reaches(journey, disruption) else MARK[SURVIVED])
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in rows]


def _short(cell: Cell | None) -> str:
    if cell is None:
        return "-"
    text = MARK[cell.outcome]
    if cell.outcome == FAILS and cell.rto is not None:
        text += f" {cell.rto.text()}"
    if cell.breaches:
        text += " !policy"
    return text


def as_json(report: FailureModes) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"


def as_dict(report: FailureModes) -> dict:
    assessment = report.assessment
    shown = {d.id for d in report.shown()}
    by_id = {d.id: d for d in assessment.disruptions}
    journeys = [_journey_json(report, j) for j in assessment.journeys]
    cells = []
    for (journey, disruption), cell in sorted(assessment.cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if disruption in shown and (cell.outcome != SURVIVED or report.only or by_id[disruption].broad):
            cells.append(_cell_json(report, cell, by_id[disruption]))
    disruptions = [{"id": d.id, "kind": d.kind, "subject": d.subject, "label": d.label, "system": d.system,
                    "journeys_touched": assessment.touched.get(d.id, 0),
                    "fails": sum(1 for j in assessment.journeys if (c := assessment.cell(j.name, d.id)) and c.outcome == FAILS)}
                   for d in assessment.disruptions if d.id in shown]
    return {
        "$schema": SCHEMA, "tool": "archlint", "version": report.version, "figures_date": assessment.figures_date,
        "only": list(report.only),
        "summary": {"journeys": len(journeys), "disruptions": len(assessment.disruptions),
                    "disruptions_touching_journeys": sum(1 for d in assessment.disruptions if assessment.touched.get(d.id)),
                    "fails": sum(1 for c in assessment.cells.values() if c.outcome == FAILS),
                    "degraded": sum(1 for c in assessment.cells.values() if c.outcome == DEGRADED),
                    "breaches": sum(1 for c in assessment.cells.values() if c.breaches)},
        "journeys": journeys, "disruptions": disruptions, "cells": cells,
        "problems": [{"journey": p.journey, "message": p.message, "file": p.span.file, "line": p.span.line}
                     for p in assessment.problems],
    }


def _journey_json(report: FailureModes, journey: Journey) -> dict:
    assessment = report.assessment
    policy = assessment.policies.get(journey.name)
    availability = assessment.availability.get(journey.name)
    declared = journey.declared
    target = declared.availability if declared and declared.availability is not None else \
        policy.availability if policy else None
    return {"name": journey.name, "entry": journey.entry.id, "declared": declared is not None,
            "file": journey.span.file, "line": journey.span.line, "criticality": journey.criticality,
            "system": journey.system, "policy": policy.name if policy else None,
            "synchronous": sorted(journey.required()),
            "asynchronous": sorted(n for n, r in journey.reach.items() if r.mode != "sync"),
            "availability": None if availability is None else {
                "percent": round(availability.percent, 6), "target": target,
                "factors": [{"what": f.what, "percent": f.percent, "component": f.component,
                             "source": f.figure.source if f.figure else None} for f in availability.factors],
                "uncounted": list(availability.uncounted)}}


def _cell_json(report: FailureModes, cell: Cell, disruption: Disruption) -> dict:
    objective = report.assessment.objective(cell.journey, disruption)
    found = report.fix(cell, disruption)
    fix = found[0] if found else None
    return {
        "journey": cell.journey, "disruption": cell.disruption, "outcome": cell.outcome,
        "through": list(cell.through), "rto": cell.rto.as_json() if cell.rto else None,
        "rpo": cell.rpo.as_json() if cell.rpo else None, "decider": cell.decider, "rpo_decider": cell.rpo_decider,
        "mechanism": cell.recovery.mechanism if cell.recovery else None,
        "says": cell.recovery.says if cell.recovery else None,
        "at": {"file": cell.recovery.span.file, "line": cell.recovery.span.line}
        if cell.recovery and cell.recovery.span else None,
        "sources": [{"mechanism": f.mechanism, "measure": f.measure, "says": f.says, "source": f.source,
                     "date": f.date, "declared": f.declared or None} for f in cell.figures],
        "notes": list(cell.notes), "assumptions": list(cell.assumptions),
        "objective": None if objective is None else {"rto": objective.rto, "rpo": objective.rpo},
        "breaches": list(cell.breaches),
        "fix": None if fix is None else {"change": fix.change, "monthly_usd": None if fix.usd is None else round(fix.usd, 2),
                                         "cost": fix.cost, "rto": fix.rto.as_json(),
                                         "meets_policy": found[1]},
        "explanation": explain(report, cell, disruption),
    }


def figures_text(table) -> str:
    """`archlint failure-modes --figures`: every row of the recovery figures, with its source and date."""
    from archlint.resilience.estimate import Estimate

    out = [f"Recovery figures (read {table.date}; override them under resilience.figures in .archlint.yaml)", ""]
    for row in sorted(table.rows, key=lambda r: (r.mechanism, r.measure, r.provider or "")):
        if row.measure in ("rto", "rpo"):
            value = Estimate(row.low, row.high, row.typical).text()
        elif row.measure == "availability":
            value = f"{row.low:g}%" if row.low is not None else "not documented"
        else:
            value = f"{row.low / 2**20:g} to {row.high / 2**20:g} MiB/s" if row.low and row.high else "not documented"
        out.append(f"{row.mechanism} [{row.provider or 'any'}] {row.measure}: {value}"
                   + (f" (yours: {row.declared})" if row.declared else ""))
        out.append(f"  {row.says}")
        out.append(f"  {row.source} ({row.date})")
    return "\n".join(out) + "\n"
