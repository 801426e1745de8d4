"""The model as a Mermaid flowchart: one subgraph per tier, nodes n0, n1, ... in id order, labels escaped."""

from __future__ import annotations

from archlint.model import Component, Dependency, NodeKind, SystemModel, Tier, TRAFFIC_EDGES

#: Mermaid's node shapes as (open, close) around the quoted label; any kind not listed is a rectangle.
SHAPES = {
    NodeKind.DATASTORE: ("[(", ")]"), NodeKind.CACHE: ("[(", ")]"), NodeKind.VECTOR_STORE: ("[(", ")]"),
    NodeKind.QUEUE: ("[[", "]]"), NodeKind.GATEWAY: ("{{", "}}"), NodeKind.EXTERNAL: ("([", "])"),
    NodeKind.CLIENT: ("([", "])"), NodeKind.AUTOSCALER: ("[/", "/]"), NodeKind.DISRUPTION_BUDGET: ("[/", "/]"),
}
#: Entity codes for what would end a label or be read as markup; `#` first, so codes are not escaped twice.
_ESCAPES = (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"), ("`", "#96;"),
            ("|", "#124;"))


def render(model: SystemModel) -> str:
    components = list(model.components())
    ids = {c.id: f"n{index}" for index, c in enumerate(sorted(components, key=lambda c: c.id))}
    lines = ["flowchart LR"]
    for tier in Tier:  # declaration order: grid, cloud, edge, ai, unknown
        members = sorted((c for c in components if c.tier is tier), key=lambda c: c.id)
        if members:
            lines.append(f'  subgraph tier_{tier.value}["{escape(tier.value)}"]')
            lines.extend(f"    {_node(ids[c.id], c)}" for c in members)
            lines.append("  end")
    edges = sorted(model.dependencies(), key=lambda d: (d.source, d.target, d.kind.value, d.span.file, d.span.line,
                                                        d.origin, d.mode or ""))
    control = []
    for index, dep in enumerate(edges):
        lines.append(f"  {_edge(ids, dep)}")
        if dep.kind not in TRAFFIC_EDGES:
            control.append(str(index))
    if control:  # scales, protects: control relations drawn grey, as in the DOT export
        lines.append(f"  linkStyle {','.join(control)} stroke:grey,color:grey")
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    """Text safe inside a Mermaid `"..."` label: entity codes for markup and quotes, newlines and other controls
    as spaces, a lone surrogate (a name that is not UTF-8) as its escape."""
    for raw, code in _ESCAPES:
        text = text.replace(raw, code)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8").translate(_CONTROLS)
    return " ".join(text.split("\n"))


_CONTROLS = {c: " " for c in (*range(0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}


def _node(node_id: str, component: Component) -> str:
    open_, close = SHAPES.get(component.kind, ("[", "]"))
    return f'{node_id}{open_}"{escape(component.name)} ({component.kind.value})"{close}'


def _edge(ids: dict[str, str], dep: Dependency) -> str:
    # Async traffic and control relations are dotted; a traffic edge of unknown mode is drawn solid and marked "?".
    dotted = dep.mode == "async" or dep.kind not in TRAFFIC_EDGES
    label = dep.kind.value + (" ?" if dep.mode is None and dep.kind in TRAFFIC_EDGES else "")
    return f"{ids[dep.source]} {'-.->' if dotted else '-->'}|{label}| {ids[dep.target]}"
