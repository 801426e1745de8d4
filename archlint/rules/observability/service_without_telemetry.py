"""A service shows neither metrics nor tracing.

What it flags: a long-running service or model server whose configuration shows no metrics (a
`prometheus.io/scrape` annotation, a ServiceMonitor or PodMonitor, a port named for metrics, a mesh sidecar) and
no tracing (OpenTelemetry, Jaeger, Zipkin or vendor agent settings, an injection annotation, a collector
sidecar), and whose service-graph entry does not declare them either.
Why it matters: when it misbehaves nobody can see its rate, errors and latency, or follow a request through it;
incidents take longer to locate and capacity planning is guesswork.
How to fix: expose metrics and let them be scraped, export traces with OpenTelemetry
(`OTEL_EXPORTER_OTLP_ENDPOINT`), or declare what exists (`observability: {metrics: true, tracing: true}`).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="OB002", name="service-without-telemetry", title="Service shows neither metrics nor tracing",
    concern=Concern.OBSERVABILITY, severity=Severity.INFO)


def check(model, options):
    for component in model.components(NodeKind.SERVICE, NodeKind.MODEL_SERVING, NodeKind.WORKER):
        signals = component.attrs.get("telemetry")
        if signals is None or "metrics" in signals or "tracing" in signals:
            continue  # None: nothing was read that could show telemetry
        yield finding(META, component, f"{component.name} shows no metrics and no tracing configuration",
                      "Expose metrics for scraping and export traces with OpenTelemetry.")
