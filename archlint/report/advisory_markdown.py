"""The advisory report in Markdown for a pull-request comment: the summary first, every detail folded."""

from __future__ import annotations

from archlint.advise.placement import LABELS
from archlint.finding import listing
from archlint.report.advice import CRITERION_NAMES
from archlint.report.advisory import SEVERITIES, AdvisoryReport
from archlint.report.cost import budget_cells, budget_label, money_range
from archlint.report.coverage_text import not_read_line, read_line
from archlint.report import escape
from archlint.report.markdown import COMMENT_LIMIT, Budget, cell, cut_note

#: Room kept for the note of what was cut.
_NOTE_ROOM = 600
#: Workloads already best placed get a row each up to this many; past it, one line names them.
_STAYING_ROWS = 10

_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
_STEP = {"done": "✅", "in progress": "🟡", "to do": "⬜", "not applicable": "➖"}
#: Beyond this many nodes a Mermaid diagram is more noise than picture in a comment.
MERMAID_LIMIT = 40


def render(report: AdvisoryReport, mermaid: str | None = None, limit: int = COMMENT_LIMIT) -> str:
    """The report within `limit` (a GitHub comment's 65,536 characters): the summary and the errors take the room
    first, then cost, roadmap and placement, then the other findings and the diagram; what does not fit is named
    in a note at the end."""
    counts = report.counts()
    estimate = report.cost.estimate
    roadmap = report.advice.roadmap
    moved = [p for p in report.advice.placements if p.differs]
    budget = Budget(limit - _NOTE_ROOM)
    head = [f"## archlint report: {cell(report.title)}", "",
            f"**{counts[SEVERITIES[0]]} errors, {counts[SEVERITIES[1]]} warnings, {counts[SEVERITIES[2]]} info**"
            f" · **{money_range(estimate.low, estimate.high)}** a month (estimate)"
            f" · {report.exceeded()} of {len(report.cost.budgets)} budgets exceeded"
            f" · {len(moved)} of {len(report.advice.placements)} workloads recommended elsewhere"
            f" · roadmap step {roadmap.reached} of 6 reached", ""]
    if report.coverage:
        missing = not_read_line(report.coverage)
        head += [cell(read_line(report.coverage)) + "." + (f" {cell(missing)}." if missing else ""), ""]
    upcoming = roadmap.next
    if upcoming:
        head += [f"**Next step ({upcoming.number}, {cell(upcoming.title)}):** "
                 + "; ".join(cell(c.change) for c in upcoming.missing()[:3]) + ".", ""]
    budget.take(head)
    errors = [f for f in report.findings if f.severity is SEVERITIES[0]]
    table = ["| | rule | where | finding |", "|---|---|---|---|"]
    rows = budget.rows([f"| 🔴 | `{f.rule}` | {escape.code(f'{f.file}:{f.line}')} | {cell(f.message)} |" for f in errors],
                       table + [""], "errors")
    first = table + rows + [""] if rows else []
    # Placed in document order, paid for in this order of importance.
    parts = {"cost": _whole(budget, _cost(report), "the cost breakdown"),
             "roadmap": _whole(budget, _roadmap(report), "the roadmap"),
             "placement": _placement(report, budget)}
    modes = []
    if report.failure_modes is not None:
        from archlint.report.failure_modes_views import markdown_summary

        modes = markdown_summary(report.failure_modes)
    parts["failure_modes"] = _whole(budget, modes, "the failure-mode matrix")
    parts["findings"] = _findings(report, budget)
    diagram = (_fold("Architecture diagram", ["```mermaid", mermaid.rstrip(), "```"])
               if mermaid and len(report.model) <= MERMAID_LIMIT else [])
    parts["diagram"] = _whole(budget, diagram, "the diagram")
    lines = (head + first + parts["findings"] + parts["failure_modes"] + parts["placement"] + parts["cost"]
             + parts["roadmap"] + parts["diagram"])
    return "\n".join(lines + cut_note(budget, limit, "the HTML report (--format html) shows all of it")).rstrip() + "\n"


def _whole(budget: Budget, lines: list[str], what: str) -> list[str]:
    if not lines or budget.take(lines):
        return lines
    budget.cut.append(what)
    return []


def _fold(title: str, body: list[str]) -> list[str]:
    return [f"<details><summary>{title}</summary>", "", *body, "", "</details>", ""]


