"""The architecture advisor: placement of every workload, simpler managed alternatives and the scaling roadmap.

Pure functions of the model (and its economics and preferences), computed once per model and shared by the
placement rules, `archlint advise` and the reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from archlint.model import SystemModel

if TYPE_CHECKING:  # the modules load when advice is first computed, not when archlint.advise is imported
    from archlint.advise.gains import Gain
    from archlint.advise.managed import Simplification
    from archlint.advise.placement import Placement
    from archlint.advise.roadmap import Roadmap


@dataclass(frozen=True)
class Advice:
    """Everything the advisor says about one model."""

    #: One per workload, in component id order.
    placements: "tuple[Placement, ...]"
    #: Component id -> what moving it to the recommendation would gain.
    gains: "dict[str, Gain]"
    simplifications: "tuple[Simplification, ...]"
    roadmap: "Roadmap"


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
    from archlint.model.locality import EDGE_TO_CLOUD, flows

    costs = {n.id: n.high for n in estimate(model).nodes if n.lines}
    prices = priced_catalog(model.economics)
    preferences = model.preferences
    weights = preferences.weights
    data_flows = list(flows(model))
    edge_flows: dict[str, list] = {}
    for flow in data_flows:
        if flow.transfer_class == EDGE_TO_CLOUD:
            for end in {flow.edge.source, flow.edge.target}:
                edge_flows.setdefault(end, []).append(flow)
    placements, gains = [], {}
    for node_id, found in signals(model, data_flows).items():
        placement = place(found, weights)
        placements.append(placement)
        gains[node_id] = gain(placement, found, costs.get(node_id), prices, edge_flows.get(node_id, []))
    simpler = managed_services(model, prices, costs) + scale_to_zero(
        model, prices, costs, preferences.scale_to_zero_rps, preferences.function_seconds)
    return Advice(tuple(placements), gains, tuple(simpler), assess(model))


__all__ = ["Advice", "advise"]
