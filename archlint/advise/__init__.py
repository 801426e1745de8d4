"""The architecture advisor: placement of every workload, simpler managed alternatives and the scaling roadmap.

Pure functions of the model (and its economics and preferences), computed once per model and shared by the
placement rules, `archlint advise` and the reports."""

from __future__ import annotations

from dataclasses import dataclass

from archlint.model import SystemModel

@dataclass(frozen=True)
class Advice:
    placements: tuple  # tuple[Placement, ...] in component id order
    gains: dict  # component id -> Gain
    simplifications: tuple  # tuple[Simplification, ...]
    roadmap: object  # Roadmap


def advise(model: SystemModel) -> Advice:
    """The advice on this model, computed once."""
    cached = getattr(model, "_advice", None)
    if cached is None:
        cached = _compute(model)
        model._advice = cached  # type: ignore[attr-defined]
    return cached


def _compute(model: SystemModel) -> Advice:
    from archlint.advise.gains import gain
    from archlint.advise.managed import managed_services, scale_to_zero
    from archlint.advise.placement import place
    from archlint.advise.roadmap import assess
    from archlint.advise.signals import signals
    from archlint.cost import estimate, priced_catalog

    costs = {n.id: n.high for n in estimate(model).nodes if n.lines}
    prices = priced_catalog(model.economics)
    preferences = model.preferences
    weights = preferences.weights
    placements, gains = [], {}
    for node_id, found in signals(model).items():
        placement = place(found, weights)
        placements.append(placement)
        gains[node_id] = gain(model, placement, found, costs.get(node_id), prices)
    simpler = managed_services(model, prices, costs) + scale_to_zero(
        model, prices, costs, preferences.scale_to_zero_rps, preferences.function_seconds)
    return Advice(tuple(placements), gains, tuple(simpler), assess(model))


__all__ = ["Advice", "advise"]
