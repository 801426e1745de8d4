"""The model as a Graphviz DOT digraph: one cluster per tier, edge style by mode, control edges grey."""

from __future__ import annotations

from archlint.model import CONTROL_KINDS, Component, Dependency, NodeKind, SystemModel, Tier, TRAFFIC_EDGES

#: Shape of each kind of component; any kind not listed is a plain box.
SHAPES = {
    NodeKind.SERVICE: "box", NodeKind.WORKER: "component", NodeKind.FUNCTION: "hexagon",
    NodeKind.BATCH_JOB: "folder", NodeKind.SCHEDULED_JOB: "tab", NodeKind.DATASTORE: "cylinder",
    NodeKind.CACHE: "cylinder", NodeKind.VECTOR_STORE: "cylinder", NodeKind.QUEUE: "cds",
    NodeKind.MODEL_SERVING: "doubleoctagon", NodeKind.TRAINING_JOB: "octagon", NodeKind.GATEWAY: "invhouse",
    NodeKind.EXTERNAL: "ellipse", NodeKind.CLIENT: "house", NodeKind.CLUSTER: "box3d", NodeKind.NODE_POOL: "box3d",
    NodeKind.AUTOSCALER: "note", NodeKind.DISRUPTION_BUDGET: "note",
}
STYLES = {"sync": "solid", "async": "dashed", None: "dotted"}
CONTROL_COLOUR = "grey50"


def render(model: SystemModel) -> str:
    lines = ["digraph archlint {", "  rankdir=LR;", '  node [fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    by_tier: dict[Tier, list[Component]] = {}
    for component in model.components():
        by_tier.setdefault(component.tier, []).append(component)
    for tier in Tier:  # declaration order: grid, cloud, edge, ai, unknown
        if tier in by_tier:
            lines.append(f"  subgraph cluster_{tier.value} {{")
            lines.append(f"    label={quote(tier.value)};")
            lines.extend(f"    {_node(c)}" for c in sorted(by_tier[tier], key=lambda c: c.id))
            lines.append("  }")
    edges = sorted(model.dependencies(), key=lambda d: (d.source, d.target, d.kind.value, d.span.file, d.span.line,
                                                        d.origin, d.mode or ""))
    lines.extend(f"  {_edge(d)}" for d in edges)
    lines.append("}")
    return "\n".join(lines) + "\n"


def quote(text: str) -> str:
    """A DOT double-quoted string; backslashes doubled so Graphviz never reads `\\N` or `\\l` as an escape."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n") + '"'


def _label(component: Component) -> str:
    parts = [component.name, component.kind.value]
    facts = []
    if component.replicas is not None:
        facts.append(f"replicas: {component.replicas}")
    if component.zones is not None:
        facts.append(f"zones: {', '.join(component.zones) or 'none'}")
    if facts:
        parts.append(", ".join(facts))
    return "\n".join(parts)


def _node(component: Component) -> str:
    attrs = [f"label={quote(_label(component))}", f"shape={SHAPES.get(component.kind, 'box')}"]
    if component.kind in CONTROL_KINDS:
        attrs.append(f"color={CONTROL_COLOUR}, fontcolor={CONTROL_COLOUR}")
    return f"{quote(component.id)} [{', '.join(attrs)}];"


def _edge(dep: Dependency) -> str:
    attrs = [f"label={quote(dep.kind.value)}", f"style={STYLES.get(dep.mode, 'dotted')}"]
    if dep.kind not in TRAFFIC_EDGES:  # scales, protects: a control relation, not traffic
        attrs.append(f"color={CONTROL_COLOUR}, fontcolor={CONTROL_COLOUR}")
    return f"{quote(dep.source)} -> {quote(dep.target)} [{', '.join(attrs)}];"
