"""What a data-carrying edge crosses (same zone ... internet) and its traffic in GB, dollars and milliseconds."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archlint.catalog.prices import SECONDS_PER_MONTH, catalog
from archlint.model.component import TRAFFIC_EDGES, Component, Dependency, EdgeKind, NodeKind, Tier

if TYPE_CHECKING:
    from archlint.catalog.prices import Price
    from archlint.model.graph import SystemModel

SAME_ZONE, CROSS_ZONE, CROSS_REGION = "same-zone", "cross-zone", "cross-region"
CROSS_PROVIDER, INTERNET, EDGE_TO_CLOUD = "cross-provider", "internet", "edge-to-cloud"
CLASSES = (SAME_ZONE, CROSS_ZONE, CROSS_REGION, CROSS_PROVIDER, INTERNET, EDGE_TO_CLOUD)
#: Classes that leave a provider's region: where data gravity is paid in dollars and milliseconds.
REMOTE = frozenset({CROSS_REGION, CROSS_PROVIDER, INTERNET})
#: Round-trip key of a cross-region edge whose regions are on two continents.
CROSS_CONTINENT = "cross-continent"

#: Typical round trips in ms, deliberately at the low end so that findings understate rather than overstate:
#: inside a zone well under 1 ms; between the zones of a region 1-2 ms; between regions of one continent 10-30 ms
#: (Europe) to ~65 ms (US coast to coast); across an ocean 70-250 ms (eu-west-1 to us-east-1 is ~70 ms); the
#: public internet, another provider or a user-side edge to a cloud region ~50 ms. Rules take them as an option.
ROUND_TRIP_MS: Mapping[str, float] = {
    SAME_ZONE: 0.5, CROSS_ZONE: 1.5, CROSS_REGION: 30.0, CROSS_CONTINENT: 80.0,
    CROSS_PROVIDER: 50.0, INTERNET: 50.0, EDGE_TO_CLOUD: 50.0}
#: Throughput of one flow (one TCP stream) in Mbit/s: instances get more in aggregate, but a single stream is capped
#: (AWS: 5 Gbit/s inside a region, less across regions as the window meets the round trip). Rules take it as an option.
BANDWIDTH_MBPS = 1000.0
GB = 1e9
DAYS_PER_MONTH = SECONDS_PER_MONTH / 86400  # 30.44, the month the catalog prices use

#: Edge kinds whose bytes travel from the callee to the caller: egress is billed where bytes leave.
PULLED = frozenset({EdgeKind.READS, EdgeKind.CONSUMES})
_ENDPOINT_KINDS = frozenset({NodeKind.EXTERNAL, NodeKind.CLIENT})

# Region names to continents. AWS and Google Cloud prefix them (us-, eu-, europe-, ap-, asia-); Azure spells them
# out (westeurope, eastus2), so its names are matched by the words they contain.
_OCEANIA_AWS = frozenset({"ap-southeast-2", "ap-southeast-4", "ap-southeast-6"})
_PREFIXES = (("us-", "north-america"), ("ca-", "north-america"), ("mx-", "north-america"),
             ("northamerica-", "north-america"), ("sa-", "south-america"), ("southamerica-", "south-america"),
             ("eu-", "europe"), ("europe-", "europe"), ("australia-", "oceania"), ("ap-", "asia"), ("asia-", "asia"),
             ("me-", "middle-east"), ("il-", "middle-east"), ("af-", "africa"), ("africa-", "africa"))
_AZURE_WORDS = (("australia", "oceania"), ("newzealand", "oceania"), ("southafrica", "africa"),
                ("europe", "europe"), ("uk", "europe"), ("france", "europe"), ("germany", "europe"),
                ("norway", "europe"), ("switzerland", "europe"), ("sweden", "europe"), ("poland", "europe"),
                ("italy", "europe"), ("spain", "europe"), ("asia", "asia"), ("japan", "asia"), ("korea", "asia"),
                ("india", "asia"), ("indonesia", "asia"), ("malaysia", "asia"), ("uae", "middle-east"),
                ("qatar", "middle-east"), ("israel", "middle-east"), ("brazil", "south-america"),
                ("chile", "south-america"), ("canada", "north-america"), ("mexico", "north-america"))
_AZURE_US = re.compile(r"^(east|west|central|northcentral|southcentral|westcentral)us\d?$")


@dataclass(frozen=True, slots=True, eq=False)
class Flow:
    """One data-carrying edge in figures; each figure is None when the model does not give what it needs.

    `billed_share` is the part of the volume the price applies to: below 1 only across zones, where replicas spread
    evenly over several zones send part of their traffic within their own zone, free."""

    edge: Dependency
    transfer_class: str | None
    monthly_gb: float | None
    monthly_usd: float | None
    price: "Price | None"
    round_trip_ms: float | None
    transfer_ms: float | None
    billed_share: float = 1.0


def continent(region: str | None) -> str | None:
    """`europe` for eu-west-1, europe-west4 or westeurope; None when the name does not say."""
    if not region:
        return None
    name = region.lower()
    if name in _OCEANIA_AWS:
        return "oceania"
    for prefix, place in _PREFIXES:
        if name.startswith(prefix):
            return place
    if "-" in name:
        return None
    if _AZURE_US.match(name):
        return "north-america"
    return next((place for word, place in _AZURE_WORDS if word in name), None)


def is_edge(component: Component) -> bool:
    """Runs on the user's side: a client, or a component of the edge tier."""
    return component.tier is Tier.EDGE or component.kind is NodeKind.CLIENT


