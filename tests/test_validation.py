"""The fast path of schema validation (jsonschema-rs) must agree with jsonschema, which reports the errors."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.loaders.yamlsource import parse_yaml
from archlint.resources import data_dir, schema
from archlint.validation import _fast_valid, validate

jsonschema_rs = pytest.importorskip("jsonschema_rs")

SERVICE_GRAPH = "service-graph.schema.json"


def _agree(document, name: str) -> None:
    slow = jsonschema.Draft202012Validator(schema(name)).is_valid(document)
    assert _fast_valid(document, name) == slow, json.dumps(document, default=str)[:400]


def test_the_demo_service_graph_is_valid_on_both_paths():
    path = data_dir("demo") / "architecture.yaml"
    for document in parse_yaml(path.read_bytes(), "architecture.yaml"):
        _agree(document.data, SERVICE_GRAPH)
        assert validate(document.data, SERVICE_GRAPH) == []


def test_an_invalid_document_still_gets_every_error_with_its_line():
    text = b"apiVersion: archlint.dev/v1\nkind: ServiceGraph\nspec:\n  components:\n    - name: a\n      replicas: two\n"
    document = parse_yaml(text, "g.yaml")[0].data
    errors = validate(document, SERVICE_GRAPH)
    assert errors and all(e.line >= 1 for e in errors)
    assert _fast_valid(document, SERVICE_GRAPH) is False


def test_values_the_fast_path_cannot_take_fall_back_to_jsonschema():
    document = parse_yaml(b"apiVersion: archlint.dev/v1\nkind: ServiceGraph\nspec: {components: [{name: a, "
                          b"since: 2024-01-01}]}\n", "g.yaml")[0].data
    _agree(document, SERVICE_GRAPH)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, width=16),
                     st.sampled_from(["a", "api", "1", "2Gi", "500m", "250ms", "99.9%", "us-east-1", "grpc",
                                      "calls", "service", "database", "", "10 GB", "1h30m"]))
_KEYS = st.sampled_from(["name", "kind", "tier", "replicas", "slo", "calls", "target", "mode", "timeout",
                         "retries", "zones", "region", "provider", "bytes", "latency", "availability", "x"])
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
                       max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(components=st.lists(st.dictionaries(_KEYS, _VALUES, max_size=5), max_size=3))
def test_both_validators_agree_on_arbitrary_service_graphs(components):
    _agree({"apiVersion": "archlint.dev/v1", "kind": "ServiceGraph", "spec": {"components": components}},
           SERVICE_GRAPH)
