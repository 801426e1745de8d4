"""The node-link JSON export: every known fact, nothing unknown, exactly what schemas/graph.schema.json documents."""

from __future__ import annotations

import json

import jsonschema
import pytest

from archlint.export.graph_json import render
from archlint.model import EdgeKind, NodeKind, Tier
from archlint.resources import schema as shipped_schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = shipped_schema("graph.schema.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def document(model) -> dict:
    return json.loads(render(model))


def _node(document: dict, node_id: str) -> dict:
    return next(n for n in document["nodes"] if n["id"] == node_id)


def test_json_snapshot(model, snapshot):
    assert render(model) == snapshot


def test_output_is_valid_against_the_graph_schema(document, validator):
    validator.validate(document)


def test_schema_rejects_unknown_keys_and_nulls(document, validator):
    document["nodes"][0]["colour"] = "red"
    assert not validator.is_valid(document)
    del document["nodes"][0]["colour"]
    document["nodes"][0]["replicas"] = None
    assert not validator.is_valid(document)


def test_schema_enums_are_the_model_enums():
    defs = shipped_schema("graph.schema.json")["$defs"]
    assert defs["node"]["properties"]["kind"]["enum"] == [k.value for k in NodeKind]
    assert defs["node"]["properties"]["tier"]["enum"] == [t.value for t in Tier]
    assert defs["link"]["properties"]["kind"]["enum"] == [k.value for k in EdgeKind]


def test_document_is_a_sorted_node_link_graph(document, model):
    assert document["directed"] is True and document["multigraph"] is True
    assert [n["id"] for n in document["nodes"]] == sorted(c.id for c in model.components())
    keys = [(link["source"], link["target"], link["kind"], link["span"]["file"], link["span"]["line"])
            for link in document["links"]]
    assert keys == sorted(keys) and len(keys) == 6
    assert document["summary"] == model.summary()


def test_unknown_facts_are_absent_not_null(document):
    worker = _node(document, "shop/worker")
    for unknown in ("replicas", "zones", "autoscaling", "region", "availability", "entrypoint"):
        assert unknown not in worker
    assert "null" not in json.dumps(document)
    scales = next(link for link in document["links"] if link["kind"] == "scales")
    assert "mode" not in scales and "timeout_ms" not in scales


def test_spans_points_and_nested_values_are_kept(document):
    api = _node(document, "shop/api")
    assert api["span"] == {"file": "deploy/api.yaml", "line": 3}
    assert api["spans"] == [{"file": "graph/system.yaml", "line": 12}]
    assert api["points"]["replicas"] == {"file": "deploy/api.yaml", "line": 9}
    assert api["zones"] == ["eu-west-1a", "eu-west-1b"]
    assert api["autoscaling"] == {"min_replicas": 2, "max_replicas": 10, "source": "HorizontalPodAutoscaler/api",
                                  "span": {"file": "deploy/api-hpa.yaml", "line": 1}, "metrics": ["cpu"]}
    container = api["containers"][0]
    assert container["readiness"] == {"kind": "http", "line": 27} and "liveness" not in container
    assert container["ports"] == [8080] and container["init"] is False
    assert api["kind"] == "service" and api["tier"] == "cloud"


def test_links_carry_every_known_dependency_fact(document, tricky):
    call = next(link for link in document["links"] if link["source"] == "edge-gw")
    assert call == {"source": "edge-gw", "target": "shop/api", "kind": "calls", "mode": "sync", "origin": "declared",
                    "span": {"file": "deploy/gateway.yaml", "line": 12}, "timeout_ms": 2000.0, "retries": 2,
                    "backoff": "exponential", "circuit_breaker": True}
    inferred = next(link for link in document["links"] if link["target"] == tricky.id)
    assert inferred["origin"] == "inferred" and inferred["evidence"] == "env INFERENCE_URL"
