"""The architecture advisor: placement of every workload, simpler managed alternatives and the scaling roadmap.

Pure functions of the model (and its economics and preferences), computed at most once per model, each part when
first asked for, and shared by the placement rules, `archlint advise` and the reports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from archlint.model import SystemModel

if TYPE_CHECKING:  # the modules load when advice is first computed, not when archlint.advise is imported
    from archlint.advise.gains import Gain
    from archlint.advise.managed import Simplification
    from archlint.advise.placement import Placement
    from archlint.advise.roadmap import Roadmap
    from archlint.advise.workloads import Workloads


@dataclass(frozen=True)
class Advice:
    """Everything the advisor says about one model.

    Each part is computed when first read, then kept. `archlint check` reads the placements of the few workloads
    whose files say where they run (PL001, PL002), the simplifications and the roadmap; `archlint advise` and the
    reports read every placement. A workload's placement is a pure function of the model, so what a part says
    does not depend on which part was read first."""

    model: SystemModel
    #: Component id -> (placement, gain), filled as workloads are placed.
    _placed: "dict[str, tuple[Placement, Gain]]" = field(default_factory=dict, init=False, repr=False,
                                                          compare=False)

    @cached_property
    def placements(self) -> "tuple[Placement, ...]":
        """One per workload, in component id order."""
        return tuple(self.placement(c.id) for c in self._workloads.all)

    @cached_property
    def gains(self) -> "dict[str, Gain]":
        """Component id -> what moving it to the recommendation would gain."""
        return {c.id: self.gain(c.id) for c in self._workloads.all}

    def declared(self) -> "Iterator[Placement]":
        """The placements of the workloads that declare where they run now, in component id order: only those
        can run in the wrong place, so the rules need no other."""
        from archlint.advise.signals import current_tier

        return (self.placement(c.id) for c in self._workloads.all if current_tier(c) is not None)

    def placement(self, node_id: str) -> "Placement":
        """Where a workload should run."""
        return self._advise(node_id)[0]

    def gain(self, node_id: str) -> "Gain":
        """What moving a workload to its recommended infrastructure would gain."""
        return self._advise(node_id)[1]

    @cached_property
    def simplifications(self) -> "tuple[Simplification, ...]":
        from archlint.advise.managed import managed_services, scale_to_zero

        workloads, preferences = self._workloads, self.model.preferences
        return tuple(managed_services(self.model, workloads.prices, workloads.costs) + scale_to_zero(
            self.model, workloads.prices, workloads.costs, preferences.scale_to_zero_rps,
            preferences.function_seconds))

    @cached_property
    def roadmap(self) -> "Roadmap":
        from archlint.advise.roadmap import assess

        return assess(self.model)

    def _advise(self, node_id: str) -> "tuple[Placement, Gain]":
        if node_id not in self._placed:
            self._placed[node_id] = self._workloads.advise(node_id)
        return self._placed[node_id]

    @cached_property
    def _workloads(self) -> "Workloads":
        from archlint.advise.workloads import Workloads

        return Workloads.of(self.model)


def advise(model: SystemModel) -> Advice:
    """The advice on this model, one per model."""
    cached = getattr(model, "_advice", None)
    if cached is None:
        cached = Advice(model)
        model._advice = cached  # type: ignore[attr-defined]
    return cached


__all__ = ["Advice", "advise"]
