"""Advising one workload at a time: what it needs from the whole model is gathered once, then any workload is
placed on its own, so that a check pays only for the workloads it asks about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from archlint.advise.gains import Gain, gain
from archlint.advise.placement import Placement, Ranking, place
from archlint.advise.signals import WORKLOADS, placed, signals_of, store_traffic
from archlint.catalog import Catalog
from archlint.cost import estimate, priced_catalog
from archlint.model import Component, SystemModel
from archlint.model.locality import EDGE_TO_CLOUD, Flow


@dataclass(frozen=True)
class Workloads:
    """The workloads of one model and what placing any of them needs, gathered in one pass over the model."""

    model: SystemModel
    #: Every workload, in component id order.
    all: tuple[Component, ...]
    #: Component id -> its estimated monthly cost (high end), for the priced ones.
    costs: dict[str, float]
    prices: Catalog
    #: Workload id -> store id -> GB a month exchanged with it.
    traffic: dict[str, dict[str, float]]
    #: Component id -> its flows between the edge and the cloud.
    edge_flows: dict[str, list[Flow]]
    #: The team's placement weights, as they were when the advice began.
    weights: Mapping[str, float]
    #: Rankings by criteria outcomes and constraints, shared by the workloads that have the same (see `place`).
    rankings: dict[tuple, Ranking] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, model: SystemModel) -> "Workloads":
        data_flows = model.data_flows
        edge_flows: dict[str, list[Flow]] = {}
        for flow in data_flows:
            if flow.transfer_class == EDGE_TO_CLOUD:
                for end in {flow.edge.source, flow.edge.target}:
                    edge_flows.setdefault(end, []).append(flow)
        return cls(model, tuple(c for c in model.components(*WORKLOADS) if placed(c)),
                   {n.id: n.high for n in estimate(model).nodes if n.lines}, priced_catalog(model.economics),
                   store_traffic(model, data_flows), edge_flows, model.preferences.weights)

    def advise(self, node_id: str) -> tuple[Placement, Gain]:
        """Where one workload should run, and what moving it there would gain."""
        found = signals_of(self.model, self.model.component(node_id), self.traffic.get(node_id, {}))
        placement = place(found, self.weights, self.rankings)
        return placement, gain(placement, found, self.costs.get(node_id), self.prices,
                               self.edge_flows.get(node_id, []))
