"""The architecture as SVG: one lane per tier, columns by call depth, nodes ordered within their columns to cross
as few calls as they can (barycentre sweeps, as in Sugiyama's layered layout), sync and async edges drawn apart,
nodes badged with their findings. A model of several systems (or a large one of several namespaces) is one
diagram each, with a selector to open each; a component's copies in a system's variants are one box. Laid out in
Python (no JavaScript library, no network), deterministic."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from archlint.finding import Finding, Severity
from archlint.model import CONTROL_KINDS, TRAFFIC_EDGES, NodeKind, SystemModel, Tier
from archlint.report.escape import html as escape

LANES = ((Tier.EDGE, "Edge"), (Tier.CLOUD, "Cloud"), (Tier.AI, "AI infrastructure"), (Tier.GRID, "Grid"),
         (Tier.UNKNOWN, "Tier not declared"))
NODE_W, NODE_H, COL_W, ROW_H, LABEL_W, LANE_PAD = 188, 46, 236, 60, 150, 18
#: Characters of a name that fit a box beside its badge (13 px type), and of the line under it (11 px).
NAME_CHARS, KIND_CHARS = 20, 30
#: Nodes stacked in one column of a lane before the column wraps: keeps a few hundred nodes readable.
MAX_ROWS = 8
#: Past this many components, one system is drawn one namespace at a time when it has several.
SPLIT_ABOVE = 100
#: Barycentre sweeps (down then up) tried; the order with the fewest crossings is kept.
SWEEPS = 4
_STORES = frozenset({NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.VECTOR_STORE, NodeKind.QUEUE})
SEVERITY_CLASS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    x: float
    y: float


def _layers(nodes: list[str], edges: set[tuple[str, str]]) -> dict[str, int]:
    """Longest distance from a node nothing calls, over the call graph with its cycles folded."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    folded = nx.condensation(graph)
    depth: dict[int, int] = {}
    for block in nx.lexicographical_topological_sort(folded, key=lambda b: min(folded.nodes[b]["members"])):
        depth[block] = max((depth[p] + 1 for p in folded.predecessors(block)), default=0)
    return {node: depth[folded.graph["mapping"][node]] for node in nodes}


def _one_per_copy(components: list) -> tuple[list, dict[str, str]]:
    """One box per component of a system: its copies in other variants fold into the first (id -> kept id)."""
    kept, alias, first = [], {}, {}
    for component in sorted(components, key=lambda c: c.id):
        key = (component.system, component.namespace, component.name, component.kind) if component.variant else None
        if key is not None and key in first:
            alias[component.id] = first[key]
            continue
        if key is not None:
            first[key] = component.id
        kept.append(component)
    return kept, alias


def groups(components: list) -> list[tuple[str, list]]:
    """The diagrams to draw: (title, components). One per system when the model has several; one per namespace
    when a single one is larger than SPLIT_ABOVE and has several; else the whole model."""
    by_system: dict[str, list] = defaultdict(list)
    for component in components:
        by_system[component.system or ""].append(component)
    if len(by_system) > 1:
        return [(name or "(no system)", members) for name, members in sorted(by_system.items())]
    by_namespace: dict[str, list] = defaultdict(list)
    for component in components:
        by_namespace[component.namespace or ""].append(component)
    if len(components) > SPLIT_ABOVE and len(by_namespace) > 1:
        return [(f"namespace {name}" if name else "(no namespace)", members)
                for name, members in sorted(by_namespace.items())]
    return [("", components)] if components else []


