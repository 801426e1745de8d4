"""A readiness or liveness probe names a port its container does not have.

What it flags: an HTTP or TCP probe whose port is a name (`port: http`) that none of the container's `ports`
carries. Each probe is its own finding; init containers are left out. A probe on a port number is not judged,
declared or not: the kubelet probes the pod's IP on that number whatever `ports` lists (a separate health port,
like an OpenTelemetry collector's 13133, is common and works). Peers: kube-linter `liveness-port`,
`readiness-port` and `startup-port` also flag a port number the container does not list (tests/peers/FI036).
Why it matters: the kubelet cannot resolve the name, so the probe fails every time: a readiness probe keeps the
pod out of its Service for good, a liveness probe restarts it in a loop. It happens when a port is renamed in one
place and not the other.
How to fix: name the port in the container's `ports` (`- {name: http, containerPort: 8080}`), or probe the
name the container declares.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI036", name="probe-on-undeclared-port", title="Probe names a port the container does not have",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        if component.source != "kubernetes":
            continue
        for container in component.containers:
            if container.init:
                continue
            for which, probe in (("readiness", container.readiness), ("liveness", container.liveness)):
                if probe is None or probe.port_declared is not False:
                    continue
                yield finding(META, component, f"the {which} probe of container {container.name} of {component.name} "
                              f"targets port {probe.port}, a name no port of the container has: it fails every time",
                              "Name the port in the container's ports, or probe the name it declares.",
                              span=probe.span or container.span, key=f"{container.name}:{which}")
