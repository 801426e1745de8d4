"""What FI050 and FI051 share: the assessment's cells that break a policy, grouped by the component whose mechanism
decides them and the kind of disruption, with the cheapest change that meets the strictest objective."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from archlint.model import Span
from archlint.model.resilience import JUDGED_AS, Objective

if TYPE_CHECKING:  # the assessment's modules load only for a model with a resilience policy (FI050, FI051)
    from archlint.resilience import Cell


@dataclass
class Breach:
    """Every cell one component's recovery makes break a policy, for one kind of disruption."""

    component: str
    kind: str
    cells: list[Cell]
    objectives: list[tuple[float, str, Span | None]]  # (seconds, policy name, the objective's line)


def breaches(model, measure: str) -> list[Breach]:
    """Groups of cells breaking `measure` ("rto" or "rpo"), in component order."""
    from archlint.resilience import assess

    assessment = assess(model)
    kinds = {d.id: d.kind for d in assessment.disruptions}
    groups: dict[tuple[str, str], Breach] = {}
    by_id = {d.id: d for d in assessment.disruptions}
    for (journey, disruption), cell in sorted(assessment.cells.items()):
        if measure not in cell.breaches:
            continue
        decider = cell.decider if measure == "rto" else cell.rpo_decider
        if decider is None:
            continue
        kind = kinds[disruption]
        group = groups.setdefault((decider, kind), Breach(decider, kind, [], []))
        group.cells.append(cell)
        policy = assessment.policies[journey]
        objective = assessment.objective(journey, by_id[disruption])
        if policy is not None and objective is not None:
            seconds = objective.rto if measure == "rto" else objective.rpo
            line = objective.rto_span if measure == "rto" else objective.rpo_span
            group.objectives.append((seconds, policy.name, line))
    return [groups[key] for key in sorted(groups)]


def describe(model, breach: Breach, measure: str) -> tuple[str, str, Span]:
    """(message, fix, span) of a breach: the journeys and disruptions, the estimate and its source, the policy,
    and the cheapest change that meets the strictest objective with what it adds to the monthly bill."""
    from archlint.resilience import assess, remedies
    from archlint.resilience.estimate import duration

    assessment = assess(model)
    labels = {d.id: d.label for d in assessment.disruptions}
    component = model.component(breach.component)
    cell = max(breach.cells, key=lambda c: ((c.rto if measure == "rto" else c.rpo).rank(), c.journey))
    recovery = cell.recovery if measure == "rto" else cell.rpo_recovery
    estimate = cell.rto if measure == "rto" else cell.rpo
    seconds, policy, line = min(breach.objectives, key=lambda o: (o[0], o[1]))
    names = sorted({assessment.journey(c.journey).name for c in breach.cells})
    journeys = f"journey{'s' if len(names) > 1 else ''} {_names(names)}"
    subjects = sorted({c.disruption.split("=", 1)[1] for c in breach.cells})
    what = "stops" if measure == "rto" else "can lose data of"
    if measure == "rto":
        amount = "with nothing in the files to bring it back" if estimate.unbounded else f"for {estimate.text()}"
    else:
        amount = "(all its data: no copy outside what is lost)" if estimate.unbounded else \
            f"(up to {estimate.text()} of its last writes)"
    sources = "; ".join(dict.fromkeys(f.source + (f" ({f.declared})" if f.declared else "")
                                      for f in recovery.figures)) if recovery and recovery.figures else \
        "no documented figure"
    kind = JUDGED_AS.get(breach.kind, breach.kind)
    limit = duration(seconds) if seconds else "none"
    message = (f"{_disruption(breach.kind, subjects, labels, breach.cells)} {what} {journeys} {amount}: "
               f"{component.name}: {recovery.says if recovery else 'no recovery in the files'} (source: {sources}); "
               f"policy {policy} allows {limit} for a {kind} disruption")
    objective = Objective(seconds, None) if measure == "rto" else Objective(None, seconds)
    fix, meets = remedies(model).best(component, breach.kind, objective)
    if fix is None:
        advice = "Give it a standby or replica outside the failure domain, or relax the objective."
    else:
        verdict = "meets the policy" if meets else "comes closest (its figures cannot show it meets the policy)" \
            if meets is None else "is the best documented option, still above the policy"
        advice = f"Cheapest change that {verdict}: {fix.text()}."
    where = (recovery.rpo_span if measure == "rpo" and recovery and recovery.rpo_span else
             recovery.span if recovery and recovery.span else component.span)
    related = [Span(line.file, line.line, note=f"policy {policy}: {kind} {measure} {limit}")] if line else []
    keys = {c.journey for c in breach.cells}
    related += list({(j.span.file, j.span.line): Span(j.span.file, j.span.line, note=f"journey {j.name}")
                     for j in assessment.journeys if j.declared and j.key in keys}.values())
    return message, advice, where.through(*related)


def _disruption(kind: str, subjects: list[str], labels: dict[str, str], cells: list[Cell]) -> str:
    """How a message names the disruptions of a breach: `a zone outage (eu-west-1a or eu-west-1b)`."""
    if kind in ("zone", "region", "provider"):
        shown = [s.removesuffix("/any") if s != "any" else "not in the files" for s in subjects]
        named = ", ".join(shown[:-1]) + f" or {shown[-1]}" if len(shown) > 1 else shown[0]
        return f"A {kind} outage ({named})" if kind != "provider" else f"An outage of every service of {named}"
    return "; ".join(sorted({labels[c.disruption] for c in cells}))[:1].upper() + \
        "; ".join(sorted({labels[c.disruption] for c in cells}))[1:]


def _names(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
