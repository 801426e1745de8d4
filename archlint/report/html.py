"""The HTML advisory report: one self-contained page (no network, no CDN) with the diagram, findings, placement,
cost with budget bars and the roadmap. Every string from the input is escaped."""

from __future__ import annotations

from archlint.advise.placement import LABELS
from archlint.report import diagram
from archlint.report.advice import CRITERION_NAMES, summary_line
from archlint.report.advisory import SEVERITIES, AdvisoryReport
from archlint.report.cost import budget_cells, budget_label, money, money_range, share
from archlint.report.escape import html as escape
from archlint.report.html_assets import SCRIPT, STYLE

_STATUS = {"done": "done", "in progress": "progress", "to do": "todo", "not applicable": "na"}
_MARK = {True: "✓", False: "✗", None: "·"}


def render(report: AdvisoryReport) -> str:
    body = [_header(report), _section("What was read", _coverage(report), "coverage"),
            _section("Architecture", _diagram(report), "architecture"),
            _section("Findings", _findings(report), "findings"),
            _section("Placement", _placement(report), "placement"),
            _section("Cost", _cost(report), "cost"), _section("Roadmap", _roadmap(report), "roadmap")]
    if report.failure_modes is not None:
        from archlint.report.failure_modes_views import html_section

        body.insert(4, _section("Failure modes", html_section(report.failure_modes), "failure-modes"))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; img-src data:\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(report.title)}: archlint report</title><style>{STYLE}</style></head><body>"
            + "".join(body) + f"<footer>archlint {escape(report.version)} · offline estimate and advice from the "
            "files read; every figure says where it comes from.</footer>"
            f"<script>{SCRIPT}</script></body></html>\n")


def _coverage(report: AdvisoryReport) -> str:
    """Per format, files, documents and components; then what was not read, why, and how to have it read."""
    coverage = report.coverage
    if not coverage:
        return '<p class="muted">Not measured.</p>'
    rows = "".join(f"<tr><td>{escape(e['format'])}</td><td class=\"num\">{e['files']:,}</td>"
                   f"<td class=\"num\">{e['documents']:,}</td><td class=\"num\">{e['components']:,}</td></tr>"
                   for e in coverage.get("formats", ()))
    read = (f"<p>{coverage.get('files', 0):,} files, {coverage.get('documents', 0):,} documents, "
            f"{coverage.get('components', 0):,} components modelled.</p>"
            "<table><thead><tr><th>format</th><th>files</th><th>documents</th><th>components</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")
    items = coverage.get("not_read", ())
    if not items:
        return read + '<p class="note-ok">Everything recognised was read.</p>'
    missing = "".join(f"<tr><td class=\"num\">{i['count']:,}</td><td>{escape(i['what'])}</td>"
                      f"<td>{escape(i['reason'])}</td><td>{escape(i['how'])}</td></tr>" for i in items)
    return (read + "<h3>Not read</h3><table><thead><tr><th></th><th>what</th><th>why</th><th>to read it</th></tr>"
            f"</thead><tbody>{missing}</tbody></table>")


