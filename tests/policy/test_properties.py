"""Property tests: no policy document crashes the loader, and no valid condition crashes a check."""

from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.engine.config import Config
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.resources import data_dir
from archlint.rules.policy.load import PolicyError, load_file

KEYS = ["policies", "id", "name", "title", "concern", "severity", "documentation", "summary", "flags", "why", "fix",
        "for", "select", "where", "message", "at", "key", "related", "cases", "let", "options", "default", "schema",
        "all", "any", "not", "attr", "equals", "in", "matches", "gt", "lte", "exists", "truthy", "contains", "type",
        "unit", "option", "times", "path", "to", "aggregate", "sum", "max", "ratio", "as", "depth", "edges", "kind",
        "direction", "count", "value", "nodes", "edges"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.floats(allow_nan=False, width=16),
                    st.sampled_from(KEYS + ["{name}", "{x", "500m", "2Gi", "([a-", "datastore", "failure-isolation",
                                            "warning", "nodes", "edges", "containers", "ABC-001", "a-b", "len(zones)"]),
                    st.text(max_size=8))
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)), max_leaves=30)

class _NoAliases(yaml.SafeDumper):
    """Hypothesis may reuse one object twice; written plainly, as a person would (aliases are refused)."""

    def ignore_aliases(self, data):
        return True


def _dump(document) -> str:
    return yaml.dump(document, Dumper=_NoAliases)


VALID_HEADER = {"id": "P-001", "name": "p", "title": "P", "concern": "cost", "severity": "info",
                "documentation": {"summary": "s", "flags": "f", "why": "w", "fix": "x"}}


def _load_text(text: str):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "p.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_file(path, "p.yaml")
        except PolicyError as error:
            assert error.errors and all(e.startswith("p.yaml:") for e in error.errors)
            return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_any_document_is_either_valid_or_a_policy_error(document):
    _load_text(_dump(document))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({"for": st.sampled_from(["nodes", "edges", "containers"])}, optional={
    "where": DOCUMENTS, "message": SCALARS, "select": DOCUMENTS, "let": DOCUMENTS, "cases": DOCUMENTS}))
def test_any_policy_body_is_either_valid_or_a_policy_error(body):
    _load_text(_dump({"policies": [{**VALID_HEADER, **body}]}))


NODE_PATHS = ["name", "kind", "tier", "replicas", "min_replicas", "autoscaling.max_replicas", "labels.team",
              "attrs.services", "attrs.telemetry", "zones", "len(zones)", "zones.0", "cpu", "memory", "containers",
              "facts.serves_traffic", "facts.long_running", "facts.replica_text", "region", "criticality", "entrypoint"]
LITERALS = st.one_of(st.none(), st.booleans(), st.integers(-2, 5), st.sampled_from(
    ["service", "datastore", "500m", "2Gi", "1s", "api", "", "critical"]), st.lists(st.sampled_from(["a", "service"])))


def _attribute(paths):
    operator = st.sampled_from(["equals", "not_equals", "gt", "gte", "lt", "lte", "contains"])
    members = st.sampled_from(["in", "not_in"])
    flags = st.sampled_from(["exists", "truthy", "empty"])
    return st.one_of(
        st.builds(lambda p, o, v: {"attr": p, o: v}, st.sampled_from(paths), operator, LITERALS),
        st.builds(lambda p, o, v: {"attr": p, o: v}, st.sampled_from(paths), members, st.lists(LITERALS, max_size=3)),
        st.builds(lambda p, f, v: {"attr": p, f: v}, st.sampled_from(paths), flags, st.booleans()),
        st.builds(lambda p, r: {"attr": p, "matches": r}, st.sampled_from(paths), st.sampled_from(["^a", "x|y", "."])),
        st.builds(lambda p, q, t: {"attr": p, "gt": {"attr": q, "times": t}}, st.sampled_from(paths),
                  st.sampled_from(paths), st.integers(0, 3)),
        st.builds(lambda p, t: {"attr": p, "type": t}, st.sampled_from(paths),
                  st.sampled_from(["integer", "string", "list", "mapping"])))


def _conditions(paths, graph: bool):
    base = _attribute(paths)
    if graph:
        base = st.one_of(base, st.builds(
            lambda d, n, c, w: {"related": {"direction": d, "depth": n, **c, **({"where": w} if w else {}), "as": "r"}},
            st.sampled_from(["out", "in", "both"]), st.integers(1, 4),
            st.sampled_from([{}, {"exists": False}, {"count": {"gte": 2}}, {"all": {"attr": "replicas", "gte": 1}}]),
            st.one_of(st.none(), _attribute(NODE_PATHS))),
            st.builds(lambda t, m: {"path": {"to": t, "mode": m, "as": "p"}}, _attribute(NODE_PATHS),
                      st.sampled_from(["sync", "async", "any"])),
            st.builds(lambda f, c: {"aggregate": {"sum": f, "as": "t", "gt": c}},
                      st.sampled_from(["bytes_per_day", "count", "rate_rps"]), st.integers(0, 3)))
    return st.recursive(base, lambda inner: st.one_of(
        st.builds(lambda items: {"all": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda items: {"any": items}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda item: {"not": item}, inner)), max_leaves=6)


EDGE_PATHS = ["kind", "mode", "sync", "timeout_ms", "retries", "backoff", "source.name", "target.kind",
              "target.replicas", "bytes_per_day"]
CONTAINER_PATHS = ["container.name", "container.memory_request", "container.init", "container.readiness",
                   "node.name", "node.attrs.services", "node.facts.long_running"]


@lru_cache(maxsize=1)
def _demo():
    directory = data_dir("demo")
    return load(discover([directory], directory, ())).model


def _run(kind: str, condition: dict, message: str):
    policy = {**VALID_HEADER, "for": kind, "where": condition, "message": message}
    rules = _load_text(_dump({"policies": [policy]}))
    assert rules is not None, condition
    list(rules[0].check(_demo(), {}))
    return Config()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_conditions(NODE_PATHS, graph=True))
def test_valid_node_conditions_never_raise_on_the_demo(condition):
    text = json.dumps(condition)
    computed = [f for name, f in (("r", "{r}"), ("p", "{p.name}"), ("t", "{t:,.1f}")) if f'"as": "{name}"' in text]
    _run("nodes", condition, " ".join(["{name} {replicas|plural:replica} {zones.0}", *computed]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_conditions(EDGE_PATHS, graph=False))
def test_valid_edge_conditions_never_raise_on_the_demo(condition):
    _run("edges", condition, "{source.name} -> {target.name} {timeout_ms:.0f}")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_conditions(CONTAINER_PATHS, graph=False))
def test_valid_container_conditions_never_raise_on_the_demo(condition):
    _run("containers", condition, "{container.name} of {node.name} {container.memory_request|memory}")
