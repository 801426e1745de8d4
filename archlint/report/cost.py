"""`archlint cost` output: the breakdown by node, team and tier, data transfer, budgets and the base diff."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from archlint.cost import Estimate
from archlint.cost.budgets import Status
from archlint.model.economics import BaseEstimate
from archlint.report.jsontext import dumps


@dataclass(frozen=True)
class CostReport:
    """What the cost formatters receive."""

    version: str
    estimate: Estimate
    budgets: tuple[Status, ...] = ()
    base: BaseEstimate | None = None
    names: dict[str, str] = field(default_factory=dict)


def money(value: float) -> str:
    if abs(value) >= 100:
        return f"${value:,.0f}"
    return f"${value:,.2f}" if abs(value) >= 1 or value == 0 else f"${value:.3g}"


def money_range(low: float, high: float) -> str:
    return money(low) if abs(high - low) < 0.005 else f"{money(low)} to {money(high)}"


def budget_cells(found: Status) -> tuple[str, str, str]:
    budget = found.budget
    percent = budget.kind == "increase_percent"
    limit = f"{budget.limit:g}%" if percent else money(budget.limit)
    if found.actual is None:
        return limit, "-", f"not checked: {found.note}"
    actual = f"{found.actual:.1f}%" if percent else money(found.actual)
    state = "EXCEEDED" if found.exceeded else "ok"
    return limit, actual, f"{share(found):.0%} {state}"


def share(found: Status) -> float:
    """The actual figure as a share of the limit (0 when not computed)."""
    limit, actual = found.budget.limit, found.actual
    if actual is None:
        return 0.0
    return actual / limit if limit > 0 else (0.0 if actual <= 0 else 9.99)


def _text_cells(found: Status) -> tuple[str, str, str]:
    """The budget's cells with a bar of `#` for a terminal: ten marks are the limit."""
    limit, actual, verdict = budget_cells(found)
    if found.actual is None:
        return limit, actual, verdict
    marks = round(share(found) * 10)
    return limit, actual, "#" * min(20, marks) + "." * max(0, 10 - marks) + " " + verdict


def budget_label(found: Status) -> str:
    budget = found.budget
    return f"{budget.kind} {budget.subject}".strip()


def text(report: CostReport) -> str:
    estimate = report.estimate
    out = [f"Monthly cost estimate, USD (archlint {report.version}; catalog of {estimate.catalog_date}"
           + (", with your price file" if estimate.overridden else "") + ")", ""]
    priced = [n for n in estimate.nodes if n.lines]
    rows = [("NODE", "KIND", "TEAM", "TIER", "MONTHLY", "HOW")]
    for node in priced:
        how = "; ".join(line.formula for line in node.lines)
        if node.within:
            how = f"inside node pool {report.names.get(node.within, node.within)}: {how}"
        rows.append((node.name, node.kind, node.team, node.tier,
                     money_range(node.low, node.high) + ("*" if node.within else ""), how))
    out += _table(rows)
    if any(n.within for n in priced):
        out.append("* inside a node pool's price: shown, not added to the total")
    if estimate.edges:
        out += ["", "Data transfer"]
        rows = [("FROM", "TO", "CLASS", "GB/MONTH", "MONTHLY")]
        rows += [(report.names.get(e.source, e.source), report.names.get(e.target, e.target), e.transfer_class,
                  f"{e.monthly_gb:,.0f}", money(e.usd)) for e in estimate.edges]
        out += _table(rows)
    for title, attribute in (("By team", "team"), ("By tier", "tier")):
        groups = estimate.by(attribute)
        if groups:
            out += ["", f"{title}: " + ", ".join(f"{k} {money_range(*v)}" for k, v in groups.items())]
    out += ["", f"Total: {money_range(estimate.low, estimate.high)} a month"
            + (" (autoscalers at their minimum to their maximum)" if estimate.high - estimate.low >= 0.005 else "")
            + (f", of which data transfer {money(estimate.transfer)}" if estimate.transfer >= 0.01 else "")]
    fallback = [n.name for n in priced if n.fallback]
    if fallback:
        out.append("Priced at the unit rates (vCPU, GiB and GPU hours: no node pool or instance type of theirs has "
                   f"a price): {', '.join(fallback)}")
    unpriced = [n for n in estimate.nodes if n.unpriced]
    if unpriced:
        out += ["", f"Not priced ({len(unpriced)}), so not in the total:"]
        out += [f"  {n.name}: {n.unpriced}" for n in unpriced]
    if report.base is not None:
        out += ["", *_diff_text(report)]
    if report.budgets:
        out += ["", "Budgets"]
        rows = [("BUDGET", "LIMIT", "ACTUAL", "STATUS", "WHERE")]
        rows += [(budget_label(s), *_text_cells(s), f"{s.budget.file}:{s.budget.line}") for s in report.budgets]
        out += _table(rows)
    return "\n".join(out).rstrip() + "\n"


