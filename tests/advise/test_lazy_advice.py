"""The advice is computed part by part, when read: the answer never depends on which part was read first, and
workloads that share a ranking get the placement they would get alone."""

from __future__ import annotations

import textwrap

from archlint.advise import advise
from archlint.advise.placement import place
from archlint.advise.signals import current_tier, signals_of
from archlint.advise.workloads import Workloads
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load

GRAPH = """
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
      dependencies:
        - {target: users, kind: reads, mode: sync, rate: 10, payload: 2KB, timeout: 100ms}
    - name: search
      kind: service
    - name: catalog
      kind: service
    - name: ranker
      kind: model-serving
      tier: edge
      resources: {gpu: 1}
    - name: nightly
      kind: scheduled-job
      tier: ai
    - name: weekly
      kind: scheduled-job
    - name: users
      kind: datastore
      data: {classification: personal, residency: [europe]}
    """


def _model(tmp_path):
    path = tmp_path / "graph.yaml"
    path.write_text("apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: t}\nspec:\n"
                    "  defaults:\n    location: {provider: aws, region: eu-west-1, zones: [eu-west-1a, eu-west-1b]}\n"
                    "  components:\n" + textwrap.indent(textwrap.dedent(GRAPH), "    "))
    loaded = load([SourcePath(path, "graph.yaml")])
    assert not loaded.findings, loaded.findings
    return loaded.model


def _everything(advice):
    return repr((advice.placements, advice.gains, advice.simplifications, advice.roadmap))


def test_the_declared_placements_first_or_every_placement_first_give_the_same_advice(tmp_path):
    eager = advise(_model(tmp_path))
    everything = _everything(eager)
    lazy = advise(_model(tmp_path))
    declared = [(p, lazy.gain(p.component.id)) for p in lazy.declared()]
    assert [p.component.name for p, _ in declared] == ["api", "nightly", "page", "ranker"]
    assert _everything(lazy) == everything
    tiered = [(p, eager.gains[p.component.id]) for p in eager.placements if current_tier(p.component)]
    assert repr(declared) == repr(tiered)


def test_a_shared_ranking_places_each_workload_as_it_would_be_placed_alone(tmp_path):
    model = _model(tmp_path)
    workloads = Workloads.of(model)
    rankings: dict = {}
    for component in workloads.all * 2:
        found = signals_of(model, component, workloads.traffic.get(component.id, {}))
        assert place(found, workloads.weights, rankings) == place(found, workloads.weights)
    assert len(rankings) < len(workloads.all)  # search and catalog share theirs
