"""User journeys: each declared journey, and each entrypoint no declared journey enters, with everything it
reaches and how (synchronously: the journey waits for it; asynchronously: a queue or an async call in between)."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import NamedTuple

from archlint.model import CONTROL_KINDS, Component, Dependency, EdgeKind, NodeKind, Span, SystemModel, TRAFFIC_EDGES
from archlint.model.build import LINK_KEY
from archlint.model.resilience import DeclaredJourney

SYNC, ASYNC = "sync", "async"
#: Edges whose mode is not in the files are taken as synchronous (the journey waits), except these kinds.
_ASYNC_BY_KIND = frozenset({EdgeKind.PUBLISHES, EdgeKind.CONSUMES})


class Reached(NamedTuple):
    """How a journey reaches a component: `mode`, and the callers (and edge kinds) it is reached from."""

    mode: str
    callers: tuple[tuple[str, EdgeKind], ...] = ()


@dataclass
class Journey:
    """A journey: its name, entry, everything it reaches, and where it was declared (or the entry, if derived)."""

    name: str
    entry: Component
    declared: DeclaredJourney | None
    reach: dict[str, Reached] = field(default_factory=dict)
    #: Edges taken as synchronous because their mode is not in the files: (source, target).
    assumed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Unique among the journeys: the name, and the variant it was assessed in (`frontend@prod`)."""
        return f"{self.name}@{self.entry.variant}" if self.entry.variant else self.name

    @property
    def variant(self) -> str | None:
        return self.entry.variant

    @property
    def span(self) -> Span:
        return self.declared.span if self.declared else self.entry.span

    @property
    def criticality(self) -> str | None:
        return (self.declared.criticality if self.declared else None) or self.entry.criticality

    @property
    def system(self) -> str | None:
        return self.entry.system

    def required(self) -> list[str]:
        return [n for n, r in self.reach.items() if r.mode == SYNC]


@dataclass(frozen=True)
class Problem:
    """A declared journey archlint cannot follow: what is wrong and the line to correct."""

    journey: str
    message: str
    span: Span


class Graph:
    """The traffic edges once, by source, with each queue's consumers: what reach walks."""

    def __init__(self, model: SystemModel) -> None:
        self.out: dict[str, list[Dependency]] = defaultdict(list)
        self.consumers: dict[str, list[str]] = defaultdict(list)
        for dep in model.dependencies(TRAFFIC_EDGES):
            self.out[dep.source].append(dep)
            if dep.kind is EdgeKind.CONSUMES:
                self.consumers[dep.target].append(dep.source)
        self.kinds = {c.id: c.kind for c in model.components()}
        #: Tracing and metrics back-ends: no journey waits on them, whatever calls them.
        self.sinks = frozenset(c.id for c in model.components() if c.attrs.get("telemetry_backend"))
        #: Per caller, the stores it reads or writes and what it reads (the stand-ins a lost store or cache has).
        self.stores: dict[str, list[str]] = defaultdict(list)
        self.reads: dict[str, list[str]] = defaultdict(list)
        for source, deps in self.out.items():
            for dep in deps:
                if dep.kind in (EdgeKind.READS, EdgeKind.WRITES) and \
                        self.kinds.get(dep.target) in (NodeKind.DATASTORE, NodeKind.VECTOR_STORE):
                    self.stores[source].append(dep.target)
                if dep.kind is EdgeKind.READS:
                    self.reads[source].append(dep.target)
        for targets in self.reads.values():
            targets.sort()

    def mode(self, dep: Dependency) -> tuple[str, bool]:
        """(mode, assumed): the declared mode, else async into a queue or for publish/consume, else sync."""
        if dep.mode in (SYNC, ASYNC):
            return dep.mode, False
        if dep.kind in _ASYNC_BY_KIND or self.kinds.get(dep.target) is NodeKind.QUEUE:
            return ASYNC, False
        return SYNC, True


