"""SystemModel: a NetworkX MultiDiGraph of components and dependencies behind a small read-only API.

The graph is made on first use (`graph`, `sync_graph`): what most rules ask (components, dependencies, the edges
of a node) is answered from the components and edges themselves, so a process that runs only those rules never
imports NetworkX (on two cores the rules that walk the graph go to the forked child, which imports it while this
process runs the others: archlint.engine.checks). The graph holds the nodes and edges in the order they were
added, as the builder adds them, so every answer is the same either way."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from archlint.model.economics import Economics
from archlint.model.preferences import Preferences
from archlint.model.resilience import DeclaredJourney, ResiliencePolicy
from archlint.model.component import CONTROL_KINDS, Component, Dependency, EdgeKind, NodeKind, TRAFFIC_EDGES

if TYPE_CHECKING:
    import networkx as nx

    from archlint.model.locality import Flow


class SystemModel:
    """The whole system as one graph. Built once by `ModelBuilder`, then only read."""

    def __init__(self, components: Iterable[Component] = (), edges: Iterable[Dependency] = (), documents: int = 0,
                 files: int = 0) -> None:
        #: The nodes in the order they were added, and the edges likewise (each source's in `_out`, each target's
        #: in `_in`): the order the graph iterates them in.
        self._nodes: dict[str, Component] = {c.id: c for c in components}
        self._edges: list[Dependency] = list(edges)
        self.documents = documents
        self.files = files
        #: Prices, usage assumptions, budgets and the base branch's cost, set once before the rules run.
        self.economics = Economics()
        #: The team's placement weights, set once before the rules run.
        self.preferences = Preferences()
        #: Files among the inputs that show continuous delivery: CI pipelines, GitOps objects.
        self.delivery: tuple[str, ...] = ()
        #: User journeys the service graphs declare (names not yet resolved to components).
        self.journeys: tuple[DeclaredJourney, ...] = ()
        #: The team's resilience policy (recovery objectives per disruption), set once before the rules run.
        self.resilience = ResiliencePolicy()

    def afresh(self) -> SystemModel:
        """The same nodes and edges in a new model with nothing worked out yet (no index, no graph), as the benchmark
        times each analysis."""
        return SystemModel(self._nodes.values(), self._edges, self.documents, self.files)

    @cached_property
    def graph(self) -> "nx.MultiDiGraph":
        """The underlying graph: node attribute `component`, edge attribute `dependency` (made on first use)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        graph.add_nodes_from((node_id, {"component": component}) for node_id, component in self._nodes.items())
        graph.add_edges_from((dep.source, dep.target, {"dependency": dep}) for dep in self._edges)
        return graph

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, node_id: str) -> bool:
        return node_id in self._nodes

    def component(self, node_id: str) -> Component:
        return self._by_id[node_id]

    @cached_property
    def _by_id(self) -> dict[str, Component]:
        """Component by id, in id order: a plain dict, where a lookup through NetworkX's node view costs several
        times more (the rules look components up about 20 times per node)."""
        return {node_id: self._nodes[node_id] for node_id in sorted(self._nodes)}

    def components(self, *kinds: NodeKind) -> Iterator[Component]:
        """Every component (of the given kinds), in id order."""
        if not kinds:
            return iter(self._by_id.values())
        wanted = frozenset(kinds)
        if wanted not in self._components_of_kinds:  # as with dependencies: a few sets of kinds, filtered once each
            self._components_of_kinds[wanted] = [c for c in self._by_id.values() if c.kind in wanted]
        return iter(self._components_of_kinds[wanted])

    @cached_property
    def _components_of_kinds(self) -> dict[frozenset, list[Component]]:
        return {}

    def dependencies(self, kinds: Iterable[EdgeKind] | None = None) -> Iterator[Dependency]:
        """Every dependency (of the given kinds), in (source, target, kind) order."""
        if kinds is None:
            return iter(self._sorted_edges)
        wanted = frozenset(kinds)
        if wanted not in self._edges_of_kinds:  # rules ask for the same few sets of kinds: filter each once
            self._edges_of_kinds[wanted] = [d for d in self._sorted_edges if d.kind in wanted]
        return iter(self._edges_of_kinds[wanted])

    @cached_property
    def _sorted_edges(self) -> list[Dependency]:
        # stable: edges equal in the key keep the order they were added in, as the graph iterates them
        return sorted(self._edges, key=lambda d: (d.source, d.target, d.kind, d.span.file, d.span.line))  # kind: a str

    @cached_property
    def _edges_of_kinds(self) -> dict[frozenset, list[Dependency]]:
        return {}

    def outgoing(self, node_id: str, kinds: Iterable[EdgeKind] | None = None) -> list[Dependency]:
        wanted = frozenset(kinds) if kinds is not None else None
        deps = self._out.get(node_id, ())
        return sorted((d for d in deps if wanted is None or d.kind in wanted), key=lambda d: (d.target, d.kind.value))

    def incoming(self, node_id: str, kinds: Iterable[EdgeKind] | None = None) -> list[Dependency]:
        wanted = frozenset(kinds) if kinds is not None else None
        deps = self._in.get(node_id, ())
        return sorted((d for d in deps if wanted is None or d.kind in wanted), key=lambda d: (d.source, d.kind.value))

    @cached_property
    def _out(self) -> dict[str, list[Dependency]]:
        """Each node's outgoing edges in the order they were added (the sorts above are stable, so edges equal in
        their key come in the order the graph gives them)."""
        found: dict[str, list[Dependency]] = {}
        for dep in self._edges:
            found.setdefault(dep.source, []).append(dep)
        return found

    @cached_property
    def _in(self) -> dict[str, list[Dependency]]:
        found: dict[str, list[Dependency]] = {}
        for dep in self._edges:
            found.setdefault(dep.target, []).append(dep)
        return found

    @cached_property
    def data_flows(self) -> "tuple[Flow, ...]":
        """`locality.flows` at the default round trips and bandwidth, computed once for the cost estimate and the
        advisor (the data-gravity rules take round trips and bandwidth as options and compute their own)."""
        from archlint.model.locality import flows

        return tuple(flows(self))

    @cached_property
    def sync_graph(self) -> "nx.DiGraph":
        """Components joined by the synchronous traffic edges, as a NetworkX graph: a failure travels back along
        these. `sync_adjacency` is the same graph without NetworkX."""
        import networkx as nx

        sync = nx.DiGraph()
        adjacency = self.sync_adjacency
        sync.add_nodes_from(adjacency)
        # sources in the graph's order, so that each node's predecessors come in the order the graph gives them too
        sync.add_edges_from((source, target) for source in self._nodes for target in adjacency.get(source, ()))
        return sync

    @cached_property
    def sync_adjacency(self) -> dict[str, list[str]]:
        """Each node of the synchronous graph and the nodes it calls synchronously: every component but the
        controls, and any control a synchronous traffic edge touches. The order is the one a NetworkX DiGraph built
        from the graph's edges has (nodes, then each one's targets in the order of its first edge to them), which the
        condensation's numbering and the rules' tie-breaks follow."""
        adjacency = {n: [] for n, c in self._nodes.items() if c.kind not in CONTROL_KINDS}
        for source in self._nodes:
            targets: dict[str, bool] = {}  # the graph's order of neighbours: each one's first edge, of any kind
            for dep in self._out.get(source, ()):
                targets[dep.target] = targets.get(dep.target, False) or (dep.kind in TRAFFIC_EDGES and dep.sync)
            for target, synchronous in targets.items():
                if synchronous:
                    adjacency.setdefault(source, [])
                    adjacency.setdefault(target, [])
                    adjacency[source].append(target)
        return adjacency

    @cached_property
    def sync_dag(self) -> "Condensation":
        """The synchronous graph with each synchronous cycle folded into one node, built once for the rules that
        need reach."""
        return Condensation(self.sync_adjacency)

    def entrypoints(self) -> list[Component]:
        """Where requests enter: declared entrypoints, and gateways or clients not declared otherwise."""
        return [c for c in self.components() if c.entrypoint or (
            c.entrypoint is None and c.kind in (NodeKind.GATEWAY, NodeKind.CLIENT))]

    def summary(self) -> dict[str, object]:
        """Counts by node and edge kind, as the reports print them."""
        nodes: dict[str, int] = {}
        for component in self.components():
            nodes[component.kind.value] = nodes.get(component.kind.value, 0) + 1
        edges: dict[str, int] = {}
        for dep in self.dependencies():
            edges[dep.kind.value] = edges.get(dep.kind.value, 0) + 1
        return {"files": self.files, "documents": self.documents, "nodes": dict(sorted(nodes.items())),
                "edges": dict(sorted(edges.items()))}