def classify(a: Component, b: Component, tiers: bool = True) -> str | None:
    """What an edge between `a` and `b` crosses; None when their locations are not known well enough.

    With `tiers` off the edge-to-cloud class is not used: the answer is where the two ends are, not what they are."""
    if tiers and is_edge(a) != is_edge(b):
        cloud = b if is_edge(a) else a
        return EDGE_TO_CLOUD if cloud.tier is not Tier.UNKNOWN or cloud.provider else None
    if not a.provider or not b.provider:
        return None
    if a.provider.lower() != b.provider.lower():
        return INTERNET if a.kind in _ENDPOINT_KINDS or b.kind in _ENDPOINT_KINDS else CROSS_PROVIDER
    if not a.region or not b.region:
        return None
    if a.region.lower() != b.region.lower():
        return CROSS_REGION
    if not a.zones or not b.zones:
        return None  # one region, but which zones is not said: never guess
    # Replicas spread over several zones send part of their traffic to another: only one shared zone is same-zone.
    return SAME_ZONE if len(set(a.zones)) == 1 and set(a.zones) == set(b.zones) else CROSS_ZONE


def round_trip_ms(transfer_class: str | None, a: Component, b: Component,
                  table: Mapping[str, float] = ROUND_TRIP_MS) -> float | None:
    """The typical round trip of the class; cross-region takes the cross-continent value when the names tell."""
    if transfer_class is None:
        return None
    if transfer_class == CROSS_REGION:
        here, there = continent(a.region), continent(b.region)
        if here and there and here != there:
            return table[CROSS_CONTINENT]
    return table[transfer_class]


def billed_share(transfer_class: str | None, a: Component, b: Component) -> float:
    """Share of the bytes that cross zones when both ends spread evenly over their zones and routing ignores zones
    (Kubernetes' default): 1 - |shared zones| / (|zones of a| x |zones of b|). 1 for every other class."""
    if transfer_class != CROSS_ZONE:
        return 1.0
    here, there = set(a.zones), set(b.zones)
    return 1 - len(here & there) / (len(here) * len(there))


def payload_ms(size: float, bandwidth_mbps: float = BANDWIDTH_MBPS) -> float:
    """Milliseconds to push `size` bytes through one flow."""
    return size * 8 / (bandwidth_mbps * 1e3)


def monthly_bytes(dep: Dependency, peak_to_average: float | None = None) -> float | None:
    """Bytes a month: the declared daily volume, else rate x payload all month.

    The rate is declared at peak: the caller's `peak_to_average` turns it into the average a bill sees; without it
    the peak is taken all month, an upper bound."""
    if dep.bytes_per_day is not None:
        return dep.bytes_per_day * DAYS_PER_MONTH
    if dep.rate_rps is None or dep.bytes_per_call is None:
        return None
    return dep.rate_rps * dep.bytes_per_call * SECONDS_PER_MONTH / (peak_to_average or 1)


def sender(dep: Dependency, caller: Component, callee: Component) -> tuple[Component, Component]:
    """(where the bytes leave, where they arrive): the callee for reads and consumes, the caller otherwise."""
    return (callee, caller) if dep.kind in PULLED else (caller, callee)


def transfer_price(transfer_class: str | None, sending: Component, receiving: Component) -> "Price | None":
    """The catalog's $/GB for bytes leaving `sending` in this class; None when the catalog has no row for it.

    Between providers or over the internet the sender pays its internet egress. From a cloud to an edge of the same
    provider the bytes go out through its CDN; to any other edge (devices, another platform) through the internet;
    an edge sending pays its own provider's internet egress, when the catalog knows that provider."""
    if transfer_class is None:
        return None
    if transfer_class in (SAME_ZONE, CROSS_ZONE, CROSS_REGION):
        item = transfer_class
    elif transfer_class == EDGE_TO_CLOUD and not is_edge(sending) and sending.provider == receiving.provider:
        item = "cdn"
    else:
        item = INTERNET
    return catalog().transfer(sending.provider and sending.provider.lower(), item)


def carries_data(dep: Dependency) -> bool:
    """A traffic edge; a bare depends-on only when it declares a volume."""
    if dep.kind not in TRAFFIC_EDGES:
        return False
    return dep.kind is not EdgeKind.DEPENDS_ON or dep.bytes_per_call is not None or dep.bytes_per_day is not None


def flow(dep: Dependency, caller: Component, callee: Component, table: Mapping[str, float] = ROUND_TRIP_MS,
         bandwidth_mbps: float = BANDWIDTH_MBPS) -> Flow:
    """The figures of one edge from `caller` to `callee`."""
    transfer_class = classify(caller, callee)
    volume = monthly_bytes(dep, caller.attrs.get("peak_to_average"))
    gb = volume / GB if volume is not None else None
    price = transfer_price(transfer_class, *sender(dep, caller, callee))
    share = billed_share(transfer_class, caller, callee)
    usd = gb * share * price.usd if gb is not None and price is not None else None
    rtt = round_trip_ms(transfer_class, caller, callee, table)
    transfer = rtt + payload_ms(dep.bytes_per_call, bandwidth_mbps) if (
        rtt is not None and dep.bytes_per_call is not None) else None
    return Flow(dep, transfer_class, gb, usd, price, rtt, transfer, share)


def flows(model: "SystemModel", table: Mapping[str, float] = ROUND_TRIP_MS,
          bandwidth_mbps: float = BANDWIDTH_MBPS) -> Iterator[Flow]:
    """Every data-carrying edge of the model (self-edges aside) in the model's edge order: one pass, linear."""
    for dep in model.dependencies():
        if dep.source != dep.target and carries_data(dep):
            yield flow(dep, model.component(dep.source), model.component(dep.target), table, bandwidth_mbps)
