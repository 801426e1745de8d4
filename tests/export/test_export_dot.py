"""The Graphviz DOT export: well-formed, one cluster per tier, ids and labels escaped, edge style by mode."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from archlint.export.dot import SHAPES, quote, render

#: Graphviz's node shapes (https://graphviz.org/doc/info/shapes.html), those the export may use.
VALID_SHAPES = {"box", "component", "hexagon", "folder", "tab", "cylinder", "cds", "doubleoctagon", "octagon",
                "invhouse", "ellipse", "house", "box3d", "note"}


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) tokens: `string` with DOT escapes undone, or `punct` for braces and brackets outside strings."""
    tokens, index = [], 0
    while index < len(text):
        char = text[index]
        if char == '"':
            value, index = [], index + 1
            while text[index] != '"':
                if text[index] == "\\" and text[index + 1] in '"\\':
                    index += 1
                value.append(text[index])
                index += 1
            tokens.append(("string", "".join(value)))
        elif char in "{}[]":
            tokens.append(("punct", char))
        index += 1
    return tokens


def _statements(output: str) -> tuple[list[list[str]], list[tuple[str, str, str]]]:
    """Node statements (their strings) and edge statements (source, target, attribute text)."""
    nodes, edges = [], []
    for line in output.splitlines():
        strings = [value for kind, value in _tokens(line) if kind == "string"]
        if " -> " in line:
            edges.append((strings[0], strings[1], line.rsplit("[", 1)[1]))
        elif line.startswith("    ") and "[label=" in line:
            nodes.append(strings)
    return nodes, edges


def test_dot_snapshot(model, snapshot):
    assert render(model) == snapshot


def test_braces_and_brackets_balance_outside_strings(model):
    depth = {"{": 0, "[": 0}
    closing = {"}": "{", "]": "["}
    for kind, value in _tokens(render(model)):
        if kind == "punct":
            if value in depth:
                depth[value] += 1
            else:
                depth[closing[value]] -= 1
                assert depth[closing[value]] >= 0
    assert depth == {"{": 0, "[": 0}


def test_every_component_is_declared_once_with_a_valid_shape(model):
    output = render(model)
    nodes, _ = _statements(output)
    assert sorted(strings[0] for strings in nodes) == sorted(c.id for c in model.components())
    assert set(re.findall(r"shape=(\w+)", output)) <= VALID_SHAPES
    assert set(SHAPES.values()) <= VALID_SHAPES


def test_one_cluster_per_tier_labelled_with_its_name(model):
    output = render(model)
    tiers = sorted({c.tier.value for c in model.components()})
    assert sorted(re.findall(r"subgraph cluster_(\w+) \{", output)) == tiers
    for tier in tiers:
        assert f'subgraph cluster_{tier} {{\n    label="{tier}";' in output
    unknown = output.split("subgraph cluster_unknown {")[1].split("  }")[0]
    assert quote("shop/worker") in unknown


def test_edges_are_styled_by_mode_and_control_edges_are_grey(model):
    _, edges = _statements(render(model))
    by_key = {(source, target): attrs for source, target, attrs in edges}
    assert len(edges) == len(list(model.dependencies()))
    for dep in model.dependencies():
        attrs = by_key[(dep.source, dep.target)]
        assert f'label="{dep.kind.value}"' in attrs
        assert {"sync": "style=solid", "async": "style=dashed", None: "style=dotted"}[dep.mode] in attrs
        assert ("grey" in attrs) == (dep.kind.value in ("scales", "protects"))


def test_ids_and_labels_are_escaped(model, tricky):
    output = render(model)
    assert r'"ai/<script>\"x\"" [label="<script>\"x\"\nmodel-serving"' in output
    nodes, edges = _statements(output)
    assert [tricky.id, tricky.name + "\\nmodel-serving"] in nodes  # label escapes stay for Graphviz
    assert any(target == tricky.id for _, target, _ in edges)


def test_quote_escapes_backslashes_quotes_and_newlines():
    assert quote('a\\N "b"\r\nc') == r'"a\\N \"b\"\nc"'
    assert quote("trailing\\") == r'"trailing\\"'


def test_labels_show_replicas_and_zones_when_known(model):
    output = render(model)
    assert r'label="api\nservice\nreplicas: 3, zones: eu-west-1a, eu-west-1b"' in output
    assert r'label="worker\nworker"' in output


def test_graphviz_accepts_it(model, tmp_path):
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz `dot` is not installed: only the parse-level checks ran")
    result = subprocess.run([dot, "-Tsvg"], input=render(model), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout and "&lt;script&gt;" in result.stdout
