"""The failure-mode matrix in the advisory reports (an HTML section whose cells explain themselves on hover, and
a Markdown summary for a pull-request comment) and the recovery figures' listing (`failure-modes --figures`)."""

from __future__ import annotations

from archlint.report.escape import code
from archlint.report.escape import html as escape
from archlint.report.failure_modes import MARK, FailureModes, explain
from archlint.report.markdown import cell as md
from archlint.resilience import DEGRADED, FAILS, SURVIVED

#: The matrix shows the disruptions that fail the most journeys first, at most this many rows and columns.
MAX_ROWS, MAX_COLUMNS = 40, 12
_STYLE = ("table.matrix td.fails{background:#fde8e8}table.matrix td.degraded{background:#fff4d6}"
          "table.matrix td.survives{background:#e9f7ef}table.matrix td.unknown{background:#f1f3f5}"
          "table.matrix td{cursor:help;white-space:nowrap}table.matrix td.breach{box-shadow:inset 0 0 0 2px #c0392b}")


def html_section(report: FailureModes) -> str:
    assessment = report.assessment
    journeys = assessment.journeys[:MAX_COLUMNS]
    if not journeys:
        return '<p class="muted">No journey: no entrypoint and no <code>journeys:</code> in a service graph.</p>'
    rows = _ranked(report)
    head = "".join(f'<th title="{escape(_journey_title(report, j))}">{escape(j.name)}</th>' for j in journeys)
    body = []
    for disruption in rows[:MAX_ROWS]:
        tds = []
        for journey in journeys:
            found = report.cell(journey, disruption)
            if found is None:
                survived = report.reaches(journey, disruption)
                tds.append('<td class="survives" title="{}">survives</td>'.format(
                    escape(f"{disruption.label}: {journey.name} survives.")) if survived else
                    '<td class="muted" title="not touched">·</td>')
                continue
            label = MARK[found.outcome] if found.outcome != FAILS else "fails"
            if found.outcome == FAILS and found.rto is not None:
                label += f" · {found.rto.text()}"
            classes = found.outcome + (" breach" if found.breaches else "")
            tds.append(f'<td class="{classes}" title="{escape(explain(report, found, disruption))}">'
                       f"{escape(label)}</td>")
        body.append(f'<tr><th title="{escape(disruption.id)}">{escape(disruption.label)}</th>{"".join(tds)}</tr>')
    more = f'<p class="muted">... and {len(rows) - MAX_ROWS} more disruptions (archlint failure-modes lists them ' \
           "all).</p>" if len(rows) > MAX_ROWS else ""
    cut = f'<p class="muted">{len(assessment.journeys) - MAX_COLUMNS} more journeys not shown.</p>' \
        if len(assessment.journeys) > MAX_COLUMNS else ""
    cells = list(assessment.cells.values())
    summary = (f"<p>{len(assessment.journeys)} journeys, {len(assessment.disruptions)} disruptions: "
               f"<b>{sum(1 for c in cells if c.outcome == FAILS)}</b> cells fail, "
               f"{sum(1 for c in cells if c.outcome == DEGRADED)} degrade, "
               f"<b>{sum(1 for c in cells if c.breaches)}</b> break the resilience policy (outlined). Hover a cell "
               f"for the mechanism, its source, the policy and the fix. Recovery figures of "
               f"{escape(assessment.figures_date)}.</p>")
    return (f"<style>{_STYLE}</style>{summary}<table class=\"matrix\"><thead><tr><th>disruption</th>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table>{more}{cut}")


def markdown_summary(report: FailureModes) -> list[str]:
    """A folded section: the journeys, and the cells that break the policy or fail, worst first."""
    assessment = report.assessment
    if not assessment.journeys:
        return []
    by_id = {d.id: d for d in assessment.disruptions}
    cells = sorted(assessment.cells.values(), key=lambda c: (not c.breaches, c.outcome != FAILS, c.disruption,
                                                             c.journey))
    breaking = [c for c in cells if c.breaches]
    body = ["| journey | entry | policy | availability |", "|---|---|---|---:|"]
    for journey in assessment.journeys:
        policy = assessment.policies.get(journey.key)
        availability = assessment.availability.get(journey.key)
        body.append(f"| {md(journey.name)}{' [' + md(journey.variant) + ']' if journey.variant else ''} | {code(journey.entry.name)} | {md(policy.name) if policy else '-'} | "
                    f"{f'{availability.percent:.3f}%' if availability else '-'} |")
    shown = breaking or [c for c in cells if c.outcome == FAILS]
    if shown:
        body += ["", "| disruption | journey | outcome | RTO | RPO | through | fix |", "|---|---|---|---|---|---|---|"]
        for found in shown[:25]:
            disruption = by_id[found.disruption]
            fix = report.fix(found, disruption)
            body.append(f"| {md(disruption.label)} | {md(report.journey_name(found.journey))} | "
                        f"{'🔴 ' if found.breaches else ''}{found.outcome}"
                        f"{' (' + ', '.join(b.upper() for b in found.breaches) + ')' if found.breaches else ''} | "
                        f"{md(found.rto.text()) if found.rto else '-'} | {md(found.rpo.text()) if found.rpo else '-'} | "
                        f"{md(', '.join(report.name(n) for n in found.through))} | "
                        f"{md(fix[0].text()) if fix and fix[0] else '-'} |")
        if len(shown) > 25:
            body.append(f"\n... and {len(shown) - 25} more (`archlint failure-modes`).")
    title = f"Failure modes: {len(breaking)} cells break the resilience policy" if breaking else \
        f"Failure modes: {sum(1 for c in cells if c.outcome == FAILS)} failing cells, none breaking a policy"
    return [f"<details><summary>{title}</summary>", "", *body, "", "</details>", ""]


def _ranked(report: FailureModes):
    """Disruptions that touch a journey, those failing the most journeys (and breaking a policy) first."""
    assessment = report.assessment
    shown = report.shown()
    order = {d.id: i for i, d in enumerate(shown)}

    def weight(disruption):
        cells = [assessment.cell(j.key, disruption.id) for j in assessment.journeys]
        cells = [c for c in cells if c is not None]
        return (-sum(1 for c in cells if c.breaches), -sum(1 for c in cells if c.outcome == FAILS),
                -sum(1 for c in cells if c.outcome not in (SURVIVED,)), order[disruption.id])
    return sorted(shown, key=weight)


def _journey_title(report: FailureModes, journey) -> str:
    policy = report.assessment.policies.get(journey.key)
    availability = report.assessment.availability.get(journey.key)
    parts = [f"entry {journey.entry.name}" + (f" ({journey.variant})" if journey.variant else ""), "declared" if journey.declared else "derived from an entrypoint",
             f"policy {policy.name}" if policy else "no policy"]
    if availability is not None:
        parts.append(f"availability {availability.percent:.3f}%")
    return ", ".join(parts)


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
