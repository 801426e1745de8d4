"""What the model says about one workload that matters for where it should run."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass

from archlint.model import Component, Dependency, NodeKind, SystemModel, Tier
from archlint.model.locality import ROUND_TRIP_MS, EDGE_TO_CLOUD, Flow, continent, is_edge

#: Components archlint places: they run code. Stores, queues, clients and external services are where they are.
WORKLOADS = frozenset({NodeKind.SERVICE, NodeKind.WORKER, NodeKind.FUNCTION, NodeKind.BATCH_JOB,
                       NodeKind.SCHEDULED_JOB, NodeKind.MODEL_SERVING, NodeKind.TRAINING_JOB, NodeKind.GATEWAY})


def placed(component) -> bool:
    """A workload the advisor places: compute. A gateway with no container of its own (an Ingress, a
    LoadBalancer Service, a cloud load balancer or API gateway) runs where what it fronts runs, and is not scored
    as if it were compute; nor are stores, which are not in WORKLOADS."""
    return component.kind is not NodeKind.GATEWAY or bool(component.containers)


BATCH_KINDS = frozenset({NodeKind.BATCH_JOB, NodeKind.SCHEDULED_JOB, NodeKind.TRAINING_JOB})
STORES = frozenset({NodeKind.DATASTORE, NodeKind.VECTOR_STORE, NodeKind.CACHE, NodeKind.QUEUE})
#: The round trip from users to the nearest cloud region: an SLO below it cannot be met from a region.
USER_TO_REGION_MS = ROUND_TRIP_MS[EDGE_TO_CLOUD]
#: Residency shorthands and the continents they stand for.
_ALIASES = {"eu": "europe", "europe": "europe", "north-america": "north-america", "south-america": "south-america",
            "asia": "asia", "oceania": "oceania", "africa": "africa", "middle-east": "middle-east"}


@dataclass(frozen=True, slots=True)
class Signals:
    """The facts placement weighs, each with the words that explain it; None or 0 when the files do not say."""

    component: Component
    #: Why it needs an accelerator ("requests 1 GPU"), or None.
    accelerator: str | None
    #: Why it is batch work ("a CronJob"), or None.
    batch: str | None
    #: Why a user waits on it ("user-facing", "called synchronously by web"), or None.
    interactive: str | None
    latency_ms: float | None
    rps: float | None
    peak_to_average: float | None
    #: GB a month exchanged with stores, the store that holds most of it, and that store's share.
    data_gb: float
    data_home: Component | None
    #: Synchronous callees outside the edge: an edge placement still waits on each of them.
    cloud_callees: tuple[str, ...]
    classification: str | None
    residency: tuple[str, ...]
    residency_from: str | None
    criticality: str | None


def store_traffic(model: SystemModel, data_flows: "Iterable[Flow]") -> dict[str, dict[str, float]]:
    """Component id -> store id -> GB a month exchanged with that store, in one pass over the model's flows."""
    traffic: dict[str, dict[str, float]] = {}
    for flow in data_flows:
        dep = flow.edge
        if not flow.monthly_gb:
            continue
        for mine, other in ((dep.source, dep.target), (dep.target, dep.source)):
            if model.component(other).kind in STORES:
                traffic.setdefault(mine, {})
                traffic[mine][other] = traffic[mine].get(other, 0.0) + flow.monthly_gb
    return traffic


def signals_of(model: SystemModel, component: Component, volumes: dict[str, float]) -> Signals:
    """The signals of one workload; `volumes` is its entry in `store_traffic`."""
    home = max(volumes, key=lambda k: (volumes[k], k), default=None)
    calls = [(dep, model.component(dep.target)) for dep in model.outgoing(component.id)]  # read once, used thrice
    residency, origin = _residency(component, calls)
    callees = tuple(sorted({target.name for dep, target in calls if dep.sync and not is_edge(target)
                            and target.kind not in (NodeKind.EXTERNAL, NodeKind.CLIENT)}))
    return Signals(
        component=component, accelerator=_accelerator(component), batch=_batch(component),
        interactive=_interactive(model, component), latency_ms=component.latency_ms, rps=component.rps,
        peak_to_average=component.attrs.get("peak_to_average"), data_gb=sum(volumes.values()),
        data_home=model.component(home) if home else None, cloud_callees=callees,
        classification=_classification(component, calls), residency=residency, residency_from=origin,
        criticality=component.criticality)


def _accelerator(component: Component) -> str | None:
    if component.gpu:
        count = f"{component.gpu:g}"
        return f"requests {count} GPU{'s' if component.gpu != 1 else ''}"
    if component.attrs.get("accelerator"):
        return f"runs on {component.attrs['accelerator']} accelerators"
    return None


def _batch(component: Component) -> str | None:
    if component.workload_kind in ("Job", "CronJob"):
        return f"a {component.workload_kind}"
    if component.kind in BATCH_KINDS:
        return f"a {component.kind.value}"
    return None


def _interactive(model: SystemModel, component: Component) -> str | None:
    if component.user_facing:
        return "user-facing"
    if component.entrypoint:
        return "an entrypoint"
    callers = sorted(model.component(d.source).name for d in model.incoming(component.id)
                     if d.sync and (model.component(d.source).user_facing or model.component(d.source).entrypoint))
    return f"called synchronously by {', '.join(callers[:3])}" if callers else None


def _classification(component: Component, calls: list[tuple[Dependency, Component]]) -> str | None:
    """Its own classification, else the most sensitive of the stores it reads or writes."""
    order = ("public", "internal", "personal", "regulated")
    found = [component.attrs.get("data_classification")]
    found += [target.attrs.get("data_classification") for _, target in calls]
    known = [c for c in found if c in order]
    return max(known, key=order.index) if known else None


def _residency(component: Component, calls: list[tuple[Dependency, Component]]) -> tuple[tuple[str, ...], str | None]:
    """Where its data must stay: its own declaration, else that of a store it reads or writes."""
    if component.attrs.get("data_residency"):
        return tuple(component.attrs["data_residency"]), None
    for _, target in calls:
        if target.kind in STORES and target.attrs.get("data_residency"):
            return tuple(target.attrs["data_residency"]), target.name
    return (), None


def within(region: str | None, residency: tuple[str, ...]) -> bool | None:
    """Whether a region satisfies a residency list; None when the region is not known."""
    if not residency:
        return True
    if not region:
        return None
    name = region.lower()
    for item in residency:
        wanted = item.lower()
        if wanted in _ALIASES and continent(name) == _ALIASES[wanted]:
            return True
        if wanted == "us" and continent(name) == "north-america" and not name.startswith(("ca-", "mx-", "canada")):
            return True
        if fnmatch.fnmatchcase(name, wanted):
            return True
    return False


def current_tier(component: Component) -> Tier | None:
    """Where it runs now, when the files say."""
    return component.tier if component.tier is not Tier.UNKNOWN else None
