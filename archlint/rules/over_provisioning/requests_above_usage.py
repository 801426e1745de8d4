"""Requests far above the use that the usage file measured.

What it flags: a container (or a whole workload, when the usage file gives no container) whose CPU or memory
request is more than `ratio` (default 2) times what its measured use supports. The recommendation is the one of
KRR's `simple` strategy: CPU request = the `cpu_percentile` (default 95th) percentile of use, memory request = the
peak; each plus a safety margin, `cpu_margin` and `memory_margin` (default 15%: the Vertical Pod Autoscaler's
`--recommendation-margin-fraction`, and KRR's memory buffer), and never below the VPA's pod minimums (25m CPU,
250Mi memory), here per container. When the file lacks that percentile, the next higher one it gives is used (never a lower one). The rule
abstains on a row with fewer than `min_samples` (default 100, KRR's `points_required`) samples or no sample count,
and on a resource that an autoscaler scales on (an HPA with no metrics scales on CPU; a declared autoscaler whose
metrics are unknown counts for both): utilisation targets are a share of the request, so a new request changes the
scaling too; and when the money at stake is under `min_monthly_usd` (default $10). The money is (request -
recommendation) x the replicas that run at all hours (the autoscaler's minimum when there is one) x the catalog's
unit rates x 730.5 hours, with the rates and their source.
Why it matters: the scheduler reserves the request whether it is used or not. Nodes fill with reservations, the
cluster autoscaler buys nodes for them, and the bill follows the requests, not the use; meanwhile the team reads
the cluster as full.
How to fix: lower the request toward the recommendation (keep the memory limit at or above the new request),
release, and measure again over a full business cycle. Keep a higher request where the file's period missed a known
peak (month end, a sale), and say so in a suppression.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model.units import format_cpu
from archlint.rules.base import RuleMeta, finding
from archlint.rules.capacity import memory_text, monthly_usd, price_note, price_sources, usd

META = RuleMeta(
    id="OP020", name="requests-far-above-usage", title="Requests far above measured use",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING,
    options={"ratio": 2.0, "cpu_percentile": 95, "cpu_margin": 0.15, "memory_margin": 0.15, "min_samples": 100,
             "min_monthly_usd": 10},
    options_schema={"ratio": {"type": "number", "exclusiveMinimum": 1}, "cpu_percentile": {"enum": [90, 95, 99]},
                    "cpu_margin": {"type": "number", "minimum": 0, "maximum": 1},
                    "memory_margin": {"type": "number", "minimum": 0, "maximum": 1},
                    "min_samples": {"type": "integer", "minimum": 1},
                    "min_monthly_usd": {"type": "number", "minimum": 0}})

MIN_CPU = 0.025
MIN_MEMORY = 250 * 2**20
_PERCENTILES = ("p90", "p95", "p99")


def check(model, options):
    for component in model.components():
        usage = component.attrs.get("usage")
        if not usage:
            continue
        scaled = _scaled_on(model, component)
        running = {c.name: c for c in component.containers if not c.init}
        targets = [(running[name], facts) for name, facts in sorted(usage.get("containers", {}).items())
                   if name in running]
        if "workload" in usage:
            targets.append((None, usage["workload"]))
        for container, facts in targets:
            found = _judge(component, container, facts, scaled, options, usage["file"])
            if found is not None:
                yield found


def _scaled_on(model, component) -> frozenset[str]:
    scaling = component.autoscaling
    if scaling is None:
        return frozenset()
    if scaling.metrics:
        return frozenset(scaling.metrics)
    if scaling.source in model and model.component(scaling.source).workload_kind == "HorizontalPodAutoscaler":
        return frozenset({"cpu"})  # Kubernetes' default: 80% average CPU utilisation
    return frozenset({"cpu", "memory"})


def _judge(component, container, facts, scaled, options, file):
    samples = facts.get("samples")
    if samples is None or samples < options["min_samples"]:
        return None
    requested = {"cpu": container.cpu_request if container else component.cpu,
                 "memory": container.memory_request if container else component.memory}
    used = _cpu(facts.get("cpu", {}), options["cpu_percentile"])
    recommended, parts = {}, []
    if "cpu" not in scaled and used and requested["cpu"]:
        label, value = used
        recommended["cpu"] = max(value * (1 + options["cpu_margin"]), MIN_CPU)
        parts.append(("cpu", f"{format_cpu(requested['cpu'])} CPU for {format_cpu(value)} used at {label} "
                      f"(recommended: {format_cpu(recommended['cpu'])}, {label} + {options['cpu_margin']:.0%})"))
    peak = facts.get("memory_peak")
    if "memory" not in scaled and peak is not None and requested["memory"]:
        recommended["memory"] = max(peak * (1 + options["memory_margin"]), MIN_MEMORY)
        parts.append(("memory", f"{memory_text(requested['memory'])} memory for a {memory_text(peak)} peak "
                      f"(recommended: {memory_text(recommended['memory'])}, peak + {options['memory_margin']:.0%})"))
    over = [(name, text) for name, text in parts if requested[name] > options["ratio"] * recommended[name]]
    if not over:
        return None
    who = component.name if container is None or container.name == component.name else (
        f"{component.name} (container {container.name})")
    period = f" over {facts['period']}" if "period" in facts else ""
    evidence = f"{samples:,} samples{period}, {file}:{facts['line']}"
    excess = {name: requested[name] - recommended[name] for name, _ in over}
    replicas = component.min_replicas
    cost = monthly_usd(component.provider, cpu=excess.get("cpu", 0.0), memory=excess.get("memory", 0.0))
    if cost * (replicas or 1) < options["min_monthly_usd"]:
        return None
    money = (f"about {usd(cost * replicas)}/month reserved and unused over {replicas} replica"
             f"{'s' if replicas != 1 else ''}" if replicas else f"about {usd(cost)}/month per replica")
    message = (f"{who} requests {' and '.join(text for _, text in over)} ({evidence}): {money} at "
               f"{price_note(component.provider, *excess)}")
    span = (container.resources_span or container.span) if container else _workload_span(component)
    fix = "Lower the request to the recommendation, then measure again over a full business cycle."
    return finding(META, component, message, fix, span=span, key=container.name if container else "",
                   sources=price_sources(component.provider, *excess))


def _cpu(cpu: dict, percentile: int) -> tuple[str, float] | None:
    """The configured percentile of CPU use, else the next higher one the file gives."""
    for label in _PERCENTILES[_PERCENTILES.index(f"p{percentile}"):]:
        if cpu.get(label) is not None:
            return label, cpu[label]
    return None


def _workload_span(component):
    running = [c for c in component.containers if not c.init]
    return (running[0].resources_span or running[0].span) if running else component.span
