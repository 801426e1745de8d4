"""An inference engine that moves large payloads per request, or retrieves from a store far away.

What it flags: a model-serving component that (1) receives at least `min_payload_bytes` (default 1 MB) per
request, pushed by its caller or read by itself, or (2) reads its vector store or feature store (a `vector-store`,
or a component whose `data.role` is `vectors` or `features`) in another region or provider. The message gives the
bytes per request, the monthly volume and cost when the rate is declared, and the time one request spends moving
data (the round trip of the locality class plus the payload at `bandwidth_mbps`) against the model's latency SLO.
Round trips per class are the `round_trip_ms` option.
Why it matters: moving gigabytes to an inference engine for every request means the architecture has already
failed: the GPU waits on the network, the bill grows with every request, and the latency SLO goes to a transfer
that adds nothing. Retrieval-augmented generation works when retrieval happens next to the compute, and a
vector-native store returns the few nearest items instead of the documents to search.
How to fix: keep retrieval next to the model (the vector or feature store, or a replica of it, in the model's
region), let the store do the similarity search and return only the top matches, and have callers pass
identifiers instead of documents so the model reads what it needs where it already is.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import EdgeKind, NodeKind
from archlint.model.locality import REMOTE, classify, payload_ms, round_trip_ms, sender
from archlint.rules.base import RuleMeta, finding
from archlint.rules.data_gravity import figures as fig

META = RuleMeta(
    id="DG003", name="inference-data-gravity", title="Inference engine moves large data per request",
    concern=Concern.DATA_GRAVITY, severity=Severity.WARNING,
    options={"min_payload_bytes": 1_000_000, **fig.LATENCY_OPTIONS},
    options_schema={"min_payload_bytes": {"type": "number", "exclusiveMinimum": 0}, **fig.LATENCY_SCHEMA})

_RETRIEVAL = frozenset({EdgeKind.READS, EdgeKind.CALLS})
_ROLES = {"vectors": "vector store", "features": "feature store"}


def check(model, options):
    for engine in model.components(NodeKind.MODEL_SERVING):
        edges = model.incoming(engine.id) + model.outgoing(engine.id)
        for dep in sorted(edges, key=lambda d: (d.span.file, d.span.line, d.source, d.target)):
            if dep.source == dep.target:
                continue
            caller, callee = model.component(dep.source), model.component(dep.target)
            role = _store_role(callee) if caller is engine and dep.kind in _RETRIEVAL else None
            if role and classify(engine, callee, tiers=False) in REMOTE:
                yield _far_store(model, engine, callee, role, dep, options)
            elif sender(dep, caller, callee)[1] is engine and (dep.bytes_per_call or 0) >= options["min_payload_bytes"]:
                yield _large_payload(model, engine, dep, options)


def _store_role(component) -> str | None:
    if component.kind is NodeKind.VECTOR_STORE:
        return "vector store"
    return _ROLES.get(component.attrs.get("data_role"))


def _volume(model, figures) -> str:
    if figures.monthly_gb is None:
        return "no declared rate, so no monthly volume"
    return f"{fig.gb(figures.monthly_gb)}/month, {fig.cost_text(figures, model)}"


def _far_store(model, engine, store, role, dep, options):
    figures = fig.flow_of(model, dep, options)
    where = classify(engine, store, tiers=False)
    rtt = round_trip_ms(where, engine, store, fig.table(options))
    moved = payload_ms(dep.bytes_per_call, options["bandwidth_mbps"]) if dep.bytes_per_call is not None else None
    total = rtt + (moved or 0.0)
    per_call = (f"{fig.size(dep.bytes_per_call)} per request ({fig.ms(rtt)} round trip + {fig.ms(moved)} transfer "
                f"= {fig.ms(total)})" if moved is not None else f"a {fig.ms(rtt)} round trip per request "
                "(payload not declared)")
    return finding(META, engine, f"{engine.name} ({fig.place(engine)}) retrieves from its {role} {store.name} in "
                   f"{fig.place(store)}{fig.span_of_regions(engine, store)}, which {fig.CROSSES[where]}: {per_call}, "
                   f"{fig.slo_text(total, engine)}; {_volume(model, figures)}",
                   f"Keep retrieval next to the model: put {store.name} (or a replica) in {fig.place(engine)} and let "
                   "it return only the nearest matches.", span=dep.span, key=f"store:{store.id}", nodes=(store.id,))


def _large_payload(model, engine, dep, options):
    figures = fig.flow_of(model, dep, options)
    reads = dep.source == engine.id
    other = model.component(dep.target if reads else dep.source)
    rate = f" at {dep.rate_rps:g} calls/s" if dep.rate_rps is not None else ""
    what = (f"{engine.name} reads {fig.size(dep.bytes_per_call)} per request from {other.name}{rate}" if reads else
            f"{other.name} sends {fig.size(dep.bytes_per_call)} per request to {engine.name}{rate}")
    moved = payload_ms(dep.bytes_per_call, options["bandwidth_mbps"])
    if figures.round_trip_ms is None:
        timing = f"{fig.ms(moved)} of transfer per request (round trip unknown: locations not declared)"
        total = moved
    else:
        total = figures.round_trip_ms + moved
        timing = (f"{fig.ms(total)} per request ({fig.ms(figures.round_trip_ms)} {figures.transfer_class} round trip "
                  f"+ {fig.ms(moved)} at {options['bandwidth_mbps']:g} Mbit/s)")
    return finding(META, engine, f"{what}, moving data to the inference engine for every request: {timing}, "
                   f"{fig.slo_text(total, engine)}; {_volume(model, figures)}",
                   f"Pass identifiers instead of documents and retrieve next to {engine.name}: a vector-native store "
                   "in its region that returns only the nearest matches.", span=dep.span,
                   key=f"payload:{other.id}/{dep.kind.value}", nodes=(other.id,))
