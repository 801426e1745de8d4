"""A running component that nothing calls and that calls nothing.

What it flags: a long-running component (service, worker, datastore, cache, queue, vector store, model server)
described in a service graph that declares dependencies, with no dependency in or out (no call, read, write,
publish, consume, route or reference) in the whole model, and that is not an entrypoint and not declared
user-facing. Jobs, scheduled jobs and training jobs run on their own and are not flagged, nor gateways, clients,
external systems, clusters, node pools, autoscalers, disruption budgets, DaemonSets (node agents) and resources
declared in infrastructure as code. The rule abstains on components that no service graph with dependencies
describes: manifests alone show only the calls configured in environment variables, and in public
manifests most workloads without such a call are called all the same, through configuration files archlint does
not read. Where the team lists its dependencies, a component absent from all of them is worth a look.
Why it matters: an orphan keeps its replicas, requests and volumes (and its on-call pages and upgrades) after the
feature that needed it is gone: the "cloud sprawl" that bleeds money unnoticed. Or it is not an orphan, and the
system has a dependency nobody wrote down, which is worth a line in the service graph.
How to fix: delete it (scale it to zero first and watch for errors), or declare who calls it in the service graph
(`dependencies:`) so that the model, and the next reader, know why it runs.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import TRAFFIC_EDGES, NodeKind
from archlint.rules.base import RuleMeta, finding
from archlint.rules.capacity import monthly_usd, price_note, price_sources, usd

META = RuleMeta(
    id="OP022", name="idle-component", title="Running component with no dependency in or out",
    concern=Concern.OVER_PROVISIONING, severity=Severity.INFO)

_JUDGED = (NodeKind.SERVICE, NodeKind.WORKER, NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE,
           NodeKind.VECTOR_STORE, NodeKind.MODEL_SERVING)


def check(model, options):
    declared = {d.span.file for d in model.dependencies(TRAFFIC_EDGES) if d.origin == "declared"}
    if not declared:
        return  # nobody declared the system's dependencies: silence says nothing about traffic
    for component in model.components(*_JUDGED):
        if component.entrypoint or component.user_facing or component.workload_kind in ("DaemonSet", "Job", "CronJob"):
            continue
        if "resource_type" in component.attrs or not _described(component, declared):
            continue
        if component.replicas == 0 or model.incoming(component.id, TRAFFIC_EDGES):
            continue
        if model.outgoing(component.id, TRAFFIC_EDGES):
            continue
        cost, sources = _cost(component)
        yield finding(META, component, f"{component.kind.value} {component.name} has no dependency in or out: the "
                      f"service graph declares the system's dependencies and none involves it{cost}",
                      "Remove it, or declare its callers in the service graph.", sources=sources)


def _described(component, declared: set[str]) -> bool:
    """Described in a service graph file that declares dependencies."""
    graph = component.source == "service-graph" or "service-graph" in component.attrs.get("merged_from", ())
    return graph and any(span.file in declared for span in [component.span, *component.spans])


def _cost(component) -> tuple[str, tuple[str, ...]]:
    replicas = component.min_replicas
    if not replicas or not (component.cpu or component.memory or component.gpu):
        return "", ()
    amount = replicas * monthly_usd(component.provider, component.cpu or 0, component.memory or 0, component.gpu or 0)
    used = [name for name in ("cpu", "memory", "gpu") if getattr(component, name)]
    return (f", yet its {replicas} replica{'s' if replicas != 1 else ''} reserve about {usd(amount)}/month at "
            f"{price_note(component.provider, *used)}", price_sources(component.provider, *used))
