"""Locality of an edge and its figures: what it crosses, GB and dollars a month, milliseconds per payload."""

from __future__ import annotations

import pytest

from archlint.catalog.prices import SECONDS_PER_MONTH
from archlint.model import Component, Dependency, EdgeKind, ModelBuilder, NodeKind, Span, Tier
from archlint.model.locality import (
    DAYS_PER_MONTH, billed_share, classify, continent, flow, flows, monthly_bytes, round_trip_ms,
)

EU = ("eu-west-1a",)


def node(name, kind=NodeKind.SERVICE, tier=Tier.CLOUD, provider="aws", region="eu-west-1", zones=EU, **extra):
    return Component(id=name, name=name, kind=kind, span=Span("graph.yaml", 1), source="service-graph", tier=tier,
                     provider=provider, region=region, zones=zones, **extra)


def edge(source="a", target="b", kind=EdgeKind.CALLS, **extra):
    return Dependency(source=source, target=target, kind=kind, span=Span("graph.yaml", 2), mode="sync", **extra)


@pytest.mark.parametrize("a, b, expected", [
    (node("a"), node("b"), "same-zone"),
    (node("a"), node("b", zones=("eu-west-1b",)), "cross-zone"),
    (node("a", zones=("eu-west-1a", "eu-west-1b")), node("b"), "cross-zone"),  # spread: part of it crosses
    (node("a"), node("b", region="us-east-1", zones=("us-east-1a",)), "cross-region"),
    (node("a"), node("b", provider="gcp", region="europe-west1"), "cross-provider"),
    (node("a"), node("b", kind=NodeKind.EXTERNAL, provider="stripe"), "internet"),
    (node("a", tier=Tier.EDGE, provider="cloudflare"), node("b"), "edge-to-cloud"),
    (node("a", kind=NodeKind.CLIENT, tier=Tier.UNKNOWN, provider="devices"), node("b"), "edge-to-cloud"),
    (node("a", tier=Tier.EDGE), node("b", tier=Tier.EDGE, region="us-east-1"), "cross-region"),  # edge to edge
    (node("a", provider="AWS"), node("b", region="EU-WEST-1"), "same-zone"),
])
def test_an_edge_is_classified_by_what_it_crosses(a, b, expected):
    assert classify(a, b) == expected


@pytest.mark.parametrize("a, b", [
    (node("a", provider=None), node("b")),  # provider unknown
    (node("a", region=None), node("b")),  # region unknown: never guessed
    (node("a", zones=None), node("b")),  # one region, zones unknown: same-zone or cross-zone is not known
    (node("a", tier=Tier.EDGE), node("b", tier=Tier.UNKNOWN, provider=None)),  # the cloud end is not known at all
    (node("a"), node("b", kind=NodeKind.EXTERNAL, provider=None)),
])
def test_unknown_locations_stay_unknown(a, b):
    assert classify(a, b) is None


def test_without_tiers_an_edge_is_classified_by_where_its_ends_are():
    edge_node = node("a", tier=Tier.EDGE, region="us-east-1", zones=("us-east-1a",))
    assert classify(edge_node, node("b"), tiers=False) == "cross-region"
    assert classify(node("a", tier=Tier.EDGE), node("b"), tiers=False) == "same-zone"


@pytest.mark.parametrize("region, expected", [
    ("eu-west-1", "europe"), ("europe-west4", "europe"), ("westeurope", "europe"), ("uksouth", "europe"),
    ("us-east-1", "north-america"), ("us-central1", "north-america"), ("eastus2", "north-america"),
    ("northamerica-northeast1", "north-america"), ("ap-northeast-1", "asia"), ("asia-south1", "asia"),
    ("southeastasia", "asia"), ("ap-southeast-2", "oceania"), ("australia-southeast1", "oceania"),
    ("australiaeast", "oceania"), ("sa-east-1", "south-america"), ("me-central-1", "middle-east"),
    ("weur", None), ("on-prem-1", None), (None, None),
])
def test_continents_come_from_region_names_when_they_tell(region, expected):
    assert continent(region) == expected


def test_round_trips_follow_the_class_and_the_continents():
    dublin, virginia, frankfurt = node("a"), node("b", region="us-east-1"), node("c", region="eu-central-1")
    assert round_trip_ms("same-zone", dublin, dublin) == 0.5
    assert round_trip_ms("cross-zone", dublin, dublin) == 1.5
    assert round_trip_ms("cross-region", dublin, frankfurt) == 30.0
    assert round_trip_ms("cross-region", dublin, virginia) == 80.0
    assert round_trip_ms("cross-region", dublin, node("d", region="dc-2")) == 30.0  # cannot tell: the low end
    assert round_trip_ms("internet", dublin, virginia) == 50.0
    assert round_trip_ms("cross-region", dublin, virginia, {"cross-continent": 70.0}) == 70.0
    assert round_trip_ms(None, dublin, virginia) is None


def test_monthly_volume_comes_from_rate_and_payload_or_the_daily_volume():
    assert SECONDS_PER_MONTH == 2_629_800 and DAYS_PER_MONTH == 30.4375
    assert monthly_bytes(edge(rate_rps=40, bytes_per_call=200e3)) == pytest.approx(21_038_400e6)
    assert monthly_bytes(edge(bytes_per_day=40e9)) == pytest.approx(1_217_500e6)
    assert monthly_bytes(edge(rate_rps=40, bytes_per_call=200e3, bytes_per_day=1e9)) == pytest.approx(30_437.5e6)
    assert monthly_bytes(edge(rate_rps=40, bytes_per_call=200e3), peak_to_average=4) == pytest.approx(5_259_600e6)
    assert monthly_bytes(edge(rate_rps=40)) is None and monthly_bytes(edge(bytes_per_call=1e3)) is None


