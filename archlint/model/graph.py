"""SystemModel: a NetworkX MultiDiGraph of components and dependencies behind a small read-only API."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from archlint.model.component import CONTROL_KINDS, Component, Dependency, EdgeKind, NodeKind, TRAFFIC_EDGES

if TYPE_CHECKING:
    import networkx as nx


class SystemModel:
    """The whole system as one graph. Built once by `ModelBuilder`, then only read."""

    def __init__(self, graph: "nx.MultiDiGraph", documents: int = 0, files: int = 0) -> None:
        self._graph = graph
        self.documents = documents
        self.files = files

    @property
    def graph(self) -> "nx.MultiDiGraph":
        """The underlying graph: node attribute `component`, edge attribute `dependency`."""
        return self._graph

    def __len__(self) -> int:
        return self._graph.number_of_nodes()

    def __contains__(self, node_id: str) -> bool:
        return node_id in self._graph

    def component(self, node_id: str) -> Component:
        return self._graph.nodes[node_id]["component"]

    @cached_property
    def _sorted_ids(self) -> list[str]:
        return sorted(self._graph.nodes)

    def components(self, *kinds: NodeKind) -> Iterator[Component]:
        """Every component (of the given kinds), in id order."""
        nodes = self._graph.nodes
        for node_id in self._sorted_ids:
            component = nodes[node_id]["component"]
            if not kinds or component.kind in kinds:
                yield component

    def dependencies(self, kinds: Iterable[EdgeKind] | None = None) -> Iterator[Dependency]:
        """Every dependency (of the given kinds), in (source, target, kind) order."""
        wanted = frozenset(kinds) if kinds is not None else None
        for dep in self._sorted_edges:
            if wanted is None or dep.kind in wanted:
                yield dep

    @cached_property
    def _sorted_edges(self) -> list[Dependency]:
        edges = [data["dependency"] for _, _, data in self._graph.edges(data=True)]
        return sorted(edges, key=lambda d: (d.source, d.target, d.kind.value, d.span.file, d.span.line))

    def outgoing(self, node_id: str, kinds: Iterable[EdgeKind] | None = None) -> list[Dependency]:
        wanted = frozenset(kinds) if kinds is not None else None
        deps = [d["dependency"] for _, _, d in self._graph.out_edges(node_id, data=True)]
        return sorted((d for d in deps if wanted is None or d.kind in wanted), key=lambda d: (d.target, d.kind.value))

    def incoming(self, node_id: str, kinds: Iterable[EdgeKind] | None = None) -> list[Dependency]:
        wanted = frozenset(kinds) if kinds is not None else None
        deps = [d["dependency"] for _, _, d in self._graph.in_edges(node_id, data=True)]
        return sorted((d for d in deps if wanted is None or d.kind in wanted), key=lambda d: (d.source, d.kind.value))

    @cached_property
    def sync_graph(self) -> "nx.DiGraph":
        """Components joined by the synchronous traffic edges: a failure travels back along these."""
        import networkx as nx

        sync = nx.DiGraph()
        sync.add_nodes_from(n for n, d in self._graph.nodes(data=True) if d["component"].kind not in CONTROL_KINDS)
        for source, target, data in self._graph.edges(data=True):
            dep = data["dependency"]
            if dep.kind in TRAFFIC_EDGES and dep.sync:
                sync.add_edge(source, target)
        return sync

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