class Condensation:
    """A graph's strongly connected components (call cycles), numbered callees first: a DAG to propagate over.

    Components come in reverse topological order (Tarjan's), so a pass in index order sees everything a component
    reaches before the component itself, and a pass backwards everything that reaches it. Node positions follow
    the same order, so the bitset of what a component reaches has no bit above its own nodes'.
    """

    def __init__(self, adjacency: dict[str, list[str]]) -> None:
        #: Nodes of each component; `component[node]` its index; `position[node]` its bit in reach bitsets.
        self.members: list[tuple[str, ...]] = _tarjan(adjacency)
        self.component: dict[str, int] = {n: c for c, nodes in enumerate(self.members) for n in nodes}
        self.position: dict[str, int] = {n: p for p, n in enumerate(n for nodes in self.members for n in nodes)}
        self.successors: list[tuple[int, ...]] = []
        self.predecessors: list[list[int]] = [[] for _ in self.members]
        for index, nodes in enumerate(self.members):
            targets = {self.component[t] for n in nodes for t in adjacency[n]}
            targets.discard(index)
            self.successors.append(tuple(targets))
            for target in targets:
                self.predecessors[target].append(index)

    def own_bits(self, index: int) -> int:
        """The positions of a component's nodes, as a bitset."""
        nodes = self.members[index]
        return ((1 << len(nodes)) - 1) << self.position[nodes[0]]

    def downward(self, seed: Callable[[int], int]) -> Iterator[tuple[int, int]]:
        """(component, bits), callees first: its seed OR the seeds of every component it reaches."""
        return _propagate(range(len(self.members)), self.successors, self.predecessors, seed)

    def upward(self, seed: Callable[[int], int]) -> Iterator[tuple[int, int]]:
        """(component, bits), callers first: its seed OR the seeds of every component that reaches it."""
        return _propagate(range(len(self.members) - 1, -1, -1), self.predecessors, self.successors, seed)


