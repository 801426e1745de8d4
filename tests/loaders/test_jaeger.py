"""The Jaeger loader: `/api/dependencies` in both shapes, observed calls, merging with other formats by name."""

from __future__ import annotations

import json

import pytest

from archlint.model import EdgeKind, NodeKind

LINKS = [
    {"parent": "frontend", "child": "cart", "callCount": 1280},
    {"parent": "frontend", "child": "checkout", "callCount": 96},
    {"parent": "checkout", "child": "cart", "callCount": 1},
    {"parent": "checkout", "child": "payment", "callCount": 90, "source": "jaeger"},
]


def api_response(links) -> str:
    """What the Jaeger query service answers, pretty-printed as people save it."""
    return json.dumps({"data": links, "total": 0, "limit": 0, "offset": 0, "errors": None}, indent=2)


@pytest.mark.parametrize("text", [json.dumps(LINKS, indent=2), api_response(LINKS)], ids=["bare-list", "api-response"])
def test_every_pair_is_an_observed_call(load_yaml, text):
    result = load_yaml({"traces/dependencies.json": text})
    model = result.model
    assert result.stats["documents.jaeger"] == 1
    assert {c.id: (c.name, c.kind, c.source) for c in model.components()} == {
        f"jaeger:{name}": (name, NodeKind.SERVICE, "jaeger") for name in ("frontend", "cart", "checkout", "payment")}
    edges = {(d.source, d.target): d for d in model.dependencies()}
    assert set(edges) == {("jaeger:frontend", "jaeger:cart"), ("jaeger:frontend", "jaeger:checkout"),
                          ("jaeger:checkout", "jaeger:cart"), ("jaeger:checkout", "jaeger:payment")}
    first = edges[("jaeger:frontend", "jaeger:cart")]
    assert (first.kind, first.origin, first.mode, first.rate_rps) == (EdgeKind.CALLS, "observed", None, None)
    assert first.evidence == "observed 1280 calls"
    assert edges[("jaeger:checkout", "jaeger:cart")].evidence == "observed 1 call"
    assert edges[("jaeger:checkout", "jaeger:payment")].evidence == "observed 90 calls (source: jaeger)"
    assert first.span.file == "traces/dependencies.json"
    assert text.splitlines()[first.span.line - 1].strip() == '"parent": "frontend",'


def test_lines_point_at_each_pair(load_yaml):
    text = api_response(LINKS)
    model = load_yaml({"deps.json": text}).model
    lines = text.splitlines()
    for dep in model.dependencies():
        parent = dep.source.split(":", 1)[1]
        assert lines[dep.span.line - 1].strip() == f'"parent": "{parent}",'


def test_services_merge_with_the_workloads_other_formats_describe(load_yaml):
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  replicas: 3
  template: {spec: {containers: [{name: cart, image: redis:7}]}}
"""
    model = load_yaml({"deps.json": api_response(LINKS), "k8s/cart.yaml": deployment}).model
    assert "jaeger:cart" not in model
    cart = model.component("shop/cart")
    assert cart.kind is NodeKind.CACHE  # a name seen in traces does not override what the manifest says
    assert cart.attrs["merged_from"] == ["jaeger"]
    assert sorted(d.source for d in model.incoming("shop/cart")) == ["jaeger:checkout", "jaeger:frontend"]


def test_observed_calls_sit_beside_declared_ones(load_yaml):
    graph = """\
apiVersion: archlint.dev/v1
kind: ServiceGraph
spec:
  components:
    - name: frontend
      dependencies: [{target: cart, mode: sync}]
    - name: cart
"""
    model = load_yaml({"deps.json": api_response(LINKS[:1]), "graph.yaml": graph}).model
    assert sorted((d.origin, d.mode) for d in model.outgoing("frontend")) == [("declared", "sync"), ("observed", None)]


@pytest.mark.parametrize("text", [
    "[]",
    '{"data": []}',
    '[{"parent": "a", "child": "b"}, {"parent": "a"}]',
    '[{"parent": "a", "child": 3}]',
    '{"name": "app", "dependencies": {"left-pad": "1.0.0"}}',
    '{"apiVersion": "v1", "kind": "List", "data": [{"parent": "a", "child": "b"}]}',
])
def test_other_json_is_not_taken_for_jaeger(load_yaml, text):
    result = load_yaml({"other.json": text})
    assert "documents.jaeger" not in result.stats and len(result.model) == 0