def journeys(model: SystemModel) -> tuple[list[Journey], list[Problem], "Graph"]:
    """Declared journeys (resolved), then one per entrypoint none of them enters; and what could not be resolved."""
    graph = Graph(model)
    by_name: dict[str, list[Component]] = defaultdict(list)
    for component in model.components():
        if component.kind in CONTROL_KINDS:
            continue  # an autoscaler or a disruption budget shares its workload's name
        for name in {component.name, component.labels.get(LINK_KEY), component.annotations.get(LINK_KEY)} - {None}:
            by_name[name].append(component)  # the names a service graph may use: its own, or the link
    found: list[Journey] = []
    problems: list[Problem] = []
    names: set[str] = set()
    for declared in model.journeys:
        if declared.name in names:
            problems.append(Problem(declared.name, f"journey {declared.name!r} is declared twice; this one is "
                                    "left out", declared.span))
            continue
        entries = _entries(declared.entry, by_name, model)
        if not entries:
            problems.append(Problem(declared.name, f"journey {declared.name!r}: its entry {declared.entry!r} is "
                                    "not a component of the model" if not by_name.get(declared.entry) else
                                    f"journey {declared.name!r}: its entry {declared.entry!r} names several "
                                    "components (give the namespace as namespace/name)",
                                    declared.entry_span or declared.span))
            continue
        names.add(declared.name)
        for entry in entries:  # one journey per variant the entry was rendered in
            journey = Journey(declared.name, entry, declared)
            _walk(journey, graph)
            if declared.calls is not None:
                found_problems = _restrict(journey, declared, by_name, model)
                problems += [p for p in found_problems if p not in problems]
            found.append(journey)
    entered = {j.entry.id for j in found}
    derived = [e for e in model.entrypoints() if e.id not in entered and e.kind is not NodeKind.EXTERNAL]
    per_variant: dict[tuple, int] = defaultdict(int)
    systems: dict[str, set] = defaultdict(set)
    for entry in derived:
        per_variant[(entry.system, entry.variant, entry.name)] += 1
        systems[entry.name].add(entry.system)
    for entry in derived:
        if per_variant[(entry.system, entry.variant, entry.name)] > 1 or entry.name in names:
            name = f"{entry.name} ({entry.span.file})"  # the same name in several files of one system
        elif len(systems[entry.name]) > 1 and entry.system:
            name = f"{entry.system}/{entry.name}"
        else:
            name = entry.name
        journey = Journey(name, entry, None)
        _walk(journey, graph)
        found.append(journey)
    return found, problems, graph


def _entries(name: str, by_name: dict[str, list[Component]], model: SystemModel) -> list[Component]:
    """The component a declared journey enters at, once per variant of its system it was rendered in."""
    if name in model:
        return [model.component(name)]
    candidates = by_name.get(name, [])
    if len(candidates) > 1 and len({c.system for c in candidates}) == 1 and \
            len({c.variant for c in candidates}) == len(candidates):
        return sorted(candidates, key=lambda c: c.id)
    return candidates[:1] if len(candidates) == 1 else []


def _resolve(name: str, by_name: dict[str, list[Component]], model: SystemModel,
             variant: str | None = None) -> Component | None:
    """The component a name means, in the given variant when the name has one per variant."""
    if name in model:
        return model.component(name)
    candidates = by_name.get(name, [])
    if len(candidates) > 1:
        candidates = [c for c in candidates if c.variant == variant] or candidates
    return candidates[0] if len(candidates) == 1 else None