def test_a_cross_region_read_is_priced_where_the_bytes_leave_and_timed_per_payload():
    worker = node("worker", kind=NodeKind.WORKER, region="us-east-1", zones=("us-east-1a",))
    db = node("db", kind=NodeKind.DATASTORE)
    figures = flow(edge("worker", "db", EdgeKind.READS, rate_rps=40, bytes_per_call=200e3), worker, db)
    assert figures.transfer_class == "cross-region"
    assert figures.monthly_gb == pytest.approx(21_038.4)
    assert (figures.price.provider, figures.price.item, figures.price.usd) == ("aws", "cross-region", 0.02)
    assert figures.price.source.startswith("https://aws.amazon.com/") and figures.price.date == "2026-11-01"
    assert figures.monthly_usd == pytest.approx(420.768)
    assert figures.round_trip_ms == 80.0
    assert figures.transfer_ms == pytest.approx(81.6)  # 200 KB at 1 Gbit/s is 1.6 ms
    assert flow(figures.edge, worker, db, bandwidth_mbps=100).transfer_ms == pytest.approx(96.0)


@pytest.mark.parametrize("kind, sender, price", [
    (EdgeKind.WRITES, "aws", 0.09),  # the AWS caller pushes the bytes out to the internet
    (EdgeKind.READS, "gcp", 0.12),  # the Google Cloud store sends them
])
def test_between_providers_the_sender_pays_its_internet_egress(kind, sender, price):
    job, warehouse = node("job"), node("dw", kind=NodeKind.DATASTORE, provider="gcp", region="us-central1")
    figures = flow(edge("job", "dw", kind, bytes_per_day=50e9), job, warehouse)
    assert figures.transfer_class == "cross-provider"
    assert (figures.price.provider, figures.price.item) == (sender, "internet")
    assert figures.monthly_gb == pytest.approx(1_521.875)
    assert figures.monthly_usd == pytest.approx(1_521.875 * price)
    assert figures.round_trip_ms == 50.0


def test_edge_to_cloud_uses_the_cdn_of_the_same_provider_and_the_internet_otherwise():
    api = node("api")
    same = flow(edge("cdn", "api", EdgeKind.READS, bytes_per_day=1e9), node("cdn", tier=Tier.EDGE), api)
    vercel, phone = node("app", tier=Tier.EDGE, provider="vercel"), node("app", tier=Tier.EDGE, provider="devices")
    other = flow(edge("app", "api", EdgeKind.READS, bytes_per_day=1e9), vercel, api)
    upload = flow(edge("app", "api", EdgeKind.WRITES, bytes_per_day=1e9), phone, api)
    assert (same.transfer_class, same.price.item, same.price.usd) == ("edge-to-cloud", "cdn", 0.085)
    assert (other.price.provider, other.price.item) == ("aws", "internet")
    assert upload.price is None and upload.monthly_usd is None and upload.monthly_gb == pytest.approx(30.4375)
    assert same.round_trip_ms == 50.0


def test_across_zones_only_the_share_that_crosses_is_billed():
    spread, single = node("a", zones=("eu-west-1a", "eu-west-1b", "eu-west-1c")), node("b")
    assert billed_share("cross-zone", spread, single) == pytest.approx(2 / 3)
    assert billed_share("cross-zone", node("c", zones=("x", "y")), node("d", zones=("x", "y"))) == 0.5
    assert billed_share("cross-region", spread, single) == 1.0
    figures = flow(edge(rate_rps=100, bytes_per_call=10e3), spread, single)
    assert figures.monthly_gb == pytest.approx(2_629.8)
    assert figures.monthly_usd == pytest.approx(2_629.8 * 2 / 3 * 0.02)
    assert figures.billed_share == pytest.approx(2 / 3)


def test_unknown_locations_keep_the_volume_but_no_price_nor_time():
    figures = flow(edge(rate_rps=10, bytes_per_call=1e3), node("a", region=None), node("b"))
    assert figures.transfer_class is None and figures.monthly_gb == pytest.approx(26.298)
    assert figures.price is figures.monthly_usd is figures.round_trip_ms is figures.transfer_ms is None


def test_flows_cover_every_data_carrying_edge_once():
    builder = ModelBuilder()
    for component in (node("a"), node("b", region="us-east-1"), node("c")):
        builder.add(component)
    builder.connect(edge("a", "b", EdgeKind.READS, rate_rps=1, bytes_per_call=1e6))
    builder.connect(edge("a", "c", EdgeKind.DEPENDS_ON))  # no volume: not a data flow
    builder.connect(edge("c", "b", EdgeKind.DEPENDS_ON, bytes_per_day=1e9))  # a declared volume makes it one
    builder.connect(edge("a", "a", EdgeKind.CALLS, rate_rps=1, bytes_per_call=1))
    result = [(f.edge.source, f.edge.target, f.transfer_class, round(f.monthly_gb, 4)) for f in flows(builder.build())]
    assert result == [("a", "b", "cross-region", 2629.8), ("c", "b", "cross-region", 30.4375)]