def _findings(report: AdvisoryReport, budget: Budget) -> list[str]:
    out = []
    for concern, items in report.by_concern():
        table = ["| | rule | where | finding |", "|---|---|---|---|"]
        rows = [f"| {_ICON[f.severity.value]} | `{f.rule}` | {escape.code(f'{f.file}:{f.line}')} | {cell(f.message)}"
                + (f"<br>*Fix:* {cell(f.fix)}" if f.fix else "")
                + (f"<br>*{len(f.instances)} instances:* {cell(listing(f.instances))}" if f.instances else "")
                + "".join(f"<br>*Price:* {cell(source)}" for source in f.sources) + " |" for f in items]
        frame = _fold(f"Findings: {concern.value} ({len(items)})", table)
        kept = budget.rows(rows, frame, f"{concern.value} findings")
        if kept:
            out += _fold(f"Findings: {concern.value} ({len(items)})", table + kept)
    return out


def _placement(report: AdvisoryReport, budget: Budget) -> list[str]:
    """The placement table, the workloads to move first; rows that do not fit are counted in the cut note."""
    advice = report.advice
    if not advice.placements:
        return []
    table = ["| workload | now | recommended | runner-up | why |", "|---|---|---|---|---|"]
    rows = []
    staying = [p for p in advice.placements if not p.differs]
    for p in [p for p in advice.placements if p.differs] + (staying if len(staying) <= _STAYING_ROWS else []):
        now = LABELS[p.current] if p.current else "not declared"
        best = f"**{LABELS[p.recommended.tier]}** ({p.recommended.total:.1f})" + (" ⟵ move" if p.differs else "")
        runner = f"{LABELS[p.runner_up.tier]}: {cell(p.why_not)}" if p.runner_up else ""
        why = "<br>".join(cell(r) for r in p.reasons)
        if p.differs:
            why += f"<br>*Gain:* {cell(advice.gains[p.component.id].text())}"
        rows.append(f"| {escape.code(p.component.name)} | {now} | {best} | {runner} | {why} |")
    tail = []
    if len(staying) > _STAYING_ROWS:
        tail += ["", f"Best where they run now ({len(staying)}): "
                 + cell(listing((p.component.name for p in staying), 12)) + "."]
    if advice.simplifications:
        tail += ["", "**Simpler alternatives**", "", "| component | instead | cost |", "|---|---|---|"]
        tail += [f"| {escape.code(s.component.name)} ({cell(s.software)}) | {cell(s.offering)} | {cell(s.difference())} |"
                 for s in advice.simplifications]
    weights = ", ".join(f"{CRITERION_NAMES[k]} {v:g}" for k, v in report.model.preferences.weights.items())
    tail += ["", f"Weights: {weights}."]
    title = f"Placement ({sum(1 for p in advice.placements if p.differs)} to move)"
    if not budget.take(tail):
        tail = []
        budget.cut.append("the simpler alternatives")
    kept = budget.rows(rows, _fold(title, table), "workloads of the placement table")
    if kept:
        return _fold(title, table + kept + tail)
    return _fold(title, tail[1:]) if tail and budget.take(_fold(title, [])) else []


def _cost(report: AdvisoryReport) -> list[str]:
    estimate = report.cost.estimate
    body = ["| node | team | tier | monthly |", "|---|---|---|---:|"]
    body += [f"| {cell(n.name)} | {cell(n.team)} | {cell(n.tier)} | {money_range(n.low, n.high)} |"
             for n in estimate.nodes if n.counted][:20]
    if report.cost.budgets:
        body += ["", "| budget | limit | actual | status |", "|---|---:|---:|---|"]
        for status in report.cost.budgets:
            limit, actual, verdict = budget_cells(status)
            body.append(f"| {cell(budget_label(status))} | {limit} | {actual} | {'🔴 ' if status.exceeded else ''}"
                        f"{cell(verdict)} |")
    return _fold(f"Cost: {money_range(estimate.low, estimate.high)} a month", body)


def _roadmap(report: AdvisoryReport) -> list[str]:
    body = []
    for step in report.advice.roadmap.steps:
        body.append(f"{_STEP[step.status]} **{step.number}. {cell(step.title)}**: {step.status}")
        body += [f"  - {'✓' if c.met else '✗' if c.met is False else '·'} {cell(c.name)}: {cell(c.evidence)}"
                 for c in step.checks]
    return _fold(f"Roadmap: step {report.advice.roadmap.reached} of 6 reached", body)
