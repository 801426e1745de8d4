"""Data that must stay in a jurisdiction is stored, processed or copied outside it.

What it flags: a component whose data declares a residency (`data: {residency: [europe]}` in the service graph, or
the `archlint.dev/data-residency` annotation) located in a region outside it; a workload that reads or writes such
a store from a region outside it; and a write that copies data read from a resident store into a store outside
the residency (a feature store, a warehouse, a backup bucket in another jurisdiction). Residency names continents
(`europe`, `eu`, `north-america`, `us`, ...), regions (`eu-west-1`) or region patterns (`eu-*`); a component whose
region is not known is not judged.
Why it matters: GDPR, data-sovereignty laws and customer contracts bind where personal data may be stored and
processed; a copy in the wrong region is a breach whether or not anyone reads it, and it is found in an audit,
not in a test.
How to fix: keep the store and every workload that touches it in the allowed regions; copy only aggregated or
anonymised data out, and declare the derived store's own residency; or correct the declaration if it is wrong.
"""

from __future__ import annotations

from archlint.advise.signals import STORES, within
from archlint.finding import Concern, Severity
from archlint.model import EdgeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="PL003", name="data-outside-residency", title="Resident data stored, processed or copied outside its region",
    concern=Concern.PLACEMENT, severity=Severity.ERROR)

_WRITES = frozenset({EdgeKind.WRITES, EdgeKind.PUBLISHES})
_TOUCHES = frozenset({EdgeKind.READS, EdgeKind.WRITES, EdgeKind.CONSUMES, EdgeKind.PUBLISHES, EdgeKind.CALLS})


def check(model, options):
    for component in model.components():
        residency = tuple(component.attrs.get("data_residency") or ())
        if residency and within(component.region, residency) is False:
            yield finding(META, component, f"{component.name} must keep its data in {', '.join(residency)} but runs "
                          f"in {component.region}", f"Move {component.name} to a region in {', '.join(residency)}.",
                          span=component.at("data"), key="located")
    for dep in model.dependencies(_TOUCHES):
        store, user = model.component(dep.target), model.component(dep.source)
        residency = tuple(store.attrs.get("data_residency") or ())
        if not residency or store.kind not in STORES:
            continue
        if within(user.region, residency) is False:
            yield finding(META, user, f"{user.name} in {user.region} {dep.kind.value} {store.name}, whose data must "
                          f"stay in {', '.join(residency)}", f"Run {user.name} in {', '.join(residency)}.",
                          span=dep.span, key=f"uses:{store.id}", nodes=(store.id,))
            continue
        if dep.kind is not EdgeKind.READS:
            continue
        for out in model.outgoing(user.id, _WRITES):
            copy = model.component(out.target)
            if copy.kind in STORES and not copy.attrs.get("data_residency") and within(copy.region, residency) is False:
                yield finding(META, user, f"{user.name} reads {store.name} (data must stay in {', '.join(residency)}) "
                              f"and writes to {copy.name} in {copy.region}",
                              f"Keep {copy.name} in {', '.join(residency)}, or copy only anonymised aggregates "
                              f"and declare {copy.name}'s own residency.",
                              span=out.span, key=f"copies:{store.id}>{copy.id}", nodes=(store.id, copy.id))
