"""The service-graph loader: schema errors at once with lines and paths, units, merging with manifests."""

from __future__ import annotations

from archlint.model import EdgeKind, NodeKind, Tier

GRAPH = """\
apiVersion: archlint.dev/v1
kind: ServiceGraph
spec:
  defaults:
    tier: cloud
    location: {provider: aws, region: us-east-1}
  components:
    - name: api
      slo: {availability: "99.9%", latency: 250ms}
      resources: {cpu: 500m, memory: 1GiB}
      location: {zones: [us-east-1a, us-east-1b]}
      dependencies:
        - {target: db, kind: reads, mode: sync, rate: 50, payload: 4KB, timeout: 1m30s, retries: 2, backoff: exponential}
    - name: db
      kind: datastore
      tier: cloud
      data: {size: 1.5TB}
"""


def test_components_and_dependencies_with_units(load_yaml):
    model = load_yaml({"graph.yaml": GRAPH}).model
    api = model.component("api")
    assert (api.availability, api.latency_ms, api.cpu, api.memory) == (99.9, 250.0, 0.5, 2**30)
    assert (api.provider, api.region, api.zones, api.tier) == ("aws", "us-east-1", ("us-east-1a", "us-east-1b"), Tier.CLOUD)
    assert model.component("db").data_bytes == 1.5e12
    [dep] = model.outgoing("api")
    assert (dep.kind, dep.mode, dep.rate_rps, dep.bytes_per_call, dep.timeout_ms, dep.retries, dep.backoff) == (
        EdgeKind.READS, "sync", 50, 4000.0, 90000.0, 2, "exponential")
    assert dep.span.line == 13


def test_every_schema_error_is_reported_with_line_and_path(load_yaml):
    bad = GRAPH.replace("slo: {availability", "slos: {availability").replace("kind: datastore", "kind: database")
    bad = bad.replace("timeout: 1m30s", "timeout: soon")
    result = load_yaml({"graph.yaml": bad})
    got = sorted((f.rule, f.line, f.message.split(":")[1].strip()) for f in result.findings)
    assert got == [("IN002", 9, "spec.components[0].slos"),
                   ("IN002", 13, "spec.components[0].dependencies[0].timeout"),
                   ("IN002", 15, "spec.components[1].kind")]
    assert len(result.model) == 0  # an invalid document is left out whole


def test_unknown_dependency_target_is_reported(load_yaml):
    result = load_yaml({"graph.yaml": GRAPH.replace("target: db", "target: dbb")})
    [problem] = result.findings
    assert (problem.rule, problem.line) == ("IN002", 13) and "'dbb'" in problem.message


def test_service_graph_entry_merges_with_the_workload_of_the_same_name(load_yaml):
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ghcr.io/acme/api:1}]}
"""
    model = load_yaml({"graph.yaml": GRAPH, "k8s/api.yaml": deployment}).model
    api = model.component("shop/api")
    assert "api" not in model
    assert api.replicas == 2  # the manifest says it
    assert api.availability == 99.9 and api.zones == ("us-east-1a", "us-east-1b")  # the graph adds it
    assert [d.target for d in model.outgoing("shop/api")] == ["db"]
    assert {s.file for s in [api.span, *api.spans]} == {"k8s/api.yaml", "graph.yaml"}


def test_link_annotation_merges_different_names(load_yaml):
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-server
  annotations: {archlint.dev/component: api}
spec:
  template: {spec: {containers: [{name: api, image: x}]}}
"""
    model = load_yaml({"graph.yaml": GRAPH, "d.yaml": deployment}).model
    assert model.component("default/api-server").availability == 99.9
    assert model.component("db").kind is NodeKind.DATASTORE
