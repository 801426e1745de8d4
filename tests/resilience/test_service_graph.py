"""The assessment on service graphs: journeys declared and derived, every disruption kind, outcomes that fail,
degrade or survive, and the reasons the matrix gives."""

from __future__ import annotations

from archlint.resilience import DEGRADED, FAILS, SURVIVED

from tests.resilience.helpers import assessed, cell, graph

DEFAULTS = "    location: {provider: aws, region: eu-west-1, zones: [eu-west-1a, eu-west-1b, eu-west-1c]}\n"

SHOP = graph("""\
    - name: web
      entrypoint: true
      replicas: 3
      dependencies:
        - {target: api, mode: sync}
    - name: api
      replicas: 3
      dependencies:
        - {target: orders, kind: writes, mode: sync}
        - {target: orders, kind: reads, mode: sync}
        - {target: events, kind: publishes, mode: async}
        - {target: stripe, mode: sync}
    - name: orders
      kind: datastore
      replicas: 1
      location: {zones: [eu-west-1a]}
    - name: events
      kind: queue
      replicas: 3
    - name: mailer
      kind: worker
      replicas: 1
      location: {zones: [eu-west-1b]}
      dependencies:
        - {target: events, kind: consumes, mode: async}
    - name: stripe
      kind: external
      location: {provider: stripe}
""", """\
    - name: checkout
      entry: web
      calls: [api, orders, stripe]
      criticality: critical
""", DEFAULTS)


def test_declared_and_derived_journeys_and_their_reach(tmp_path):
    model, assessment = assessed(tmp_path, {"graph.yaml": SHOP})
    journeys = {j.name: j for j in assessment.journeys}
    assert list(journeys) == ["checkout"]  # web is the only entrypoint and checkout enters there
    checkout = journeys["checkout"]
    assert checkout.declared is not None and checkout.criticality == "critical"
    assert sorted(checkout.required()) == ["api", "orders", "stripe", "web"]
    assert "events" not in checkout.reach  # not on the way to what checkout calls


def test_derived_journey_reaches_async_parts_through_the_queue(tmp_path):
    derived = SHOP.split("  journeys:")[0]
    _, assessment = assessed(tmp_path, {"graph.yaml": derived})
    journey = assessment.journeys[0]
    assert journey.name == "web" and journey.declared is None
    assert journey.reach["events"].mode == "async" and journey.reach["mailer"].mode == "async"
    assert journey.reach["orders"].mode == "sync"


def test_every_disruption_kind_the_model_holds_is_enumerated(tmp_path):
    _, assessment = assessed(tmp_path, {"graph.yaml": SHOP})
    ids = [d.id for d in assessment.disruptions]
    assert ids[:3] == ["zone=eu-west-1a", "zone=eu-west-1b", "zone=eu-west-1c"]
    assert "region=eu-west-1" in ids and "external=stripe" in ids
    assert {"component=api", "component=orders", "node=api", "node=orders"} <= set(ids)
    assert not any(d.startswith("provider=") for d in ids)  # one provider: the same as the region


def test_a_single_zone_store_fails_the_journey_in_its_zone_and_nowhere_else(tmp_path):
    _, assessment = assessed(tmp_path, {"graph.yaml": SHOP})
    lost = cell(assessment, "checkout", "zone=eu-west-1a")
    assert lost.outcome == FAILS and lost.through == ("orders",) and lost.decider == "orders"
    assert lost.rto.unbounded and lost.rpo.unbounded  # nothing in the files keeps a copy outside the zone
    assert "every replica runs in zone eu-west-1a" in lost.recovery.says
    other = cell(assessment, "checkout", "zone=eu-west-1b")
    assert other.outcome == SURVIVED  # api and web keep replicas there; mailer is not on checkout's way


def test_an_asynchronous_consumer_lost_degrades_the_journey_instead_of_failing_it(tmp_path):
    derived = SHOP.split("  journeys:")[0]
    _, assessment = assessed(tmp_path, {"graph.yaml": derived})
    found = cell(assessment, "web", "zone=eu-west-1b")
    assert found.outcome == DEGRADED and found.through == ("mailer",)
    assert any("reached asynchronously" in note for note in found.notes)


