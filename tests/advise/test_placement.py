"""Placement: hard constraints rule candidates out with their reason, weighted criteria pick among the rest,
the runner-up says why it lost, and the team's weights change the answer."""

from __future__ import annotations

import textwrap

from archlint.advise import advise
from archlint.advise.signals import within
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.model import Tier
from archlint.model.preferences import DEFAULT_WEIGHTS, Preferences


def _model(tmp_path, components: str, preferences: Preferences | None = None):
    path = tmp_path / "graph.yaml"
    path.write_text("apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: t}\nspec:\n"
                    "  defaults:\n    location: {provider: aws, region: eu-west-1, zones: [eu-west-1a, eu-west-1b]}\n"
                    "  components:\n" + textwrap.indent(textwrap.dedent(components), "    "))
    loaded = load([SourcePath(path, "graph.yaml")])
    assert not loaded.findings, loaded.findings
    if preferences:
        loaded.model.preferences = preferences
    return loaded.model


def _weights(overrides):
    return Preferences({**DEFAULT_WEIGHTS, **overrides})


def _placement(model, name):
    return next(p for p in advise(model).placements if p.component.name == name)


def test_gpu_serving_goes_to_ai_infrastructure_and_every_other_tier_is_ruled_out(tmp_path):
    model = _model(tmp_path, """
        - name: ranker
          kind: model-serving
          resources: {gpu: 1}
          user_facing: true
        """)
    placement = _placement(model, "ranker")
    assert placement.recommended.tier is Tier.AI
    excluded = {c.tier: c.excluded for c in placement.ruled_out}
    assert set(excluded) == {Tier.CLOUD, Tier.EDGE, Tier.GRID}
    assert "requests 1 GPU" in excluded[Tier.EDGE]
    assert placement.why_not.startswith("cloud is ruled out")


def test_a_latency_slo_below_the_round_trip_to_a_region_leaves_only_the_edge(tmp_path):
    model = _model(tmp_path, """
        - name: auth-check
          kind: function
          user_facing: true
          slo: {latency: 30ms}
        """)
    placement = _placement(model, "auth-check")
    assert placement.recommended.tier is Tier.EDGE
    reason = placement.candidate(Tier.CLOUD).excluded
    assert "30 ms is below the ~50 ms round trip" in reason


def test_batch_work_is_never_sent_to_the_edge_and_an_interactive_service_never_to_the_grid(tmp_path):
    model = _model(tmp_path, """
        - name: nightly
          kind: scheduled-job
        - name: api
          kind: service
          user_facing: true
        """)
    assert _placement(model, "nightly").candidate(Tier.EDGE).excluded.startswith("a scheduled-job with no user")
    assert "a request cannot wait for a slot" in _placement(model, "api").candidate(Tier.GRID).excluded


def test_residency_of_the_data_a_workload_reads_rules_out_the_edge(tmp_path):
    model = _model(tmp_path, """
        - name: profile
          kind: function
          user_facing: true
          slo: {latency: 150ms}
          dependencies:
            - {target: users, kind: reads, mode: sync, rate: 10, payload: 2KB, timeout: 100ms}
        - name: users
          kind: datastore
          data: {classification: personal, residency: [europe]}
        """)
    placement = _placement(model, "profile")
    assert "data must stay in europe (users's data)" in placement.candidate(Tier.EDGE).excluded
    assert placement.recommended.tier is Tier.CLOUD


def test_an_edge_component_that_calls_the_region_on_every_request_is_advised_back_to_the_cloud(tmp_path):
    model = _model(tmp_path, """
        - name: page
          kind: function
          tier: edge
          user_facing: true
          location: {provider: cloudflare, region: weur}
          dependencies:
            - {target: api, mode: sync, rate: 50, payload: 10KB, timeout: 1s}
        - name: api
          kind: service
          tier: cloud
        """)
    placement = _placement(model, "page")
    assert placement.current is Tier.EDGE and placement.recommended.tier is Tier.CLOUD and placement.differs
    gain = advise(model).gains[placement.component.id]
    assert gain.latency_ms == 48.5 and gain.data_gb and gain.data_gb > 1000
    assert "waits synchronously on api" in " ".join(placement.reasons)


def test_weights_from_the_team_change_the_recommendation(tmp_path):
    graph = """
        - name: exporter
          kind: scheduled-job
          dependencies:
            - {target: orders, kind: reads, mode: sync, volume_per_day: 20GB}
        - name: orders
          kind: datastore
        """
    default = _placement(_model(tmp_path, graph), "exporter").recommended.tier
    thrifty = _placement(_model(tmp_path, graph, _weights({"cost": 10})), "exporter")
    assert default is Tier.GRID and thrifty.recommended.tier is Tier.GRID
    assert thrifty.recommended.total - thrifty.runner_up.total > 2
    gravity = _placement(_model(tmp_path, graph, _weights(
        {"cost": 0, "throughput": 0, "elasticity": 0, "resilience": 0, "data_gravity": 10})), "exporter")
    assert gravity.recommended.tier is Tier.CLOUD
    points = {c.criterion: c for c in gravity.recommended.contributions}
    assert points["data_gravity"].weight == 10 and points["cost"].points == 0


def test_every_criterion_contributes_score_times_weight_and_the_total_is_their_sum(tmp_path):
    placement = _placement(_model(tmp_path, "- name: api\n  kind: service\n"), "api")
    for candidate in placement.candidates:
        assert len(candidate.contributions) == 8
        assert abs(candidate.total - sum(c.points for c in candidate.contributions)) < 0.011
        assert all(c.points == round(c.score * c.weight, 2) for c in candidate.contributions)


def test_advice_is_deterministic(tmp_path):
    graph = "- name: a\n  kind: service\n  user_facing: true\n- name: b\n  kind: batch-job\n"
    first = [(p.component.id, p.recommended.tier, p.recommended.total, p.why_not)
             for p in advise(_model(tmp_path, graph)).placements]
    second = [(p.component.id, p.recommended.tier, p.recommended.total, p.why_not)
              for p in advise(_model(tmp_path, graph)).placements]
    assert first == second


def test_residency_matching():
    assert within("eu-west-1", ("europe",)) and within("europe-west4", ("eu",)) and within("westeurope", ("eu",))
    assert within("us-east-1", ("europe",)) is False
    assert within("eu-central-1", ("eu-*",)) and within("us-east-2", ("us",)) and not within("ca-central-1", ("us",))
    assert within(None, ("europe",)) is None and within("anywhere", ())