def _propagate(order: Iterable[int], sources: list, consumers: list, seed: Callable[[int], int]) -> Iterator[tuple[int, int]]:
    """OR bitsets along a DAG; a set is dropped once its last consumer has it, so memory follows the frontier."""
    pending = [len(c) for c in consumers]
    done = [0] * len(consumers)
    for index in order:
        bits = seed(index)
        for source in sources[index]:
            bits |= done[source]
            pending[source] -= 1
            if not pending[source]:
                done[source] = 0
        if pending[index]:
            done[index] = bits
        yield index, bits


def _tarjan(adjacency: dict[str, list[str]]) -> list[tuple[str, ...]]:
    """Strongly connected components in reverse topological order, without recursion (chains can be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    for root in adjacency:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(adjacency[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(adjacency[child])))
                    break
                if child in on_stack and index[child] < low[node]:
                    low[node] = index[child]
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    members = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        members.append(top)
                        if top == node:
                            break
                    found.append(tuple(members))
    return found


def bit_positions(bits: int) -> list[int]:
    """The positions of the set bits of `bits`, lowest first; non-zero bytes are found by memchr, not by Python."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    flags = data.translate(_NONZERO)
    found: list[int] = []
    at = flags.find(1)
    while at >= 0:
        found += [at * 8 + bit for bit in _BITS[data[at]]]
        at = flags.find(1, at + 1)
    return found


_NONZERO = bytes([0] + [1] * 255)
_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]
