"""The seeds' six-step roadmap, assessed against the model: which steps the system has reached, with the evidence,
and the changes that would complete the next one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from archlint.model import TRAFFIC_EDGES, Component, NodeKind, SystemModel, Tier

SERVING = (NodeKind.SERVICE, NodeKind.MODEL_SERVING, NodeKind.GATEWAY)
_TELEMETRY = (NodeKind.SERVICE, NodeKind.MODEL_SERVING, NodeKind.WORKER)
_REPLICATED = frozenset({"Deployment", "StatefulSet"})


@dataclass(frozen=True, slots=True)
class Check:
    """One piece of evidence for a step: met (True), not met (False) or not applicable (None)."""

    name: str
    met: bool | None
    evidence: str
    #: The change that would meet it, and the component it applies to first (None: the system as a whole).
    change: str
    anchor: Component | None = None


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    title: str
    checks: tuple[Check, ...]

    @property
    def status(self) -> str:
        known = [c.met for c in self.checks if c.met is not None]
        if not known:
            return "not applicable"
        if all(known):
            return "done"
        return "in progress" if any(known) else "to do"

    @property
    def done(self) -> bool:
        return self.status in ("done", "not applicable")

    def missing(self) -> list[Check]:
        return [c for c in self.checks if c.met is False]


@dataclass(frozen=True, slots=True)
class Roadmap:
    steps: tuple[Step, ...]

    @property
    def reached(self) -> int:
        """The last step done with every step before it done."""
        count = 0
        for step in self.steps:
            if not step.done:
                break
            count = step.number
        return count

    @property
    def next(self) -> Step | None:
        return next((s for s in self.steps if not s.done), None)


def _share(name: str, items: list[Component], test: Callable[[Component], bool], what: str, change: str,
           least: float = 0.8) -> Check:
    """A check met when at least `least` of the items pass `test`; not applicable without items."""
    if not items:
        return Check(name, None, f"no {what.split(' ')[0]} to judge", change)
    # the same component in several variants of its system, or a manifest copied into other files (an all-in-one,
    # a docs copy), counts once, unless the copies differ on it
    once: dict[tuple, tuple[Component, bool]] = {}
    for c in items:
        passes = test(c)  # once per item: the key and both lists need it
        copied = c.variant or c.source in ("kubernetes", "compose")
        key = (c.namespace, c.name, c.workload_kind, c.source, passes) if copied else (c.id,)
        once.setdefault(key, (c, passes))
    good = [c for c, passes in once.values() if passes]
    missing = [c for c, passes in once.values() if not passes]
    evidence = f"{len(good)} of {len(once)} {what}"
    if missing:
        evidence += f" (not: {', '.join(c.name for c in missing[:4])}{', ...' if len(missing) > 4 else ''})"
    return Check(name, len(good) >= least * len(once), evidence, change, missing[0] if missing else None)


def _telemetry(model: SystemModel, signal: str) -> Check:
    items = [c for c in model.components(*_TELEMETRY) if c.attrs.get("telemetry") is not None]
    return _share(signal, items, lambda c: signal in c.attrs["telemetry"], f"services show {signal}",
                  "expose metrics for scraping" if signal == "metrics" else
                  "export traces with OpenTelemetry (OTEL_EXPORTER_OTLP_ENDPOINT)")


def baseline(model: SystemModel) -> Step:
    k8s = [c for c in model.components() if c.source == "kubernetes" and c.workload_kind in _REPLICATED]
    delivery = model.delivery
    return Step(1, "Establish baseline: observability and CI/CD", (
        _telemetry(model, "metrics"), _telemetry(model, "tracing"),
        _share("health checks", k8s, lambda c: all(x.readiness for x in c.containers if not x.init),
               "long-running workloads have readiness probes", "add readiness probes so rollouts can be verified"),
        Check("delivery", bool(delivery),
              f"pipelines and GitOps objects: {', '.join(delivery[:3])}" if delivery else
              "no CI pipeline or GitOps object among the files read",
              "validate and deploy changes from a pipeline (.github/workflows, .gitlab-ci.yml, Argo CD, Flux)"),
    ))


def sizing(model: SystemModel) -> Step:
    serving = [c for c in model.components(*SERVING) if c.replicas is not None or c.autoscaling is not None]
    k8s = [c for c in model.components() if c.source == "kubernetes" and c.containers]
    batch = list(model.components(NodeKind.BATCH_JOB, NodeKind.SCHEDULED_JOB))
    budgets = model.economics.budgets
    return Step(2, "Optimize cost and sizing: right-size, autoscale, cheaper tiers", (
        _share("autoscaling", serving, lambda c: c.autoscaling is not None, "serving workloads autoscale",
               "add an autoscaler with a floor for availability and a ceiling for cost"),
        _share("resource requests", k8s, lambda c: all(x.cpu_request and x.memory_request for x in c.containers),
               "workloads set CPU and memory requests", "set CPU and memory requests from measured usage", 0.9),
        _share("cheaper tiers", batch, lambda c: bool(c.attrs.get("spot")) or c.tier is Tier.GRID,
               "batch jobs run on spot or batch capacity", "run noncritical batch jobs on spot or preemptible capacity",
               1.0),
        Check("budgets", bool(budgets), f"{len(budgets)} cost budget{'s' if len(budgets) != 1 else ''} declared"
              if budgets else "no cost budget in the configuration",
              "declare cost budgets (cost.budgets in .archlint.yaml) so CI fails on overruns"),
    ))


def _critical(model: SystemModel) -> list[Component]:
    """Declared critical or high, user-facing, or on a synchronous path from an entrypoint."""
    reached: set[str] = set()
    frontier = [c.id for c in model.entrypoints()]
    while frontier:
        node = frontier.pop()
        for dep in model.outgoing(node, TRAFFIC_EDGES):
            if dep.sync and dep.target not in reached:
                reached.add(dep.target)
                frontier.append(dep.target)
    return [c for c in model.components(*SERVING, NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE)
            if c.criticality in ("critical", "high") or c.user_facing or c.entrypoint or c.id in reached]


def reliability(model: SystemModel) -> Step:
    facing = [c for c in model.components(*SERVING, NodeKind.FUNCTION) if c.user_facing or c.entrypoint]
    path = _critical(model)
    critical = [c for c in path if c.replicas is not None or c.autoscaling is not None]
    zoned = [c for c in path if c.zones is not None]
    replicated = [c for c in model.components() if c.workload_kind in _REPLICATED and (c.min_replicas or 0) >= 2]
    return Step(3, "Harden reliability: redundancy, SLOs, recovery", (
        _share("SLOs", facing, lambda c: c.availability is not None or c.latency_ms is not None,
               "user-facing components declare an SLO", "define availability and latency SLOs for user-facing "
               "components", 1.0),
        _share("redundant critical path", critical, lambda c: (c.min_replicas or 0) >= 2,
               "critical components run at least two instances", "run critical components with two or more "
               "instances", 1.0),
        _share("zones", zoned, lambda c: len(set(c.zones or ())) >= 2, "critical components span two or more zones",
               "spread critical components across zones", 1.0),
        _share("disruption budgets", replicated, lambda c: bool(c.attrs.get("pdbs")),
               "replicated workloads have a disruption budget", "add PodDisruptionBudgets so drains keep capacity"),
    ))


def regions(model: SystemModel) -> Step:
    critical = _critical(model)
    regions_of: dict[str, set[str]] = {}
    for component in critical:
        if component.region:
            regions_of.setdefault(component.name, set()).add(component.region)
    twice = sorted(name for name, places in regions_of.items() if len(places) >= 2)
    places = sorted({region for found in regions_of.values() for region in found})
    stores = [c for c in critical if c.kind is NodeKind.DATASTORE]
    replicated = [c for c in stores if c.attrs.get("replica_regions") or c.attrs.get("global")]
    return Step(4, "Introduce regional distribution: a second region, tested replication", (
        Check("second region", bool(twice) if places else None,
              f"in two or more regions: {', '.join(twice[:4])}" if twice else
              f"each critical component runs in one region ({', '.join(places)})" if places else "no region declared",
              "run the critical path in a second region for failover", critical[0] if critical else None),
        Check("cross-region replication", (bool(replicated) if stores else None),
              f"{len(replicated)} of {len(stores)} critical datastores replicate across regions" if stores else
              "no critical datastore", "replicate the critical datastores to the second region and rehearse failover",
              next((c for c in stores if c not in replicated), None)),
    ))


def edge(model: SystemModel) -> Step:
    facing = [c for c in model.components(*SERVING, NodeKind.FUNCTION) if c.user_facing or c.entrypoint]
    at_edge = [c for c in facing if c.tier is Tier.EDGE]
    caches = [c for c in model.components(NodeKind.CACHE) if model.incoming(c.id)]
    return Step(5, "Add edge and caching", (
        Check("edge", bool(at_edge) if facing else None,
              f"at the edge: {', '.join(c.name for c in at_edge[:4])}" if at_edge else
              "no user-facing component runs at the edge",
              "serve latency-sensitive user-facing features from edge nodes", facing[0] if facing else None),
        Check("caching", bool(caches) if facing else None,
              f"caches in use: {', '.join(c.name for c in caches[:4])}" if caches else "no cache in front of the stores",
              "add a cache in front of the hottest reads, with a consistent invalidation strategy",
              facing[0] if facing else None),
    ))


def ai(model: SystemModel) -> Step:
    serving = list(model.components(NodeKind.MODEL_SERVING))
    training = list(model.components(NodeKind.TRAINING_JOB))
    if not serving and not training:
        return Step(6, "Operationalize AI: reproducible pipelines, GPU capacity, model observability", (
            Check("models", None, "no model serving or training in the system", ""),))
    pinned = lambda c: bool((c.attrs.get("model") or {}).get("version")) or (  # noqa: E731
        bool((c.attrs.get("model") or {}).get("uri")) and "latest" not in str(c.attrs["model"]["uri"]))
    gpu_serving = [c for c in serving if c.gpu]
    return Step(6, "Operationalize AI: reproducible pipelines, GPU capacity, model observability", (
        _share("versioned models", serving, pinned, "model servers pin a model version",
               "serve a pinned model version and promote versions through a pipeline", 1.0),
        _share("GPU capacity", gpu_serving, lambda c: c.autoscaling is not None, "GPU servers autoscale",
               "autoscale GPU serving on queue depth or utilisation", 1.0),
        _share("model observability", [c for c in serving if c.attrs.get("telemetry") is not None],
               lambda c: "metrics" in c.attrs["telemetry"], "model servers expose metrics",
               "export inference latency, throughput and drift metrics", 1.0),
        Check("reproducible training", bool(training) if serving else None,
              f"training jobs: {', '.join(c.name for c in training[:3])}" if training else
              "models are served but no training pipeline is declared",
              "declare the retraining job (dataset, hyperparameters, image) as code", serving[0] if serving else None),
    ))


STEPS: tuple[Callable[[SystemModel], Step], ...] = (baseline, sizing, reliability, regions, edge, ai)


def assess(model: SystemModel) -> Roadmap:
    return Roadmap(tuple(step(model) for step in STEPS))