def _walk(journey: Journey, graph: Graph) -> None:
    """Breadth-first from the entry: synchronous edges first, then everything behind an asynchronous hop (a queue
    reached, then the workers consuming it and what they call) is reached asynchronously."""
    reach: dict[str, list] = {journey.entry.id: [SYNC, []]}
    frontier = deque([journey.entry.id])
    later: list[tuple[str, str, EdgeKind]] = []
    while frontier:
        node = frontier.popleft()
        for dep in graph.out.get(node, ()):
            if dep.target in graph.sinks:
                continue  # a tracing or metrics back-end: signals are dropped while it is down, no request waits
            mode, assumed = graph.mode(dep)
            if mode == ASYNC:
                later.append((node, dep.target, dep.kind))
                continue
            if assumed:
                journey.assumed.append((node, dep.target))
            _arrive(reach, frontier, dep.target, node, dep.kind, SYNC)
    for node in [n for n, (mode, _) in reach.items() if mode == SYNC]:  # a queue the journey waits on
        later += [(node, consumer, EdgeKind.CONSUMES) for consumer in graph.consumers.get(node, ())]
    frontier = deque()
    for source, target, kind in later:
        _arrive(reach, frontier, target, source, kind, ASYNC)
    while frontier:
        node = frontier.popleft()
        for consumer in graph.consumers.get(node, ()):
            _arrive(reach, frontier, consumer, node, EdgeKind.CONSUMES, ASYNC)
        for dep in graph.out.get(node, ()):
            if dep.target not in graph.sinks:
                _arrive(reach, frontier, dep.target, node, dep.kind, ASYNC)
    journey.reach = {n: Reached(mode, tuple(callers)) for n, (mode, callers) in reach.items()}  # noqa: C416


def _arrive(reach: dict, frontier: deque, node: str, caller: str, kind: EdgeKind, mode: str) -> None:
    entry = reach.get(node)
    if entry is None:
        reach[node] = [mode, [(caller, kind)]]
        frontier.append(node)
    elif entry[0] == mode:
        entry[1].append((caller, kind))


def _restrict(journey: Journey, declared: DeclaredJourney, by_name, model: SystemModel) -> list[Problem]:
    """Keep what lies on the way from the entry to the components the journey declares it calls."""
    problems = []
    targets = []
    for name, span in zip(declared.calls or (), declared.call_spans or [declared.span] * len(declared.calls or ())):
        component = _resolve(name, by_name, model, journey.variant)
        if component is None:
            problems.append(Problem(journey.name, f"journey {journey.name!r} calls {name!r}, which is not a "
                                    "component of the model", span))
        elif component.id not in journey.reach:
            problems.append(Problem(journey.name, f"journey {journey.name!r} calls {name!r}, which its entry "
                                    f"{journey.entry.name} does not reach through any dependency", span))
        else:
            targets.append(component.id)
    keep = _on_shortest_paths(journey, targets)
    journey.reach = {n: Reached(r.mode, tuple(c for c in r.callers if c[0] in keep))
                     for n, r in journey.reach.items() if n in keep}
    journey.assumed = [(s, t) for s, t in journey.assumed if s in keep and t in keep]
    return problems


def _on_shortest_paths(journey: Journey, targets: list[str]) -> set[str]:
    """The entry, the targets and every component on a shortest way from the entry to one of them (a call cycle
    the journey does not need, such as a service that calls back its caller, stays out)."""
    callers: dict[str, set[str]] = defaultdict(set)
    for node, reached in journey.reach.items():
        for caller, _ in reached.callers:
            callers[node].add(caller)
    forward: dict[str, set[str]] = defaultdict(set)
    for node, sources in callers.items():
        for source in sources:
            forward[source].add(node)
    distance = {journey.entry.id: 0}
    queue = deque([journey.entry.id])
    while queue:
        node = queue.popleft()
        for target in sorted(forward.get(node, ())):
            if target not in distance:
                distance[target] = distance[node] + 1
                queue.append(target)
    keep = {journey.entry.id}
    queue = deque(t for t in targets if t in distance)
    keep.update(queue)
    while queue:
        node = queue.popleft()
        for caller in callers.get(node, ()):
            if caller not in keep and distance.get(caller) == distance[node] - 1:
                keep.add(caller)
                queue.append(caller)
    return keep
