"""Service-mesh configuration on calls: Istio VirtualService and DestinationRule, Linkerd ServiceProfile.

A mesh object configures the traffic *to* a host, whoever sends it; archlint applies it to every call it found
to that host's Service (a call from a workload that opts out of the sidecar with `sidecar.istio.io/inject:
"false"` excepted). What the object leaves out is the mesh's default: Istio sets no HTTP timeout and no outlier
detection; a Linkerd ServiceProfile route times out after 10 seconds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archlint.loaders.kubernetes.objects import K8sObject, mapping, pod_annotations, sequence
from archlint.loaders.kubernetes.selectors import string_map
from archlint.model import Dependency, Span
from archlint.model.units import duration_ms

#: Linkerd's timeout for a ServiceProfile route that declares none.
LINKERD_DEFAULT_TIMEOUT_MS = 10_000.0


@dataclass
class Mesh:
    """The mesh objects of one load, by the Service (namespace, name) they configure."""

    routes: dict[tuple[str, str], list[K8sObject]] = field(default_factory=dict)
    rules: dict[tuple[str, str], list[K8sObject]] = field(default_factory=dict)
    profiles: dict[tuple[str, str], list[K8sObject]] = field(default_factory=dict)
    #: DestinationRules whose host is a wildcard (`*.shop.svc.cluster.local`), by namespace (None: every one).
    wide: list[tuple[str | None, K8sObject]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.routes or self.rules or self.profiles or self.wide)


def index(virtual_services: list[K8sObject], destination_rules: list[K8sObject],
          service_profiles: list[K8sObject]) -> Mesh:
    mesh = Mesh()
    for vs in virtual_services:
        spec = mapping(vs.data.get("spec"))
        gateways = [str(g) for g in sequence(spec.get("gateways"))]
        if gateways and "mesh" not in gateways:
            continue  # bound to gateways only: it does not route traffic between sidecars
        for host in sequence(spec.get("hosts")):
            key = _service(str(host), vs.namespace)
            if key:
                mesh.routes.setdefault(key, []).append(vs)
    for rule in destination_rules:
        host = str(mapping(rule.data.get("spec")).get("host", ""))
        if host.startswith("*"):
            parts = host.split(".")
            mesh.wide.append((parts[1] if len(parts) >= 3 and parts[2] == "svc" else None, rule))
        elif key := _service(host, rule.namespace):
            mesh.rules.setdefault(key, []).append(rule)
    for profile in service_profiles:
        key = _service(profile.name, profile.namespace)
        if key:
            mesh.profiles.setdefault(key, []).append(profile)
    return mesh


def _service(host: str, namespace: str) -> tuple[str, str] | None:
    """`reviews` (in the object's namespace), `reviews.prod`, `reviews.prod.svc.cluster.local` -> a Service key."""
    parts = host.lower().split(".")
    if not parts[0] or "*" in host:
        return None
    if len(parts) == 1:
        return namespace, parts[0]
    if len(parts) == 2 or (len(parts) >= 3 and parts[2] == "svc"):
        return parts[1], parts[0]
    return None


def apply(mesh: Mesh, edge: Dependency, service: tuple[str, str], caller_labels: dict[str, str],
          caller_namespace: str, opted_out: bool) -> None:
    """Set the edge's timeout, retries, backoff and circuit breaker from the mesh objects for `service`, with the
    place that sets them as `edge.resilience` and the reason in its evidence."""
    if not mesh or opted_out:
        return
    notes: list[str] = []
    routed = _route(mesh.routes.get(service, ()), caller_labels, caller_namespace)
    subsets: set[str] = set()
    if routed is not None:
        vs, number, route = routed
        where = vs.line_of(route, "timeout") if "timeout" in route else vs.at(route)
        edge.resilience = Span(where.file, where.line, note=f"VirtualService {vs.name}, http route {number}")
        timeout = duration_ms(route.get("timeout")) if "timeout" in route else None
        edge.timeout_ms = timeout if timeout else None  # `0s` turns the timeout off
        retries = mapping(route.get("retries"))
        if isinstance(retries.get("attempts"), int) and not isinstance(retries.get("attempts"), bool):
            edge.retries = retries["attempts"]
            edge.backoff = "exponential-jitter" if edge.retries else None  # Envoy's retry back-off: 25 ms, jittered
        notes.append(f"VirtualService {vs.name} route {number}: " + (
            f"timeout {route.get('timeout')}" if edge.timeout_ms else "no timeout (Istio sets none)") + (
            f", {edge.retries} retries" if edge.retries is not None else ""))
        subsets = {str(mapping(mapping(d).get("destination")).get("subset")) for d in sequence(route.get("route"))
                   if mapping(mapping(d).get("destination")).get("subset")}
    rules = list(mesh.rules.get(service, ())) + [r for ns, r in mesh.wide if ns in (None, service[0])]
    if rules:
        rule = rules[0]
        breaker = _breaker(rule, subsets)
        edge.circuit_breaker = breaker is not None
        if edge.resilience is None:
            place = breaker or rule.at(mapping(rule.data.get("spec")))
            edge.resilience = Span(place.file, place.line, note=f"DestinationRule {rule.name}")
        notes.append(f"DestinationRule {rule.name}: " + ("outlier detection or connection limits" if breaker
                                                        else "no outlier detection (no circuit breaker)"))
    elif routed is not None:
        edge.circuit_breaker = False  # Istio ejects no host unless a DestinationRule says so
    for profile in mesh.profiles.get(service, ())[:1]:
        _profile(profile, edge, notes)
    if edge.resilience is not None:  # the call itself is where the finding's reader sees who calls
        edge.resilience = edge.resilience.through(Span(edge.span.file, edge.span.line, note=f"the call to {service[1]}"))
    if notes:
        edge.evidence = "; ".join(filter(None, [edge.evidence, *notes]))


def _route(items: Any, labels: dict[str, str], namespace: str) -> tuple[K8sObject, int, dict] | None:
    """The first HTTP route of the first VirtualService that the caller's requests take by default: one without
    `match`, or whose match says only which sources it is for (labels, namespace) and that includes this caller.
    Routes that match on a path or header are for some requests only, and are passed over."""
    for vs in items:
        for number, route in enumerate(sequence(mapping(vs.data.get("spec")).get("http")), 1):
            route = mapping(route)
            matches = [mapping(m) for m in sequence(route.get("match"))]
            if not matches or any(_from_caller(m, labels, namespace) for m in matches):
                return vs, number, route
    return None


def _from_caller(match: dict, labels: dict[str, str], namespace: str) -> bool:
    if set(match) - {"sourceLabels", "sourceNamespace", "name"}:
        return False
    wanted = string_map(match.get("sourceLabels"))
    return all(labels.get(k) == v for k, v in wanted.items()) and match.get("sourceNamespace", namespace) == namespace


def _breaker(rule: K8sObject, subsets: set[str]) -> Span | None:
    """Where the DestinationRule breaks the circuit (outlier detection, or connection-pool limits that fail
    excess requests fast), for every subset the route sends to; None if it does not."""
    spec = mapping(rule.data.get("spec"))
    policies = [mapping(spec.get("trafficPolicy"))]
    for subset in sequence(spec.get("subsets")):
        subset = mapping(subset)
        if str(subset.get("name")) in subsets and mapping(subset.get("trafficPolicy")):
            policies.append(mapping(subset.get("trafficPolicy")))
    for policy in policies:
        for key in ("outlierDetection", "connectionPool"):
            if key in policy and mapping(policy.get(key)):
                return rule.line_of(policy, key)
    return None


def _profile(profile: K8sObject, edge: Dependency, notes: list[str]) -> None:
    """A Linkerd ServiceProfile: each route times out (after 10 s unless it says), the longest is the call's."""
    spec = mapping(profile.data.get("spec"))
    routes = [mapping(r) for r in sequence(spec.get("routes"))]
    if not routes:
        return
    timeouts = [duration_ms(r.get("timeout")) or LINKERD_DEFAULT_TIMEOUT_MS for r in routes]
    if edge.timeout_ms is None:
        edge.timeout_ms = max(timeouts)
        first = next((r for r in routes if "timeout" in r), routes[0])
        where = profile.line_of(first, "timeout") if "timeout" in first else profile.at(first)
        edge.resilience = Span(where.file, where.line, note=f"ServiceProfile {profile.name}")
    retryable = [str(r.get("name")) for r in routes if r.get("isRetryable") is True]
    notes.append(f"ServiceProfile {profile.name}: routes time out after {max(timeouts) / 1000:g}s" + (
        f", {len(retryable)} retryable under a retry budget" if retryable else ""))


def opted_out(obj: K8sObject, pod_labels: dict[str, str]) -> bool:
    """A workload whose pods refuse the sidecar: its calls bypass the mesh's routing."""
    annotations = pod_annotations(obj)
    value = pod_labels.get("sidecar.istio.io/inject", annotations.get("sidecar.istio.io/inject"))
    return value == "false" or annotations.get("linkerd.io/inject") == "disabled"