def render(model: SystemModel, findings: tuple[Finding, ...]) -> str:
    """Every diagram of the model; several come with a selector that shows one at a time. Copies of a component
    in a system's variants are one box, with the findings of all of them."""
    components, alias = _one_per_copy([c for c in model.components() if c.kind not in CONTROL_KINDS])
    drawn = groups(components)
    if not drawn:
        return '<p class="muted">No components to draw.</p>'
    modes: dict[tuple[str, str], bool] = {}
    for dep in model.dependencies(TRAFFIC_EDGES):
        source, target = alias.get(dep.source, dep.source), alias.get(dep.target, dep.target)
        if source != target:
            modes[(source, target)] = modes.get((source, target), False) or dep.sync
    by_node: dict[str, list[Finding]] = defaultdict(list)
    for found in findings:
        nodes = (found.node, *found.nodes) if found.instances else (found.node,)
        for node in dict.fromkeys(alias.get(n, n) for n in nodes):
            by_node[node].append(found)
    if len(drawn) == 1:
        return f'<div class="canvas">{diagram(drawn[0][1], modes, by_node, "diagram")}</div>'
    options, canvases = [], []
    weight = [(sum(f.severity is Severity.ERROR for c in m for f in by_node.get(c.id, ())),
               sum(len(by_node.get(c.id, ())) for c in m)) for _, m in drawn]
    shown = max(range(len(drawn)), key=lambda i: (weight[i], -i))  # the one with the most errors opens first
    for index, (title, members) in enumerate(drawn):
        errors, count = weight[index]
        label = (f"{title} ({_n(len(members), 'component')}, {_n(errors, 'error')}, {_n(count, 'finding')})")
        options.append(f'<option value="{index}"{" selected" if index == shown else ""}>{escape(label)}</option>')
        hidden = "" if index == shown else " hidden"
        canvases.append(f'<div class="canvas" data-diagram="{index}"{hidden}>'
                        f'<h3>{escape(title)}</h3>{diagram(members, modes, by_node, f"diagram-{index}")}</div>')
    picker = (f'<div class="systems"><label for="system">{len(drawn)} diagrams, one per '
              f'{"namespace" if drawn[0][0].startswith(("namespace ", "(no namespace)")) else "system"}: </label>'
              f'<select id="system">{"".join(options)}</select></div>')
    return picker + "".join(canvases)


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def order(cells: dict[tuple[Tier, int], list], edges: set[tuple[str, str]], layers: dict[str, int]) -> None:
    """Reorder each cell (a tier's nodes at one depth) in place so that calls cross as little as they can: each
    node moves to the mean height of its callers (downward sweeps) or callees (upward), Sugiyama's barycentre
    heuristic; the order with the fewest crossings found is kept."""
    callers: dict[str, list[str]] = defaultdict(list)
    callees: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        callers[target].append(source)
        callees[source].append(target)
    depth = max(layers.values(), default=0) + 1
    best = {key: list(nodes) for key, nodes in cells.items()}
    fewest = crossings(cells, edges, layers)
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        for d in (range(1, depth) if downward else range(depth - 2, -1, -1)):
            heights = _heights(cells)
            for (tier, layer), nodes in cells.items():
                if layer != d:
                    continue
                neighbours = callers if downward else callees
                near = {n.id: [heights[m] for m in neighbours[n.id] if m in heights and layers[m] != d]
                        for n in nodes}
                nodes.sort(key=lambda n: (sum(near[n.id]) / len(near[n.id]) if near[n.id] else heights[n.id],
                                          heights[n.id]))
        found = crossings(cells, edges, layers)
        if found < fewest:
            fewest, best = found, {key: list(nodes) for key, nodes in cells.items()}
    for key in cells:
        cells[key][:] = best[key]


