"""Compute runs in another region or provider than the datastore it reads most.

What it flags: a service, worker, function, job or model server whose largest read, by declared monthly bytes, is
from a datastore or vector store (or a component with a declared `data.role`) in another region or provider,
when that read is at least `min_monthly_gb` (default 100 GB) a month and moving the compute next to that store
would reduce its traffic across regions or providers, counting all its declared flows (what it serves, what it
writes). It abstains when any of its reads from a store declares no volume: then which one it reads most is not
known. The message gives the volumes, the share of its reads, the cost with the catalog price, and what the move
removes and saves.
Why it matters: data is heavy and compute is light. A job or a service placed by habit (the team's usual region,
where GPUs were free that week) far from the data it reads pays per GB and per round trip on every read, for
its whole life, while it could usually run next to the data at no cost.
How to fix: deploy the compute in the store's region (the move the message computes), or keep a read replica of
the store next to the compute. If it must stay (it serves users near where it runs, a residency rule), suppress
the finding with that reason.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import EdgeKind, NodeKind
from archlint.model.locality import REMOTE
from archlint.rules.base import RuleMeta, finding
from archlint.rules.data_gravity import figures as fig

META = RuleMeta(
    id="DG002", name="compute-far-from-its-data", title="Compute placed away from the datastore it reads most",
    concern=Concern.DATA_GRAVITY, severity=Severity.WARNING, options={"min_monthly_gb": 100},
    options_schema={"min_monthly_gb": {"type": "number", "minimum": 0}})

_READS = frozenset({EdgeKind.READS, EdgeKind.CALLS, EdgeKind.CONSUMES})
#: Caches hold copies: the data a component gravitates to is the store behind them.
_DATA_KINDS = frozenset({NodeKind.DATASTORE, NodeKind.VECTOR_STORE})


def check(model, options):
    for component in model.components(*fig.COMPUTE):
        if not fig.movable(component):
            continue
        reads = [fig.flow_of(model, dep, options) for dep in model.outgoing(component.id, _READS)
                 if dep.target != component.id and _holds_data(model.component(dep.target))]
        if not reads or any(f.monthly_gb is None for f in reads):
            continue  # nothing read, or which store it reads most is not known
        top = max(reads, key=lambda f: (f.monthly_gb, f.edge.target))
        store = model.component(top.edge.target)
        if top.transfer_class not in REMOTE or top.monthly_gb < options["min_monthly_gb"]:
            continue
        if not fig.hosts_compute(store):
            continue
        moved = fig.move(model, component, store, options)
        if moved.removed_gb <= 0:
            continue  # its other traffic would cross more than it saves: the placement has a reason
        total = sum(f.monthly_gb for f in reads)
        yield finding(META, component, f"{component.name} runs in {fig.place(component)} but reads most from "
                      f"{store.name} in {fig.place(store)}{fig.span_of_regions(component, store)}: "
                      f"{fig.gb(top.monthly_gb)}/month, {fig.share(top.monthly_gb, total)} of the "
                      f"{fig.gb(total)}/month it reads from stores, {fig.cost_text(top, model)}; {moved.text()}",
                      f"Deploy {component.name} in {fig.place(store)}, next to {store.name}, or keep a read replica "
                      "next to it.", span=component.at("location"), key=store.id, nodes=(store.id,))


def _holds_data(component) -> bool:
    return component.kind in _DATA_KINDS or bool(component.attrs.get("data_role"))
