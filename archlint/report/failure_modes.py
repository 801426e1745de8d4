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
        return self.assessment.cell(journey.key, disruption.id)

    def rows(self) -> list[dict[str | None, Disruption]]:
        """The shown disruptions folded over variants: each row maps a variant (None: every variant) to the
        disruption of that variant (the same component's node, failure, ...)."""
        rows: dict[tuple, dict[str | None, Disruption]] = {}
        for disruption in self.shown():
            rows.setdefault((disruption.system, disruption.fold), {})[disruption.variant] = disruption
        return list(rows.values())

    def at(self, journey: Journey, row: dict[str | None, Disruption]) -> Disruption | None:
        """The disruption of a folded row that concerns the journey's variant."""
        disruption = row.get(journey.variant) or row.get(None)
        if disruption is None or (disruption.system is not None and disruption.system != journey.system):
            return None
        return disruption

    def columns(self, rows: list[dict]) -> list[list[Journey]]:
        """Journeys of one name in one system, their variants folded together when their rows are the same."""
        groups: dict[tuple, list[Journey]] = {}
        for journey in self.assessment.journeys:
            groups.setdefault((journey.system, journey.name), []).append(journey)
        found = []
        for members in groups.values():
            same: dict[tuple, list[Journey]] = {}
            for journey in members:
                signature = tuple(_short(self.cell(journey, d)) if (d := self.at(journey, row)) else "-" for row in rows)
                same.setdefault(signature, []).append(journey)
            found += list(same.values())
        return found

    def title(self, column: list[Journey]) -> str:
        """A column's heading: the journey's name, and which variants it stands for when there are several."""
        first = column[0]
        siblings = sum(1 for j in self.assessment.journeys if (j.system, j.name) == (first.system, first.name))
        if siblings == 1:
            return first.name
        if len(column) == siblings:
            return f"{first.name} ({siblings} variants)"
        return f"{first.name} [" + ", ".join(j.variant or "-" for j in column) + "]"

    def journey_name(self, key: str) -> str:
        journey = self.assessment.journey(key)
        return journey.name

    def reaches_or_cell(self, journey: Journey, disruption: Disruption) -> bool:
        """The disruption touches the journey: a cell, or the component it is about is on the journey's way."""
        return self.cell(journey, disruption) is not None or self.reaches(journey, disruption)

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
    head = f"{report.journey_name(cell.journey)} {MARK[cell.outcome].lower()}"
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
    rows = report.rows()
    columns = report.columns(rows)
    systems = list(dict.fromkeys(c[0].system for c in columns))
    for system in systems:
        mine = [c for c in columns if c[0].system == system]
        touched = [row for row in rows if any(report.at(c[0], row) is not None and
                                              report.reaches_or_cell(c[0], report.at(c[0], row)) for c in mine)]
        if len(systems) > 1:
            out += [f"System {system or '(no system)'}", ""]
        if len(mine) <= 6:
            out += _grid(report, touched, mine) + [
                "(- : the disruption does not touch the journey; !policy: breaks its policy)", ""]
        out += _details(report, touched, mine)
    return "\n".join(out).rstrip() + "\n"


def _details(report: FailureModes, rows: list[dict], columns: list[list[Journey]]) -> list[str]:
    out = []
    for row in rows:
        lines = []
        first = next(iter(row.values()))
        for column in columns:
            journey = column[0]
            disruption = report.at(journey, row)
            cell = report.cell(journey, disruption) if disruption else None
            if cell is None or (cell.outcome == SURVIVED and not report.only):
                continue
            head, *rest = sentences(report, cell, disruption)
            lines += [f"  {report.title(column)}: " + head.split(" ", 1)[1], *[f"    {part}" for part in rest]]
        if lines:
            out += [f"{first.label} [{first.fold}]", *lines, ""]
    return out


def _journey_line(report: FailureModes, journey: Journey) -> str:
    assessment = report.assessment
    span = journey.span
    policy = assessment.policies.get(journey.key)
    waits = len(journey.required()) - 1
    later = len(journey.reach) - waits - 1
    variant = f" [{journey.variant}]" if journey.variant else ""
    line = f"{journey.name}{variant}: entry {journey.entry.name} ({span.file}:{span.line}), " \
           f"{'declared' if journey.declared else 'derived'}, waits on {waits} component{'s' if waits != 1 else ''}" \
           + (f", {later} more reached asynchronously" if later else "")
    line += f" · policy {policy.name}" if policy else " · no policy"
    availability = assessment.availability.get(journey.key)
    if availability is not None:
        target = journey.declared.availability if journey.declared and journey.declared.availability else \
            policy.availability if policy else None
        line += f" · availability {availability.percent:.3f}%" + (f" (target {target:g}%)" if target else "")
    return line


def _grid(report: FailureModes, rows: list[dict], columns: list[list[Journey]]) -> list[str]:
    table = [["DISRUPTION", *[report.title(c) for c in columns]]]
    for row in rows:
        line = [next(iter(row.values())).fold]
        for column in columns:
            journey = column[0]
            disruption = report.at(journey, row)
            cell = report.cell(journey, disruption) if disruption else None
            line.append(_short(cell) if cell or not disruption or not report.reaches(journey, disruption)
                        else MARK[SURVIVED])
        table.append(line)
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    return ["  ".join(value.ljust(width) for value, width in zip(line, widths)).rstrip() for line in table]


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
                    "fails": sum(1 for j in assessment.journeys if (c := assessment.cell(j.key, d.id)) and c.outcome == FAILS)}
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
    policy = assessment.policies.get(journey.key)
    availability = assessment.availability.get(journey.key)
    declared = journey.declared
    target = declared.availability if declared and declared.availability is not None else \
        policy.availability if policy else None
    return {"key": journey.key, "name": journey.name, "variant": journey.variant, "entry": journey.entry.id,
            "declared": declared is not None,
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
