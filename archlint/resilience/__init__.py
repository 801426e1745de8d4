"""Failure-mode assessment: what each disruption does to each user journey, how long recovery takes and what data
is lost, against the team's resilience policy. Pure: it reads the model (and its cost estimate), never a file."""

from __future__ import annotations

from archlint.model import NodeKind, SystemModel
from archlint.resilience.assess import (DEGRADED, FAILS, SURVIVED, UNKNOWN_OUTCOME, Assessment, Cell, evaluate,
                                        index)
from archlint.resilience.disruptions import Disruption, Disruptions
from archlint.resilience.estimate import Estimate
from archlint.resilience.journeys import Journey, journeys

__all__ = ["DEGRADED", "FAILS", "SURVIVED", "UNKNOWN_OUTCOME", "Assessment", "Cell", "Disruption", "Estimate",
           "Journey", "assess", "figure_table", "remedies"]


def figure_table(model: SystemModel):
    """The bundled recovery figures with the team's overrides (`resilience.figures`)."""
    from archlint.catalog.recovery import Figure, figures

    overrides = [Figure(o.mechanism, o.provider, o.measure, o.low, o.high, f"[{o.source}]", o.source, o.date,
                        declared=f"{o.span.file}:{o.span.line}" if o.span else "")
                 for o in model.resilience.figures]
    return figures().with_overrides(overrides)


def assess(model: SystemModel) -> Assessment:
    """The model's assessment, computed once per model (the rules and the command share it)."""
    cached = getattr(model, "_resilience_assessment", None)
    if cached is None:
        cached = _assess(model)
        model._resilience_assessment = cached  # type: ignore[attr-defined]
    return cached


def remedies(model: SystemModel):
    """The change options of the model (priced on first use), shared like the assessment."""
    cached = getattr(model, "_resilience_fixes", None)
    if cached is None:
        from archlint.resilience.fixes import Fixes
        from archlint.resilience.outages import Outages

        cached = Fixes(model, Outages(figure_table(model)))
        model._resilience_fixes = cached  # type: ignore[attr-defined]
    return cached


def _one(model, disruption, hits, reach, found, policies, assumed, graph, cells, touched) -> None:
    """A disruption of one component: journeys that reach it alike (the same mode, not its entry, the same
    objective, no call into it taken as synchronous) share one evaluation, the cell copied with their key. Only a
    store or a cache, whose stand-ins depend on the journey, is evaluated for each."""
    from dataclasses import replace

    from archlint.resilience.recovery import managed_store

    (node, recovery), = hits.items()
    reached_by = reach.get(node, ())
    touched[disruption.id] = len(reached_by)
    if recovery.state == SURVIVED:
        return
    serving = model.component(node).kind in (NodeKind.DATASTORE, NodeKind.VECTOR_STORE, NodeKind.CACHE) or \
        bool(managed_store(model.component(node)))
    shared: dict[tuple, Cell] = {}
    for number, reached in reached_by:
        journey = found[number]
        chosen = policies[journey.key]
        objective = chosen.objective(disruption.kind) if chosen else None
        signature = None if serving or node in assumed[number] or node == journey.entry.id else \
            (reached.mode, objective)
        cell = shared.get(signature) if signature is not None else None
        if cell is None:
            cell = evaluate(model, journey, disruption, [(node, reached, recovery)], hits, objective, graph)
            if signature is not None:
                shared[signature] = cell
        else:
            cell = replace(cell, journey=journey.key)
        if cell.outcome != SURVIVED:
            cells[(journey.key, disruption.id)] = cell


def _assess(model: SystemModel) -> Assessment:
    from archlint.resilience.availability import journey_availability
    from archlint.resilience.outages import Outages

    table = figure_table(model)
    found, problems, graph = journeys(model)
    policy = model.resilience
    policies = {j.key: policy.policy_for(j.name, j.criticality) for j in found}
    enumerator = Disruptions(model, Outages(table))
    listed = enumerator.enumerate()
    reach = index(found)
    cells: dict[tuple[str, str], Cell] = {}
    touched: dict[str, int] = {}
    assumed = [{t: s for s, t in j.assumed} for j in found]  # per journey: a call taken as synchronous, by callee
    for disruption in listed:
        hits = enumerator.hits(disruption)
        if not disruption.broad and len(hits) == 1:
            _one(model, disruption, hits, reach, found, policies, assumed, graph, cells, touched)
            continue
        affected: dict[int, list] = {}
        for node, recovery in hits.items():
            for number, reached in reach.get(node, ()):
                affected.setdefault(number, []).append((node, reached, recovery))
        touched[disruption.id] = len(affected)
        if not disruption.broad and all(r.state == SURVIVED for r in hits.values()):
            continue  # replicas keep serving: every journey it touches survives, and such cells are not kept
        for number in sorted(affected):
            journey = found[number]
            items = sorted(affected[number], key=lambda item: item[0])
            chosen = policies[journey.key]
            cell = evaluate(model, journey, disruption, items, hits,
                            chosen.objective(disruption.kind) if chosen else None, graph)
            if cell.outcome != SURVIVED or disruption.broad:
                cells[(journey.key, disruption.id)] = cell
    availability = {j.key: journey_availability(model, j, table) for j in found}
    return Assessment(found, listed, cells, touched, policies, availability, problems, table.date)
