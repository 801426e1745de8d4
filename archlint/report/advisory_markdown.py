"""The advisory report in Markdown for a pull-request comment: the summary first, every detail folded."""

from __future__ import annotations

from archlint.advise.placement import LABELS
from archlint.report.advice import CRITERION_NAMES
from archlint.report.advisory import SEVERITIES, AdvisoryReport
from archlint.report.cost import budget_cells, budget_label, money_range
from archlint.report.markdown import cell

_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}
_STEP = {"done": "✅", "in progress": "🟡", "to do": "⬜", "not applicable": "➖"}
#: Beyond this many nodes a Mermaid diagram is more noise than picture in a comment.
MERMAID_LIMIT = 40


def render(report: AdvisoryReport, mermaid: str | None = None) -> str:
    counts = report.counts()
    estimate = report.cost.estimate
    roadmap = report.advice.roadmap
    moved = [p for p in report.advice.placements if p.differs]
    lines = [f"## archlint report: {cell(report.title)}", "",
             f"**{counts[SEVERITIES[0]]} errors, {counts[SEVERITIES[1]]} warnings, {counts[SEVERITIES[2]]} info**"
             f" · **{money_range(estimate.low, estimate.high)}** a month (estimate)"
             f" · {report.exceeded()} of {len(report.cost.budgets)} budgets exceeded"
             f" · {len(moved)} of {len(report.advice.placements)} workloads recommended elsewhere"
             f" · roadmap step {roadmap.reached} of 6 reached", ""]
    upcoming = roadmap.next
    if upcoming:
        lines += [f"**Next step ({upcoming.number}, {cell(upcoming.title)}):** "
                  + "; ".join(cell(c.change) for c in upcoming.missing()[:3]) + ".", ""]
    errors = [f for f in report.findings if f.severity is SEVERITIES[0]]
    if errors:
        lines += ["| | rule | where | finding |", "|---|---|---|---|"]
        lines += [f"| 🔴 | `{f.rule}` | `{cell(f.file)}:{f.line}` | {cell(f.message)} |" for f in errors]
        lines.append("")
    lines += _findings(report)
    if report.failure_modes is not None:
        from archlint.report.failure_modes_views import markdown_summary

        lines += markdown_summary(report.failure_modes)
    lines += _placement(report) + _cost(report) + _roadmap(report)
    if mermaid and len(report.model) <= MERMAID_LIMIT:
        lines += _fold("Architecture diagram", ["```mermaid", mermaid.rstrip(), "```"])
    return "\n".join(lines).rstrip() + "\n"


def _fold(title: str, body: list[str]) -> list[str]:
    return [f"<details><summary>{title}</summary>", "", *body, "", "</details>", ""]


def _findings(report: AdvisoryReport) -> list[str]:
    out = []
    for concern, items in report.by_concern():
        table = ["| | rule | where | finding |", "|---|---|---|---|"]
        table += [f"| {_ICON[f.severity.value]} | `{f.rule}` | `{cell(f.file)}:{f.line}` | {cell(f.message)}"
                  + (f"<br>*Fix:* {cell(f.fix)}" if f.fix else "") + " |" for f in items]
        out += _fold(f"Findings: {concern.value} ({len(items)})", table)
    return out


def _placement(report: AdvisoryReport) -> list[str]:
    advice = report.advice
    if not advice.placements:
        return []
    table = ["| workload | now | recommended | runner-up | why |", "|---|---|---|---|---|"]
    for p in advice.placements:
        now = LABELS[p.current] if p.current else "not declared"
        best = f"**{LABELS[p.recommended.tier]}** ({p.recommended.total:.1f})" + (" ⟵ move" if p.differs else "")
        runner = f"{LABELS[p.runner_up.tier]}: {cell(p.why_not)}" if p.runner_up else ""
        why = "<br>".join(cell(r) for r in p.reasons)
        if p.differs:
            why += f"<br>*Gain:* {cell(advice.gains[p.component.id].text())}"
        table.append(f"| `{cell(p.component.name)}` | {now} | {best} | {runner} | {why} |")
    body = table
    if advice.simplifications:
        body += ["", "**Simpler alternatives**", "", "| component | instead | cost |", "|---|---|---|"]
        body += [f"| `{cell(s.component.name)}` ({cell(s.software)}) | {cell(s.offering)} | {cell(s.difference())} |"
                 for s in advice.simplifications]
    weights = ", ".join(f"{CRITERION_NAMES[k]} {v:g}" for k, v in report.model.preferences.weights.items())
    body += ["", f"Weights: {weights}."]
    return _fold(f"Placement ({sum(1 for p in advice.placements if p.differs)} to move)", body)


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