def _section(title: str, content: str, anchor: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{content}</section>'


def _header(report: AdvisoryReport) -> str:
    counts = report.counts()
    estimate = report.cost.estimate
    roadmap = report.advice.roadmap
    moved = sum(1 for p in report.advice.placements if p.differs)
    cards = [("errors", str(counts[SEVERITIES[0]]), "error" if counts[SEVERITIES[0]] else "ok"),
             ("warnings", str(counts[SEVERITIES[1]]), "warning" if counts[SEVERITIES[1]] else "ok"),
             ("info", str(counts[SEVERITIES[2]]), "info"),
             ("a month (estimate)", money_range(estimate.low, estimate.high), "neutral"),
             ("budgets exceeded", f"{report.exceeded()} of {len(report.cost.budgets)}",
              "error" if report.exceeded() else "ok"),
             ("workloads to move", f"{moved} of {len(report.advice.placements)}", "warning" if moved else "ok"),
             ("roadmap steps reached", f"{roadmap.reached} of 6", "neutral")]
    tiles = "".join(f'<div class="card {kind}"><div class="figure">{escape(value)}</div>'
                    f'<div class="label">{escape(label)}</div></div>' for label, value, kind in cards)
    sections = [("coverage", "Read"), ("architecture", "Architecture"), ("findings", "Findings"), ("placement", "Placement"),
                ("cost", "Cost"), ("roadmap", "Roadmap")]
    if report.failure_modes is not None:
        sections.insert(3, ("failure-modes", "Failure modes"))
    nav = "".join(f'<a href="#{a}">{t}</a>' for a, t in sections)
    return (f'<header><h1>{escape(report.title)}</h1><p class="muted">{escape(summary_line(report.advice))}</p>'
            f'<div class="cards">{tiles}</div><nav>{nav}</nav></header>')


def _diagram(report: AdvisoryReport) -> str:
    legend = ('<div class="legend"><span><svg width="40" height="10"><path class="edge sync" d="M0,5 H40"/></svg>'
              'synchronous</span><span><svg width="40" height="10"><path class="edge async" d="M0,5 H40"/></svg>'
              'asynchronous</span><span class="dot error"></span>error<span class="dot warning"></span>warning'
              '<span class="dot info"></span>info <span class="muted">(badge: findings on the node; hover for '
              'details)</span></div>')
    tools = ('<div class="tools"><input id="filter" type="search" placeholder="Highlight nodes by name" '
             'aria-label="Highlight nodes by name"><button type="button" data-zoom="1.25">+</button>'
             '<button type="button" data-zoom="0.8">−</button><button type="button" data-zoom="0">fit</button></div>')
    return legend + tools + diagram.render(report.model, report.findings)


def _findings(report: AdvisoryReport) -> str:
    if not report.findings:
        return '<p class="note-ok">No findings.</p>'
    parts = []
    for concern, items in report.by_concern():
        counts = {s: sum(1 for f in items if f.severity is s) for s in SEVERITIES}
        tally = " ".join(f'<span class="pill {s.value}">{n} {s.value}</span>' for s, n in counts.items() if n)
        rows = "".join(
            f'<tr><td><span class="pill {f.severity.value}">{f.severity.value}</span></td>'
            f'<td><code>{escape(f.rule)}</code></td><td><code>{escape(f.file)}:{f.line}</code></td>'
            f'<td>{escape(f.message)}' + (f'<div class="fix">Fix: {escape(f.fix)}</div>' if f.fix else "")
            + (f'<div class="fix">In {len(f.instances)} instances: {escape(", ".join(f.instances))}</div>'
               if f.instances else "")
            + "".join(f'<div class="fix">Price: {escape(source)}</div>' for source in f.sources)
            + "</td></tr>" for f in items)
        opened = " open" if counts[SEVERITIES[0]] else ""
        parts.append(f'<details class="concern"{opened}><summary><b>{escape(concern.value)}</b> {tally}</summary>'
                     '<table><thead><tr><th>severity</th><th>rule</th><th>where</th><th>finding</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table></details>")
    return "".join(parts)


def _bar(points: float, scale: float, label: str) -> str:
    width = 0 if scale <= 0 else min(100.0, 100 * points / scale)
    return f'<div class="bar" title="{escape(label)}"><span style="width:{width:.1f}%"></span></div>'


def _placement(report: AdvisoryReport) -> str:
    advice = report.advice
    if not advice.placements:
        return '<p class="muted">No workloads to place.</p>'
    rows = []
    for p in advice.placements:
        best, runner = p.recommended, p.runner_up
        scale = max(c.total for c in p.candidates) or 1.0
        criteria = "".join(
            f"<tr><td>{escape(CRITERION_NAMES[part.criterion])}</td><td>{part.points:.1f}</td>"
            f"<td>{_bar(part.points, 3.0, part.reason)}</td>"
            + (f"<td>{runner.contributions[i].points:.1f}</td>" if runner else "<td></td>")
            + f"<td>{escape(part.reason)}</td></tr>" for i, part in enumerate(best.contributions))
        ruled = "".join(f"<li>{escape(LABELS[c.tier])} ruled out: {escape(c.excluded)}</li>" for c in p.ruled_out)
        reasons = "".join(f"<li>{escape(r)}</li>" for r in p.reasons)
        now = LABELS[p.current] if p.current else "not declared"
        gain = f'<p><b>Expected gain:</b> {escape(advice.gains[p.component.id].text())}</p>' if p.differs else ""
        conflict = '<p class="note-warning">No candidate meets every hard constraint.</p>' if p.conflict else ""
        scores = "".join(f'<div class="score"><span>{escape(LABELS[c.tier])}</span>{_bar(c.total, scale, "")}'
                         f'<span>{"ruled out" if c.excluded else f"{c.total:.1f}"}</span></div>' for c in p.candidates)
        rows.append(
            f'<tr class="{"differs" if p.differs else ""}"><td><b>{escape(p.component.name)}</b>'
            f'<div class="muted">{escape(p.component.kind.value)} · <code>{escape(p.component.span.file)}:'
            f'{p.component.span.line}</code></div></td><td>{escape(now)}</td>'
            f'<td><b>{escape(LABELS[best.tier])}</b>{" ⟵ move" if p.differs else ""}</td>'
            f"<td>{escape(p.why_not)}</td></tr>"
            f'<tr class="detail"><td colspan="4"><details><summary>Why: {escape("; ".join(p.reasons[:1]) or "scores")}'
            f'</summary>{conflict}<div class="scores">{scores}</div><ul>{reasons}{ruled}</ul>{gain}'
            f'<table class="criteria"><thead><tr><th>criterion</th><th>{escape(LABELS[best.tier])}</th><th></th>'
            f'<th>{escape(LABELS[runner.tier]) if runner else ""}</th><th>reason</th></tr></thead>'
            f"<tbody>{criteria}</tbody></table></details></td></tr>")
    simpler = ""
    if advice.simplifications:
        items = "".join(f"<tr><td><b>{escape(s.component.name)}</b></td><td>{escape(s.software)}</td>"
                        f"<td>{escape(s.offering)}</td><td>{escape(s.difference())}"
                        + (f'<div class="muted">{escape(s.source)}</div>' if s.source else "")
                        + f"</td><td>{escape(s.operations)}</td></tr>" for s in advice.simplifications)
        simpler = ("<h3>Simpler alternatives</h3><p class=\"muted\">The most scalable code is the code you don't "
                   "write.</p><table><thead><tr><th>component</th><th>what</th><th>instead</th><th>cost</th>"
                   f"<th>operations</th></tr></thead><tbody>{items}</tbody></table>")
    weights = ", ".join(f"{CRITERION_NAMES[k]} {v:g}" for k, v in report.model.preferences.weights.items())
    return (f'<p class="muted">Hard constraints first, then weighted criteria ({escape(weights)}; change them under '
            '<code>placement.weights</code> in <code>.archlint.yaml</code>).</p>'
            '<table class="placement"><thead><tr><th>workload</th><th>now</th><th>recommended</th>'
            f'<th>runner-up and why it lost</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{simpler}')


def _cost(report: AdvisoryReport) -> str:
    estimate = report.cost.estimate
    counted = [n for n in estimate.nodes if n.counted]
    top = max((n.high for n in counted), default=0.0) or 1.0
    rows = "".join(f"<tr><td>{escape(n.name)}</td><td>{escape(n.team)}</td><td>{escape(n.tier)}</td>"
                   f'<td class="num">{escape(money_range(n.low, n.high))}</td><td>{_bar(n.high, top, "")}</td></tr>'
                   for n in counted[:20])
    more = f'<p class="muted">... and {len(counted) - 20} more nodes.</p>' if len(counted) > 20 else ""
    teams = estimate.by("team")
    team_top = max((high for _, high in teams.values()), default=0.0) or 1.0
    team_rows = "".join(f"<tr><td>{escape(k)}</td><td class=\"num\">{escape(money_range(*v))}</td>"
                        f"<td>{_bar(v[1], team_top, '')}</td></tr>" for k, v in teams.items())
    budgets = []
    for status in report.cost.budgets:
        limit, actual, verdict = budget_cells(status)
        width = min(100.0, share(status) * 100 / 1.5)
        budgets.append(
            f'<div class="budget {"over" if status.exceeded else "under"}"><div class="budget-head"><b>'
            f"{escape(budget_label(status))}</b><span>{escape(actual)} of {escape(limit)}: {escape(verdict)}</span></div>"
            f'<div class="track"><span style="width:{width:.1f}%"></span><i style="left:{100 / 1.5:.1f}%"></i></div>'
            f'<div class="muted"><code>{escape(status.budget.file)}:{status.budget.line}</code></div></div>')
    unpriced = [n for n in estimate.nodes if n.unpriced]
    unpriced_html = ("<details><summary>Not priced ({}), so not in the total</summary><ul>{}</ul></details>".format(
        len(unpriced), "".join(f"<li><b>{escape(n.name)}</b>: {escape(n.unpriced)}</li>" for n in unpriced))
        if unpriced else "")
    transfer = f", of which data transfer {money(estimate.transfer)}" if estimate.transfer >= 0.01 else ""
    return (f'<p class="total"><b>{escape(money_range(estimate.low, estimate.high))}</b> a month{escape(transfer)} '
            f'<span class="muted">(catalog of {escape(estimate.catalog_date)})</span></p>'
            + ("<h3>Budgets</h3>" + "".join(budgets) if budgets else "")
            + '<div class="columns"><div><h3>By node</h3><table><thead><tr><th>node</th><th>team</th><th>tier</th>'
            f"<th>monthly</th><th></th></tr></thead><tbody>{rows}</tbody></table>{more}</div>"
            f'<div><h3>By team</h3><table><tbody>{team_rows}</tbody></table></div></div>{unpriced_html}')


def _roadmap(report: AdvisoryReport) -> str:
    roadmap = report.advice.roadmap
    steps = []
    for step in roadmap.steps:
        checks = "".join(f'<li class="{"met" if c.met else "unmet" if c.met is False else "na"}">{_MARK[c.met]} '
                         f"<b>{escape(c.name)}</b>: {escape(c.evidence)}</li>" for c in step.checks)
        steps.append(f'<div class="step {_STATUS[step.status]}"><div class="step-head"><span class="n">{step.number}'
                     f'</span><span class="status">{escape(step.status)}</span></div>'
                     f"<h3>{escape(step.title)}</h3><ul>{checks}</ul></div>")
    upcoming = roadmap.next
    nxt = ""
    if upcoming:
        changes = "".join(f"<li>{escape(c.change)}" + (f' <span class="muted">({escape(c.anchor.name)})</span>'
                                                         if c.anchor else "") + "</li>"
                          for c in upcoming.missing()[:3])
        nxt = (f'<div class="next"><b>Next: step {upcoming.number}, {escape(upcoming.title)}</b>'
               f"<ol>{changes}</ol></div>")
    return (f'<p>Step <b>{roadmap.reached}</b> of 6 reached (every step before it done).</p>{nxt}'
            f'<div class="steps">{"".join(steps)}</div>')
