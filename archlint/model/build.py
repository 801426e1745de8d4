"""ModelBuilder: gathers what the loaders found, merges one system described in several formats, builds the graph."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields

from archlint.model.component import CONTROL_KINDS, Component, Dependency, Tier
from archlint.model.graph import SystemModel

#: Where a component is described, most authoritative first: the merged node keeps the id of the first.
SOURCE_PRECEDENCE = ("kubernetes", "terraform", "terraform-plan", "cloudformation", "pulumi", "cdk", "compose", "service-graph", "backstage", "jaeger")

#: Sources whose resource names are local identifiers (`main`, `this`): they merge only through an explicit link.
LINK_ONLY_SOURCES = frozenset({"terraform", "terraform-plan", "cloudformation", "pulumi", "cdk"})

#: Annotation or label that links a component to a node of the same system under another name.
LINK_KEY = "archlint.dev/component"

_MERGEABLE = [f.name for f in fields(Component) if f.name not in {
    "id", "name", "span", "source", "spans", "points", "labels", "annotations", "attrs", "kind", "tier"}]


class ModelBuilder:
    """Collects components and dependencies; `build()` merges and resolves them into a SystemModel."""

    def __init__(self) -> None:
        self._components: list[Component] = []
        self._dependencies: list[Dependency] = []
        self._ids: set[str] = set()
        #: The ids of the builder a scratch builder works for (`scratch()`): taken, though not this one's.
        self._outer: set[str] | frozenset[str] = frozenset()
        self.documents = 0
        self.files = 0
        #: Files that show how changes are delivered: CI pipelines and GitOps objects.
        self.delivery: list[str] = []
        #: Dependencies whose target names no component; filled by `build()`.
        self.unresolved: list[Dependency] = []
        #: User journeys declared in service graphs, in the order they were read.
        self.journeys: list = []
        self._scope: tuple[str | None, str | None] = (None, None)

    def scope(self, system: str | None, variant: str | None) -> None:
        """Components added from now on belong to `system` (and its `variant`), until the next call."""
        self._scope = (system, variant)

    def unique_id(self, wanted: str, file: str) -> str:
        """`wanted`, or `wanted@variant` (`@system`) when another component already holds that id (the same object
        in another variant or system), else `wanted@file` (the same object in two files)."""
        taken, outer = self._ids, self._outer
        label = self._scope[1] or self._scope[0]
        node_id = wanted if wanted not in taken and wanted not in outer else f"{wanted}@{label}" if label else \
            f"{wanted}@{file}"
        if label and (node_id in taken or node_id in outer):
            node_id = f"{wanted}@{file}"
        counter = 2
        while node_id in taken or node_id in outer:
            node_id, counter = f"{wanted}@{file}#{counter}", counter + 1
        self._ids.add(node_id)
        return node_id

    def scratch(self) -> ModelBuilder:
        """An empty builder for one attempt at loading some files: its ids stay unique against this builder's, and
        nothing it gathers reaches this one unless `commit` hands it over (an attempt that raised is dropped)."""
        child = ModelBuilder()
        child._outer = self._ids
        child._scope = self._scope
        return child

    def commit(self, scratch: ModelBuilder) -> None:
        """Take over what a `scratch()` builder gathered, as if it had been added here: every list it holds
        (components, dependencies, delivery files, journeys, and whatever a loader gathers next) and its ids."""
        for name, value in vars(scratch).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
        self._ids |= scratch._ids

    def add(self, component: Component) -> None:
        if component.system is None and self._scope[0] is not None:
            component.system, component.variant = self._scope
        self._components.append(component)

    def components(self) -> tuple[Component, ...]:
        """The components added so far, before merging (a step that adds facts to them runs before `build()`)."""
        return tuple(self._components)

    def connect(self, dependency: Dependency) -> None:
        self._dependencies.append(dependency)

    def build(self) -> SystemModel:
        aliases = self._merge()
        graph: dict[str, Component] = {}  # the nodes, in the order the graph will hold them (archlint.model.graph)
        for component in self._components:
            if component.id not in aliases:
                graph[component.id] = component  # a later one in its place, as the graph updates a node
        names: dict[str, list[str]] = defaultdict(list)
        for node_id, component in graph.items():
            names[component.name].append(node_id)
        resolved = []
        for dep in self._dependencies:
            dep.source = aliases.get(dep.source, dep.source)
            dep.target = aliases.get(dep.target, dep.target)
            if dep.target not in graph and len(names.get(dep.target, ())) == 1:
                dep.target = names[dep.target][0]  # a name that one component answers to
            if dep.source not in graph or dep.target not in graph:
                self.unresolved.append(dep)
            elif dep.source != dep.target or dep.origin == "declared":
                resolved.append(dep)
        declared = {}
        for dep in resolved:
            if dep.origin == "declared":
                declared.setdefault((dep.source, dep.target), dep)
        seen: set[tuple] = set()
        edges = []
        for dep in resolved:
            twin = declared.get((dep.source, dep.target)) if dep.origin == "inferred" else None
            if twin is not None:  # the declared edge carries the facts; keep where the inference came from
                twin.evidence = "; ".join(filter(None, [twin.evidence, dep.evidence]))
                continue
            identity = (dep.source, dep.target, dep.kind, dep.origin, dep.span)
            if identity not in seen:
                seen.add(identity)
                edges.append(dep)
        model = SystemModel(graph.values(), edges, documents=self.documents, files=self.files)
        model.delivery = tuple(sorted(set(self.delivery)))
        model.journeys = tuple(self.journeys)
        return model

    def _merge(self) -> dict[str, str]:
        """Merge descriptions of one component from different formats; returns merged-away id -> kept id."""
        by_name: dict[tuple[str, str], list[Component]] = defaultdict(list)
        for component in self._components:
            if component.kind in CONTROL_KINDS:
                continue  # controls share their workload's name but describe it, they are not it
            link = component.annotations.get(LINK_KEY) or component.labels.get(LINK_KEY)
            if link is None and component.source in LINK_ONLY_SOURCES:
                continue
            by_name[(link or component.name, component.source)].append(component)
        sources_of: dict[str, set[str]] = defaultdict(set)
        for name, source in by_name:
            sources_of[name].add(source)
        aliases: dict[str, str] = {}
        for name in sorted(sources_of):
            groups = [by_name[(name, source)] for source in _ordered_sources(sources_of[name])]
            if len(groups) < 2:
                continue
            primary_group = groups[0]
            for group in groups[1:]:
                for extra in group:
                    targets = [p for p in primary_group if extra.namespace in (None, p.namespace)
                               and extra.system in (None, p.system)]
                    # a description joins the system it names, or the only one: every variant of it learns its facts
                    if len({p.system for p in targets}) == 1 and len({p.variant for p in targets}) == len(targets):
                        for target in targets:
                            _absorb(target, extra)
                        aliases[extra.id] = targets[0].id
        for merged_away, kept in list(aliases.items()):
            while kept in aliases:
                kept = aliases[kept]
            aliases[merged_away] = kept
        return aliases


def _ordered_sources(sources: set[str]) -> list[str]:
    rank = {s: i for i, s in enumerate(SOURCE_PRECEDENCE)}
    return sorted(sources, key=lambda s: (rank.get(s, len(rank)), s))


def _absorb(primary: Component, extra: Component) -> None:
    """Fill what `primary` does not know from `extra`; a declared kind or tier from a description wins over a guess."""
    for name in _MERGEABLE:
        if getattr(primary, name) in (None, ()) and getattr(extra, name) not in (None, ()):
            setattr(primary, name, getattr(extra, name))
    if extra.attrs.get("kind_declared") and not primary.attrs.get("kind_declared"):
        primary.kind = extra.kind
    if primary.tier is Tier.UNKNOWN:
        primary.tier = extra.tier
    primary.spans.append(extra.span)
    primary.spans.extend(extra.spans)
    for point, span in extra.points.items():
        primary.points.setdefault(point, span)
    for key, value in extra.labels.items():
        primary.labels.setdefault(key, value)
    for key, value in extra.attrs.items():
        primary.attrs.setdefault(key, value)
    primary.attrs.setdefault("merged_from", []).append(extra.source)