def _heights(cells: dict[tuple[Tier, int], list]) -> dict[str, float]:
    """A node's vertical position: its lane, then its row within its column (columns wrap every MAX_ROWS)."""
    lanes = {tier: index for index, (tier, _) in enumerate(LANES)}
    return {component.id: lanes[tier] * (MAX_ROWS + 1) + index % MAX_ROWS + (index // MAX_ROWS) * 0.01
            for (tier, _), nodes in cells.items() for index, component in enumerate(nodes)}


def crossings(cells: dict[tuple[Tier, int], list], edges: set[tuple[str, str]], layers: dict[str, int]) -> int:
    """Pairs of calls that cross, counted among calls between the same two depths (the ones a reordering moves)."""
    heights = _heights(cells)
    spans: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for source, target in edges:
        if source in heights and target in heights and layers[source] != layers[target]:
            spans[(layers[source], layers[target])].append((heights[source], heights[target]))
    total = 0
    for pairs in spans.values():
        pairs.sort()
        for i, (a1, b1) in enumerate(pairs):
            for a2, b2 in pairs[i + 1:]:
                if a1 != a2 and (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def diagram(components: list, modes: dict[tuple[str, str], bool], by_node: dict[str, list[Finding]],
            element_id: str) -> str:
    known = {c.id for c in components}
    edges = {pair: sync for pair, sync in modes.items() if pair[0] in known and pair[1] in known}
    layers = _layers([c.id for c in components], set(edges))
    cells: dict[tuple[Tier, int], list] = defaultdict(list)
    for component in sorted(components, key=lambda c: (c.region or "", c.name, c.id)):
        cells[(component.tier, layers[component.id])].append(component)
    order(cells, set(edges), layers)
    depth = max(layers.values()) + 1
    # each layer is as many columns wide as its fullest cell needs
    widths = [max((math.ceil(len(cells.get((t, d), ())) / MAX_ROWS) for t, _ in LANES), default=1) or 1
              for d in range(depth)]
    starts = [LABEL_W + sum(widths[:d]) * COL_W for d in range(depth)]
    boxes: dict[str, Box] = {}
    lanes_svg = []
    y = 0.0
    for tier, label in LANES:
        rows = max((min(len(cells.get((tier, d), ())), MAX_ROWS) for d in range(depth)), default=0)
        if not rows:
            continue
        height = rows * ROW_H + 2 * LANE_PAD
        lanes_svg.append(f'<g class="lane lane-{tier.value}"><rect x="0" y="{y:g}" width="100%" height="{height:g}"/>'
                         f'<text x="14" y="{y + 24:g}">{escape(label)}</text></g>')
        for d in range(depth):
            for index, component in enumerate(cells.get((tier, d), ())):
                column, row = divmod(index, MAX_ROWS)
                boxes[component.id] = Box(component.id, starts[d] + column * COL_W, y + LANE_PAD + row * ROW_H)
        y += height
    width = LABEL_W + sum(widths) * COL_W
    edges_svg = [_edge(boxes[s], boxes[t], sync, s, t) for (s, t), sync in sorted(edges.items())]
    nodes_svg = [_node(c, boxes[c.id], by_node.get(c.id, [])) for c in components]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" class="diagram" viewBox="0 0 {width:g} {y:g}" '
            f'width="{width:g}" height="{y:g}" role="img" aria-label="Architecture diagram">'
            f'<defs><marker id="arrow-{element_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
            + "".join(lanes_svg) + '<g class="edges">' + "".join(edges_svg).replace("url(#arrow)",
                                                                                   f"url(#arrow-{element_id})")
            + "</g>"
            + '<g class="nodes">' + "".join(nodes_svg) + "</g></svg>")


def _edge(a: Box, b: Box, sync: bool, source: str, target: str) -> str:
    x1, y1 = a.x + NODE_W, a.y + NODE_H / 2
    x2, y2 = b.x, b.y + NODE_H / 2
    bend = max(50.0, abs(x2 - x1) / 2)
    if x2 <= x1:  # a call back to an earlier column: loop out to the right and come in from the left
        path = f"M{x1:g},{y1:g} C{x1 + 80:g},{y1:g} {x2 - 80:g},{y2:g} {x2:g},{y2:g}"
    else:
        path = f"M{x1:g},{y1:g} C{x1 + bend:g},{y1:g} {x2 - bend:g},{y2:g} {x2:g},{y2:g}"
    kind = "sync" if sync else "async"
    return (f'<path class="edge {kind}" data-s="{escape(source)}" data-t="{escape(target)}" d="{path}" '
            f'marker-end="url(#arrow)"/>')


def _node(component, box: Box, found: list[Finding]) -> str:
    name = component.name if len(component.name) <= NAME_CHARS else component.name[:NAME_CHARS - 1] + "…"
    place = " · ".join(p for p in (component.provider, component.region) if p)
    subtitle = component.kind.value + (f" · {place}" if place else "")
    if len(subtitle) > KIND_CHARS:
        subtitle = subtitle[:KIND_CHARS - 1] + "…"
    shape = "store" if component.kind in _STORES else "compute"
    tooltip = [f"{component.name} ({component.kind.value}, tier {component.tier.value})",
               f"{component.span.file}:{component.span.line}"]
    tooltip += [f"{f.severity.value} {f.rule}: {f.message}" for f in found[:8]]
    if len(found) > 8:
        tooltip.append(f"... and {len(found) - 8} more")
    badge = ""
    if found:
        worst = max(found, key=lambda f: f.severity.rank).severity
        badge = (f'<g class="badge {SEVERITY_CLASS[worst]}"><circle cx="{box.x + NODE_W - 4:g}" cy="{box.y + 4:g}" '
                 f'r="11"/><text x="{box.x + NODE_W - 4:g}" y="{box.y + 8:g}">{len(found)}</text></g>')
    return (f'<g class="node {shape}" data-id="{escape(component.id)}" data-name="{escape(component.name.lower())}">'
            f'<title>{escape(chr(10).join(tooltip))}</title>'
            f'<rect x="{box.x:g}" y="{box.y:g}" width="{NODE_W}" height="{NODE_H}" rx="{14 if shape == "store" else 6}"/>'
            f'<text class="name" x="{box.x + 10:g}" y="{box.y + 19:g}">{escape(name)}</text>'
            f'<text class="kind" x="{box.x + 10:g}" y="{box.y + 36:g}">{escape(subtitle)}</text>{badge}</g>')
