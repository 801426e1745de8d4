"""The Mermaid export: safe node ids, escaped labels, one subgraph per tier, edge arrow by mode."""

from __future__ import annotations

import re

from archlint.export.mermaid import escape, render

_DECLARATION = re.compile(r'^    (n\d+)(\[\(|\[\[|\{\{|\(\[|\[/|\[)"(.*)"(\)\]|\]\]|\}\}|\]\)|/\]|\])$')


def _declarations(output: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(3)) for m in map(_DECLARATION.match, output.splitlines()) if m]


def test_mermaid_snapshot(model, snapshot):
    assert render(model) == snapshot


def test_every_component_is_declared_once_with_a_safe_id(model):
    output = render(model)
    declared = _declarations(output)
    components = list(model.components())
    assert [node_id for node_id, _ in declared].count("n0") == 1
    assert sorted(node_id for node_id, _ in declared) == sorted(f"n{i}" for i in range(len(components)))
    # n0, n1, ... follow the component ids, and each label holds the real name.
    labels = dict(declared)
    for index, component in enumerate(sorted(components, key=lambda c: c.id)):
        assert labels[f"n{index}"] == f"{escape(component.name)} ({component.kind.value})"
    assert output.startswith("flowchart LR\n")


def test_labels_hold_no_raw_markup_or_quotes(model):
    labels = dict(_declarations(render(model)))
    for label in labels.values():
        assert not set(label) & set('<>"`\n')
    assert "#lt;script#gt;#quot;x#quot; (model-serving)" in labels.values()


def test_escape_uses_mermaid_entity_codes():
    assert escape('<b>"x" & #1|y`') == "#lt;b#gt;#quot;x#quot; #amp; #35;1#124;y#96;"
    assert escape("two\nlines") == "two lines"


def test_one_subgraph_per_tier(model):
    output = render(model)
    tiers = sorted({c.tier.value for c in model.components()})
    assert sorted(re.findall(r'^  subgraph tier_(\w+)\["\w+"\]$', output, re.MULTILINE)) == tiers
    assert output.count("\n  end\n") == len(tiers)


def test_edges_use_arrows_by_mode_and_grey_control_links(model):
    output = render(model)
    edges = re.findall(r"^  (n\d+) (-->|-\.->)\|([\w-]+(?: \?)?)\| (n\d+)$", output, re.MULTILINE)
    assert len(edges) == len(list(model.dependencies()))
    arrows = {label: arrow for _, arrow, label, _ in edges}
    assert arrows["calls"] == arrows["reads"] == "-->"
    assert arrows["publishes"] == arrows["consumes"] == arrows["scales"] == "-.->"
    assert arrows["calls ?"] == "-->"  # mode unknown: drawn solid, marked
    scales = [index for index, edge in enumerate(edges) if edge[2] == "scales"]
    assert f"  linkStyle {scales[0]} stroke:grey,color:grey" in output