def _diff_text(report: CostReport) -> list[str]:
    base, estimate = report.base, report.estimate
    lines = [f"Against {base.ref}: {money(base.low)} -> {money(estimate.low)} "
             f"({'+' if estimate.low >= base.low else '-'}{money(abs(estimate.low - base.low))})"]
    rows = [("CHANGE", "NODE", "BEFORE", "AFTER", "DIFFERENCE")]
    for change, name, before, after in diff(report):
        rows.append((change, name, money(before), money(after), f"{'+' if after >= before else '-'}{money(abs(after - before))}"))
    return lines + (_table(rows) if len(rows) > 1 else ["  no node changed"])


def diff(report: CostReport) -> list[tuple[str, str, float, float]]:
    """(added|removed|changed, node name, before, after), largest difference first."""
    base, now = report.base, {n.id: n for n in report.estimate.nodes if n.counted}
    found = []
    for node_id, node in now.items():
        before = base.nodes.get(node_id)
        if before is None:
            found.append(("added", node.name, 0.0, node.low))
        elif abs(before[0] - node.low) >= 0.005:
            found.append(("changed", node.name, before[0], node.low))
    for node_id, before in base.nodes.items():
        if node_id not in now:
            found.append(("removed", base.names.get(node_id, node_id), before[0], 0.0))
    return sorted(found, key=lambda f: (-abs(f[3] - f[2]), f[1]))


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])) + "  " + row[-1] for row in rows]


def as_json(report: CostReport) -> str:
    """The estimate as JSON (schemas/cost.schema.json)."""
    estimate = report.estimate
    data = {
        "version": report.version, "currency": "USD", "catalog_date": estimate.catalog_date,
        "price_file": estimate.overridden,
        "total": {"low": round(estimate.low, 4), "high": round(estimate.high, 4),
                  "transfer": round(estimate.transfer, 4)},
        "nodes": [{"id": n.id, "name": n.name, "kind": n.kind, "team": n.team, "tier": n.tier,
                   "provider": n.provider, "file": n.file, "line": n.line, "low": round(n.low, 4),
                   "high": round(n.high, 4), "counted": n.counted, "within": n.within or None,
                   "unpriced": n.unpriced or None,
                   "lines": [{"what": ln.what, "formula": ln.formula, "low": round(ln.low, 4),
                              "high": round(ln.high, 4), "fallback": ln.fallback, "sources": list(ln.sources)}
                             for ln in n.lines]} for n in estimate.nodes],
        "edges": [{"source": e.source, "target": e.target, "class": e.transfer_class,
                   "monthly_gb": round(e.monthly_gb, 4), "usd": round(e.usd, 4), "source_of_price": e.price_source,
                   "file": e.file, "line": e.line} for e in estimate.edges],
        "by_team": {k: {"low": round(v[0], 4), "high": round(v[1], 4)} for k, v in estimate.by("team").items()},
        "by_tier": {k: {"low": round(v[0], 4), "high": round(v[1], 4)} for k, v in estimate.by("tier").items()},
        "budgets": [{"kind": s.budget.kind, "subject": s.budget.subject, "limit": s.budget.limit,
                     "actual": None if s.actual is None or not math.isfinite(s.actual) else round(s.actual, 6),
                     "exceeded": s.exceeded,
                     "note": s.note, "file": s.budget.file, "line": s.budget.line} for s in report.budgets],
    }
    if report.base is not None:
        data["base"] = {"ref": report.base.ref, "low": round(report.base.low, 4), "high": round(report.base.high, 4),
                        "changes": [{"change": c, "node": n, "before": round(b, 4), "after": round(a, 4)}
                                    for c, n, b, a in diff(report)]}
    return dumps(data, end="\n")