def test_a_node_lost_under_replicated_components_survives_and_a_single_replica_fails(tmp_path):
    _, assessment = assessed(tmp_path, {"graph.yaml": SHOP})
    assert assessment.cell("checkout", "node=api") is None  # 2 of 3 replicas keep serving: not stored
    assert assessment.touched["node=api"] == 1
    single = cell(assessment, "checkout", "node=orders")
    assert single.outcome == FAILS and not single.rto.known  # how a declared component is replaced is unknown


def test_the_external_service_and_a_component_failure_fail_the_journey(tmp_path):
    _, assessment = assessed(tmp_path, {"graph.yaml": SHOP})
    assert cell(assessment, "checkout", "external=stripe").outcome == FAILS
    bad_deploy = cell(assessment, "checkout", "component=api")
    assert bad_deploy.outcome == FAILS and bad_deploy.recovery.mechanism == "rollback"


def test_a_read_replica_the_callers_read_serves_reads_when_the_primary_is_lost(tmp_path):
    text = graph("""\
    - name: catalog
      entrypoint: true
      replicas: 2
      dependencies:
        - {target: products, kind: reads, mode: sync}
        - {target: products-replica, kind: reads, mode: sync}
    - name: products
      kind: datastore
      location: {zones: [eu-west-1a]}
    - name: products-replica
      kind: datastore
      replica_of: products
      location: {zones: [eu-west-1b]}
""", defaults=DEFAULTS)
    _, assessment = assessed(tmp_path, {"graph.yaml": text})
    found = cell(assessment, "catalog", "zone=eu-west-1a")
    assert found.outcome == DEGRADED and found.through == ("products",)
    assert "reads are served by its replica products-replica" in " ".join(found.notes)


def test_a_cache_serves_reads_of_a_lost_store_and_a_lost_cache_sends_reads_to_the_store(tmp_path):
    text = graph("""\
    - name: browse
      entrypoint: true
      replicas: 2
      dependencies:
        - {target: products, kind: reads, mode: sync}
        - {target: cache, kind: reads, mode: sync}
    - name: products
      kind: datastore
      location: {zones: [eu-west-1a]}
    - name: cache
      kind: cache
      location: {zones: [eu-west-1b]}
""", defaults=DEFAULTS)
    _, assessment = assessed(tmp_path, {"graph.yaml": text})
    store_lost = cell(assessment, "browse", "zone=eu-west-1a")
    assert store_lost.outcome == DEGRADED and "served from the cache cache" in " ".join(store_lost.notes)
    cache_lost = cell(assessment, "browse", "zone=eu-west-1b")
    assert cache_lost.outcome == DEGRADED and "reads go to products" in " ".join(cache_lost.notes)


def test_a_region_outage_fails_everything_in_it_with_no_copy_elsewhere(tmp_path):
    _, assessment = assessed(tmp_path, {"graph.yaml": SHOP})
    found = cell(assessment, "checkout", "region=eu-west-1")
    assert found.outcome == FAILS and found.rto.unbounded and found.decider == "orders"
    assert "no copy of its data outside region eu-west-1" in found.recovery.says


def test_a_second_provider_is_a_disruption_of_its_own(tmp_path):
    text = graph("""\
    - name: page
      kind: function
      tier: edge
      entrypoint: true
      location: {provider: cloudflare, region: weur}
      dependencies:
        - {target: api, mode: sync}
    - name: api
      replicas: 2
""", defaults=DEFAULTS)
    _, assessment = assessed(tmp_path, {"graph.yaml": text})
    ids = {d.id for d in assessment.disruptions}
    assert {"provider=aws", "provider=cloudflare"} <= ids
    assert cell(assessment, "page", "provider=cloudflare").through == ("page",)
    assert "zone=weur/any" not in ids  # an edge function runs in the provider's many locations


def test_a_journey_that_names_what_the_model_lacks_is_reported_and_assessed_without_it(tmp_path):
    text = SHOP.replace("calls: [api, orders, stripe]", "calls: [api, ordres]")
    _, assessment = assessed(tmp_path, {"graph.yaml": text})
    assert [p.message for p in assessment.problems] == [
        "journey 'checkout' calls 'ordres', which is not a component of the model"]
    assert sorted(assessment.journeys[0].required()) == ["api", "web"]
