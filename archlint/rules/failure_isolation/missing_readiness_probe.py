"""A container behind a Service has no readiness probe.

What it flags: each container of a workload selected by a Service that declares no `readinessProbe`.
Why it matters: without readiness the Service sends traffic to a pod as soon as its process starts, before it
can answer, and keeps sending it to a pod that is overloaded or lost its dependencies; rolling updates turn into
bursts of errors.
How to fix: add a `readinessProbe` (HTTP, gRPC or TCP) that succeeds only when the container can serve.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI005", name="service-backed-container-without-readiness-probe",
    title="Container behind a Service has no readiness probe", concern=Concern.FAILURE_ISOLATION,
    severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        services = component.attrs.get("services")
        if not services:
            continue
        for container in component.containers:
            if container.init or container.readiness is not None:
                continue
            yield finding(META, component, f"container {container.name} of {component.name} receives traffic from "
                          f"Service {', '.join(services)} but has no readiness probe",
                          "Add a readinessProbe that succeeds only when the container can serve.",
                          span=container.span, key=container.name)
