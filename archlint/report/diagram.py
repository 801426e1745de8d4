"""The architecture as an SVG: one lane per tier, columns by call depth, sync and async edges drawn apart, nodes
badged with their findings. Laid out in Python (no JavaScript library, no network), deterministic."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from archlint.finding import Finding, Severity
from archlint.model import CONTROL_KINDS, TRAFFIC_EDGES, NodeKind, SystemModel, Tier

LANES = ((Tier.EDGE, "Edge"), (Tier.CLOUD, "Cloud"), (Tier.AI, "AI infrastructure"), (Tier.GRID, "Grid"),
         (Tier.UNKNOWN, "Tier not declared"))
NODE_W, NODE_H, COL_W, ROW_H, LABEL_W, LANE_PAD = 176, 46, 226, 60, 150, 18
#: Nodes stacked in one column of a lane before the column wraps: keeps a few hundred nodes readable.
MAX_ROWS = 8
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


def render(model: SystemModel, findings: tuple[Finding, ...]) -> str:
    components, alias = _one_per_copy([c for c in model.components() if c.kind not in CONTROL_KINDS])
    if not components:
        return '<p class="muted">No components to draw.</p>'
    known = {c.id for c in components}
    modes: dict[tuple[str, str], bool] = {}
    for dep in model.dependencies(TRAFFIC_EDGES):
        source, target = alias.get(dep.source, dep.source), alias.get(dep.target, dep.target)
        if source in known and target in known and source != target:
            modes[(source, target)] = modes.get((source, target), False) or dep.sync
    layers = _layers([c.id for c in components], set(modes))
    by_node: dict[str, list[Finding]] = defaultdict(list)
    for found in findings:
        node = alias.get(found.node, found.node)
        if node in known:
            by_node[node].append(found)
    cells: dict[tuple[Tier, int], list] = defaultdict(list)
    for component in sorted(components, key=lambda c: (c.region or "", c.name, c.id)):
        cells[(component.tier, layers[component.id])].append(component)
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
    edges_svg = [_edge(boxes[s], boxes[t], sync, s, t) for (s, t), sync in sorted(modes.items())]
    nodes_svg = [_node(c, boxes[c.id], by_node.get(c.id, [])) for c in components]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="diagram" class="diagram" viewBox="0 0 {width:g} {y:g}" '
            f'width="{width:g}" height="{y:g}" role="img" aria-label="Architecture diagram">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
            + "".join(lanes_svg) + '<g class="edges">' + "".join(edges_svg) + "</g>"
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
    name = component.name if len(component.name) <= 22 else component.name[:21] + "…"
    place = " · ".join(p for p in (component.provider, component.region) if p)
    subtitle = component.kind.value + (f" · {place}" if place else "")
    if len(subtitle) > 30:
        subtitle = subtitle[:29] + "…"
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
