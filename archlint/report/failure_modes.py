"""`archlint failure-modes` output: journeys, the matrix of disruptions by journeys (outcome, RTO, RPO, through
which component, what would fix it), the journeys' availability; as text and as JSON (schemas/failure-modes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.model import SystemModel
from archlint.model.resilience import Objective
from archlint.resilience import DEGRADED, FAILS, SURVIVED, UNKNOWN_OUTCOME, Assessment, Cell, Disruption, Journey
from archlint.resilience.estimate import duration
from archlint.report.jsontext import dumps

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
            if len(members) == 1:
                found.append(members)
                continue
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
        if objective is not None and cell.breaches and len(cell.breaches) == 1:  # fix what the cell breaks
            objective = Objective(objective.rto, None) if cell.breaches == ("rto",) else Objective(None, objective.rpo)
        key = (cell.decider if cell.breaches != ("rpo",) else cell.rpo_decider, disruption.kind, objective)
        if key not in self._fix_cache:
            self._fix_cache[key] = self.fixes.best(self.model.component(key[0]), disruption.kind, objective)
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
        keys = {j.key for c in mine for j in c}
        touched = [row for row in rows if any(report.assessment.touched.get(d.id) and d.system in (None, system)
                                              for d in row.values())]
        if len(systems) > 1:
            out += [f"System {system or '(no system)'}", ""]
        if len(mine) <= 6:
            out += _grid(report, touched, mine) + [
                "(- : the disruption does not touch the journey; !policy: breaks its policy)", ""]
        cells = sum(1 for journey, _ in report.assessment.cells if journey in keys)
        if cells <= DETAILED or report.only:
            out += _details(report, touched, mine)
        else:
            out += _summary(report, touched, mine)
    return "\n".join(out).rstrip() + "\n"


#: Beyond this many cells a system's matrix is summarised per disruption (the cells breaking a policy in full).
DETAILED = 150


def _summary(report: FailureModes, rows: list[dict], columns: list[list[Journey]]) -> list[str]:
    out = [f"{sum(len(c) for c in columns)} journeys: each disruption with the journeys it fails or degrades; the "
           "cells that break a policy in full (--format json has every cell, --disruption one what-if)", ""]
    breaking = []
    for row in rows:
        first = next(iter(row.values()))
        outcomes: dict[str, list[str]] = {}
        for column in columns:
            disruption = report.at(column[0], row)
            cell = report.cell(column[0], disruption) if disruption else None
            if cell is None or cell.outcome == SURVIVED:
                continue
            outcomes.setdefault(cell.outcome, []).append(report.title(column))
            if cell.breaches:
                breaking.append((row, column))
        if outcomes:
            parts = [f"{MARK[o].lower()} {len(names)} ({_first(names)})" for o, names in outcomes.items()]
            out.append(f"  {first.fold}: " + "; ".join(parts))
    if breaking:
        out += ["", "Cells that break the policy", ""]
        rows_broken = list({id(r): r for r, _ in breaking}.values())
        columns_broken = list({id(c): c for _, c in breaking}.values())
        out += _details(report, rows_broken, columns_broken, breaking_only=True)
    return out + [""]


def _first(names: list[str], limit: int = 4) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _details(report: FailureModes, rows: list[dict], columns: list[list[Journey]], breaking_only: bool = False) -> list[str]:
    out = []
    for row in rows:
        lines = []
        first = next(iter(row.values()))
        for column in columns:
            journey = column[0]
            disruption = report.at(journey, row)
            cell = report.cell(journey, disruption) if disruption else None
            if cell is None or (cell.outcome == SURVIVED and not report.only) or (breaking_only and not cell.breaches):
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
    return dumps(as_dict(report), ensure_ascii=False, end="\n")


def as_dict(report: FailureModes) -> dict:
    assessment = report.assessment
    shown = {d.id for d in report.shown()}
    by_id = {d.id: d for d in assessment.disruptions}
    journeys = [_journey_json(report, j) for j in assessment.journeys]
    cells, figures, fixes = [], {}, {}
    fails: dict[str, int] = {}
    for (journey, disruption), cell in sorted(assessment.cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if cell.outcome == FAILS:
            fails[disruption] = fails.get(disruption, 0) + 1
        if disruption in shown and (cell.outcome != SURVIVED or report.only or by_id[disruption].broad):
            cells.append(_cell_json(report, cell, by_id[disruption], figures, fixes))
    disruptions = [{"id": d.id, "kind": d.kind, "subject": d.subject, "label": d.label, "system": d.system,
                    "variant": d.variant, "journeys_touched": assessment.touched.get(d.id, 0),
                    "fails": fails.get(d.id, 0)} for d in assessment.disruptions if d.id in shown]
    return {
        "$schema": SCHEMA, "tool": "archlint", "version": report.version, "figures_date": assessment.figures_date,
        "only": list(report.only),
        "summary": {"journeys": len(journeys), "disruptions": len(assessment.disruptions),
                    "disruptions_touching_journeys": sum(1 for d in assessment.disruptions if assessment.touched.get(d.id)),
                    "fails": sum(fails.values()),
                    "degraded": sum(1 for c in assessment.cells.values() if c.outcome == DEGRADED),
                    "breaches": sum(1 for c in assessment.cells.values() if c.breaches)},
        "journeys": journeys, "disruptions": disruptions, "cells": cells,
        "figures": dict(sorted(figures.items())), "fixes": dict(sorted(fixes.items())),
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


def _at(span) -> dict | None:
    return {"file": span.file, "line": span.line} if span is not None else None


#: Notes a JSON cell lists before it says how many more there are.
NOTES = 6


def _cell_json(report: FailureModes, cell: Cell, disruption: Disruption, figures: dict, fixes: dict) -> dict:
    """A cell; the figures and fixes it names go once into the document's `figures` and `fixes`."""
    objective = report.assessment.objective(cell.journey, disruption)
    sources = []
    for f in cell.figures:
        key = f"{f.mechanism}:{f.measure}:{f.provider or 'any'}"
        sources.append(key)
        figures.setdefault(key, {"mechanism": f.mechanism, "measure": f.measure, "provider": f.provider,
                                 "says": f.says, "source": f.source, "date": f.date, "declared": f.declared or None})
    found = report.fix(cell, disruption)
    fix_key = None
    if found and found[0] is not None:
        fix, meets = found
        fix_key = f"{disruption.kind}:{cell.decider}"
        fixes.setdefault(fix_key, {"change": fix.change, "monthly_usd": None if fix.usd is None else round(fix.usd, 2),
                                   "cost": fix.cost, "rto": fix.rto.as_json(), "meets_policy": meets,
                                   "at": {"file": fix.span.file, "line": fix.span.line} if fix.span else None})
    notes = list(cell.notes[:NOTES]) + ([f"and {len(cell.notes) - NOTES} more"] if len(cell.notes) > NOTES else [])
    return {
        "journey": cell.journey, "disruption": cell.disruption, "outcome": cell.outcome,
        "through": list(cell.through), "rto": cell.rto.as_json() if cell.rto else None,
        "rpo": cell.rpo.as_json() if cell.rpo else None, "decider": cell.decider, "rpo_decider": cell.rpo_decider,
        "mechanism": cell.recovery.mechanism if cell.recovery else None,
        "says": cell.recovery.says if cell.recovery else None,
        "at": {"file": cell.recovery.span.file, "line": cell.recovery.span.line}
        if cell.recovery and cell.recovery.span else None,
        "rpo_at": _at(cell.rpo_recovery.rpo_span or cell.rpo_recovery.span) if cell.rpo_recovery else None,
        "sources": sources, "notes": notes, "assumptions": list(cell.assumptions),
        "objective": None if objective is None else {"rto": objective.rto, "rpo": objective.rpo},
        "breaches": list(cell.breaches), "fix": fix_key,
    }

