"""Calls inferred from container environment and ConfigMaps that name another Service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from archlint.loaders.kubernetes.objects import K8sObject, mapping, sequence

_URL = re.compile(r"\b([a-z][a-z0-9+.-]*)://(?:[^@/\s]*@)?([a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d+))?", re.I)
_HOST_PORT = re.compile(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*)(?::(\d+))?$", re.I)
_SERVICE_HOST_VAR = re.compile(r"^([A-Z0-9_]+)_SERVICE_(HOST|PORT)$")
#: URL schemes whose calls wait for the answer, and those that hand a message over.
SYNC_SCHEMES = frozenset({"http", "https", "grpc", "grpcs", "h2c", "ws", "wss", "redis", "rediss", "postgres",
                          "postgresql", "mysql", "mongodb", "mongodb+srv", "jdbc", "memcached", "tcp"})
ASYNC_SCHEMES = frozenset({"amqp", "amqps", "kafka", "nats", "mqtt", "sqs", "pubsub", "pulsar"})


@dataclass(frozen=True, slots=True)
class Reference:
    """A Service named somewhere in a workload's configuration."""

    service: str
    namespace: str | None
    mode: str | None
    line: int
    evidence: str


def references(obj: K8sObject, pod_spec: dict, configmaps: dict[tuple[str, str], Any]) -> Iterator[Reference]:
    """Every Service reference in the containers' env, envFrom ConfigMaps and configMapKeyRefs."""
    for container in sequence(pod_spec.get("containers")) + sequence(pod_spec.get("initContainers")):
        container = mapping(container)
        for env in sequence(container.get("env")):
            env = mapping(env)
            name, line = str(env.get("name", "")), getattr(env, "line", obj.span.line)
            var = _SERVICE_HOST_VAR.match(name)
            if var and var.group(2) == "HOST":
                yield Reference(var.group(1).lower().replace("_", "-"), None, None, line, f"env {name}")
            value = env.get("value")
            if isinstance(value, str):
                yield from _in_value(value, line, f"env {name}")
            key_ref = mapping(mapping(env.get("valueFrom")).get("configMapKeyRef"))
            data = configmaps.get((obj.namespace, str(key_ref.get("name"))))
            if key_ref and isinstance(data, dict) and isinstance(data.get(key_ref.get("key")), str):
                yield from _in_value(data[key_ref["key"]], line, f"env {name} from ConfigMap {key_ref.get('name')}")
        for source in sequence(container.get("envFrom")):
            ref = mapping(mapping(source).get("configMapRef"))
            data = configmaps.get((obj.namespace, str(ref.get("name"))))
            if isinstance(data, dict):
                line = getattr(source, "line", obj.span.line)
                for key, value in data.items():
                    if isinstance(value, str):
                        yield from _in_value(value, line, f"ConfigMap {ref.get('name')} key {key}")


def value_references(value: str, line: int, evidence: str) -> Iterator[Reference]:
    """The Services one configuration value names (URLs with their scheme's mode, `host:port`, cluster DNS names)."""
    return _in_value(value, line, evidence)


def _in_value(value: str, line: int, evidence: str) -> Iterator[Reference]:
    urls = list(_URL.finditer(value))
    for url in urls:
        scheme = url.group(1).lower()
        mode = "sync" if scheme in SYNC_SCHEMES else "async" if scheme in ASYNC_SCHEMES else None
        reference = _reference(url.group(2), mode, line, evidence)
        if reference:
            yield reference
    if urls:
        return
    for part in re.split(r"[,\s]+", value.strip()):
        match = _HOST_PORT.match(part)
        # A bare word is only a host when it carries a port or a cluster DNS suffix: "cart" alone is too common.
        if match and (match.group(3) or ".svc" in part):
            reference = _reference(match.group(1), None, line, evidence)
            if reference:
                yield reference


def _reference(host: str, mode: str | None, line: int, evidence: str) -> Reference | None:
    """`cart`, `cart.shop`, `cart.shop.svc[.cluster.local]` -> Service cart (in shop); other hosts are not Services."""
    parts = host.lower().split(".")
    if len(parts) >= 3 and parts[2] == "svc":
        return Reference(parts[0], parts[1], mode, line, evidence)
    if len(parts) <= 2:  # `name.namespace`; the loader links it only if that Service exists there
        return Reference(parts[0], parts[1] if len(parts) == 2 else None, mode, line, evidence)
    return None
