"""The matrix: for every disruption and journey, whether the journey fails, degrades or survives, through which
component, how long recovery takes and what data is lost, judged against the team's policy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from archlint.catalog.recovery import Figure
from archlint.model import EdgeKind, NodeKind, SystemModel
from archlint.model.resilience import Objective, Policy
from archlint.resilience.availability import Availability
from archlint.resilience.disruptions import Disruption
from archlint.resilience.estimate import Estimate, worst
from archlint.resilience.journeys import ASYNC, SYNC, Journey, Problem, Reached
from archlint.resilience.recovery import LOST, SURVIVES, UNSURE, Recovery

FAILS, DEGRADED, SURVIVED, UNKNOWN_OUTCOME = "fails", "degraded", "survives", "unknown"
_STORES = frozenset({NodeKind.DATASTORE, NodeKind.VECTOR_STORE})
_SERVING = _STORES | {NodeKind.CACHE}


@dataclass(frozen=True)
class Cell:
    """One journey under one disruption."""

    #: The journey's key (its name, and its variant when there are several).
    journey: str
    disruption: str
    outcome: str
    #: Components that decide the outcome: the failing ones (fails), the absorbed ones (degraded), ...
    through: tuple[str, ...]
    rto: Estimate | None
    rpo: Estimate | None
    #: The component whose recovery decides the RTO, and the one whose data loss decides the RPO.
    decider: str | None
    rpo_decider: str | None
    recovery: Recovery | None
    rpo_recovery: Recovery | None
    notes: tuple[str, ...]
    assumptions: tuple[str, ...]
    breaches: tuple[str, ...] = ()

    @property
    def figures(self) -> tuple[Figure, ...]:
        found = list(self.recovery.figures if self.recovery else ())
        found += [f for f in (self.rpo_recovery.figures if self.rpo_recovery else ()) if f not in found]
        return tuple(found)


@dataclass
class Assessment:
    """Everything `archlint failure-modes` shows and the FI05x rules judge."""

    journeys: list[Journey]
    disruptions: list[Disruption]
    cells: dict[tuple[str, str], Cell]
    #: Per disruption id: how many journeys it touches and how many of those survive.
    touched: dict[str, int]
    policies: dict[str, Policy | None]
    availability: dict[str, Availability | None]
    problems: list[Problem]
    figures_date: str = ""
    unassessed: dict[str, int] = field(default_factory=dict)

    def cell(self, journey: str, disruption: str) -> Cell | None:
        """The cell of a journey (by key) under a disruption (by id); None: the journey survives it."""
        return self.cells.get((journey, disruption))

    def journey(self, key: str) -> Journey:
        if not hasattr(self, "_by_key"):
            self._by_key = {j.key: j for j in self.journeys}
        return self._by_key[key]

    def objective(self, journey: str, disruption: Disruption) -> Objective | None:
        policy = self.policies.get(journey)
        return policy.objective(disruption.kind) if policy else None


def evaluate(model: SystemModel, journey: Journey, disruption: Disruption, items: list[tuple[str, Reached, Recovery]],
             hits: dict[str, Recovery], objective: Objective | None, graph) -> Cell:
    """The cell of `journey` under `disruption`, from the recoveries of the components of the journey it hits."""
    failing: list[tuple[str, Recovery]] = []
    absorbed: list[str] = []
    notes: list[str] = []
    unsure: list[str] = []
    assumptions: list[str] = []
    kept: list[str] = []
    for node, reached, recovery in items:
        name = model.component(node).name
        assumptions += [f"{name}: {text}" for text in recovery.assumptions]
        if recovery.state == SURVIVES:
            kept.append(f"{name}: {recovery.says}")
        elif recovery.state == UNSURE:
            unsure.append(node)
            notes.append(f"{name}: {recovery.says}")
        elif reached.mode == ASYNC or node != journey.entry.id and (reason := _served(model, journey, node, reached,
                                                                                       hits, graph)):
            absorbed.append(node)
            notes.append(f"{name} lost: " + (f"{reason}" if reached.mode == SYNC else
                                             "reached asynchronously, its work waits (delayed, not failed)"))
        else:
            failing.append((node, recovery))
    lost = sorted(((n, reached, r) for n, reached, r in items if r.state == LOST and r.rpo is not None),
                  key=lambda item: (tuple(-v for v in item[2].rpo.rank()), item[1].mode != SYNC, item[0]))
    rpo_node, rpo_recovery = (lost[0][0], lost[0][2]) if lost else (None, None)
    rpo = rpo_recovery.rpo if rpo_recovery else None
    if failing:
        outcome = FAILS
        decider, recovery = min(failing, key=lambda item: (tuple(-v for v in item[1].rto.rank()), item[0]))
        rto = worst(r.rto for _, r in failing)
        through = tuple(sorted(n for n, _ in failing))
        failing_ids = set(through)
        assumptions += [f"{model.component(s).name} -> {model.component(t).name}: mode not in the files, taken as "
                        "synchronous" for s, t in journey.assumed if t in failing_ids]
    else:
        decider, recovery, rto = None, None, None
        outcome = DEGRADED if absorbed else UNKNOWN_OUTCOME if unsure else SURVIVED
        through = tuple(sorted(absorbed or unsure))
    breaches = []
    if objective is not None:
        if outcome == FAILS and objective.rto is not None and rto is not None and rto.exceeds(objective.rto):
            breaches.append("rto")
        if objective.rpo is not None and rpo is not None and rpo.exceeds(objective.rpo):
            breaches.append("rpo")
    return Cell(journey.key, disruption.id, outcome, through, rto, rpo, decider, rpo_node, recovery, rpo_recovery,
                tuple(dict.fromkeys(notes + kept)), tuple(dict.fromkeys(assumptions)), tuple(breaches))


def _served(model: SystemModel, journey: Journey, node: str, reached: Reached, hits: dict[str, Recovery],
            graph) -> str:
    """Why the journey degrades instead of failing when `node` is lost, or "": its callers only read it and read a
    cache or a replica that survives; or it is a cache whose callers also read the store behind it."""
    component = model.component(node)
    if component.kind not in _SERVING or not reached.callers:
        return ""  # only stores and caches have a stand-in for reads
    callers = [caller for caller, _ in reached.callers]
    alive = lambda n: n not in hits or hits[n].state != LOST  # noqa: E731
    if component.kind is NodeKind.CACHE:
        reach = journey.reach
        store = next((t for caller in callers for t in graph.stores.get(caller, ())
                      if t != node and t in reach and alive(t)), None)
        return f"reads go to {model.component(store).name} (slower, assuming cache-aside)" if store else ""
    if any(kind is not EdgeKind.READS for _, kind in reached.callers):
        return ""
    for caller in callers:
        for target in graph.reads.get(caller, ()):
            if target == node or not alive(target):
                continue
            other = model.component(target)
            if other.kind is NodeKind.CACHE:
                return f"reads are served from the cache {other.name} (hits only)"
            if other.attrs.get("replica_of") in (node, component.name):
                return f"reads are served by its replica {other.name}"
    return ""


def index(journeys: list[Journey]) -> dict[str, list[tuple[int, Reached]]]:
    """Component id -> the journeys reaching it, and how."""
    found: dict[str, list[tuple[int, Reached]]] = defaultdict(list)
    for number, journey in enumerate(journeys):
        for node, reached in journey.reach.items():
            found[node].append((number, reached))
    return found
