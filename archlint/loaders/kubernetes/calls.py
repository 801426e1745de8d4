"""Calls inferred from what a workload's configuration names: env, args, command and ConfigMaps (as env or files)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from archlint.loaders.kubernetes.modes import ASYNC_SCHEMES, SYNC_SCHEMES
from archlint.loaders.kubernetes.objects import K8sObject, mapping, sequence
from archlint.model import Span

_URL = re.compile(r"\b([a-z][a-z0-9+.-]*)://(?:[^@/\s]*@)?([a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d+))?", re.I)
_HOST_PORT = re.compile(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*)(?::(\d+))?$", re.I)
_LABEL = re.compile(r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")  # a DNS-1035 label: what a Service name is
_SERVICE_HOST_VAR = re.compile(r"^([A-Z0-9_]+)_SERVICE_(HOST|PORT)$")
#: Words a setting's name ends with when its value is an address (`ORDER_QUEUE_HOSTNAME`, `redisAddr`).
_ADDRESS_NAME = re.compile(r"(host|hostname|hosts|addr|address|addresses|server|servers|service|svc|endpoint|"
                           r"endpoints|broker|brokers|url|uri|upstream|backend)$")
_HOST_SUFFIX = re.compile(r"^(.+?)_?(host|hostname|addr|address|server|service|svc)$", re.I)
#: Characters around an address in a config file or a shell line (`server cart:80;`, `"db:5432"`).
_PUNCTUATION = "\"'`;,()[]{}<>="
#: What any address in a text holds: a port (`:8080`) or a cluster DNS name (`.svc`); URLs hold `://`.
_ADDRESS_MARK = re.compile(r":\d|\.svc")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True, slots=True)
class Reference:
    """A Service named somewhere in a workload's configuration: where, how (`evidence`), and what the text says
    about the protocol (a URL's scheme) and the port."""

    service: str
    namespace: str | None
    span: Span
    evidence: str
    scheme: str | None = None
    port: int | None = None

    @property
    def mode(self) -> str | None:
        """What the URL's scheme alone says: sync, async or None."""
        return "sync" if self.scheme in SYNC_SCHEMES else "async" if self.scheme in ASYNC_SCHEMES else None


@lru_cache(maxsize=4096)
def address_name(name: str) -> bool:
    """Whether a setting called `name` holds an address: its last word is host, addr, url, server, ..."""
    return bool(_ADDRESS_NAME.search(_NOT_ALNUM.sub("", name.lower())))


def references(obj: K8sObject, pod_spec: dict, configmaps: dict[tuple[str, str], K8sObject]) -> Iterator[Reference]:
    """Every Service reference in the containers' env (values, ConfigMap keys, `envFrom`), args and command, and
    in the ConfigMaps mounted as files."""
    for container in sequence(pod_spec.get("containers")) + sequence(pod_spec.get("initContainers")):
        container = mapping(container)
        cname = container.get("name", "")
        values = {str(mapping(e).get("name", "")): mapping(e).get("value") for e in sequence(container.get("env"))}
        for env in sequence(container.get("env")):
            env = mapping(env)
            name = str(env.get("name", ""))
            var = _SERVICE_HOST_VAR.match(name)
            value, bare = env.get("value"), address_name(name)
            key_ref = mapping(mapping(env.get("valueFrom")).get("configMapKeyRef"))
            held = configmaps.get((obj.namespace, str(key_ref.get("name")))) if key_ref else None
            if not (var or held is not None or isinstance(value, str) and _may_name(value, bare)):
                continue  # names no Service: its place is not worked out
            span = obj.at(env)
            if var and var.group(2) == "HOST":
                port = _port(values.get(f"{var.group(1)}_SERVICE_PORT"))
                yield Reference(var.group(1).lower().replace("_", "-"), None, span, f"env {name}", port=port)
            if isinstance(value, str) and _may_name(value, bare):
                yield from _in_value(value, span, f"env {name}", bare, _sibling_port(name, values))
            if held is not None:
                data, key = mapping(held.data.get("data")), key_ref.get("key")
                if isinstance(data.get(key), str) and _may_name(data[key], bare):
                    where = held.line_of(data, key).through(Span(span.file, span.line, note=f"env {name} of {cname}"))
                    yield from _in_value(data[key], where, f"env {name} from ConfigMap {held.name}", bare,
                                         _sibling_port(name, values))
        for source in sequence(container.get("envFrom")):
            held = configmaps.get((obj.namespace, str(mapping(mapping(source).get("configMapRef")).get("name"))))
            if held is not None:
                data, via = mapping(held.data.get("data")), obj.at(source)
                for key, value in data.items():
                    if isinstance(value, str) and _may_name(value, bare := address_name(str(key))):
                        where = held.line_of(data, key).through(Span(via.file, via.line, note=f"envFrom of {cname}"))
                        yield from _in_value(value, where, f"ConfigMap {held.name} key {key}", bare,
                                             _sibling_port(str(key), data))
        for field in ("command", "args"):
            for arg in sequence(container.get(field)):
                if isinstance(arg, str) and _may_hold_address(arg):
                    yield from _in_text(arg, obj.line_of(container, field), f"container {cname} {field}",
                                        single_line=True)
    yield from _mounted(obj, pod_spec, configmaps)


def _mounted(obj: K8sObject, pod_spec: dict, configmaps: dict[tuple[str, str], K8sObject]) -> Iterator[Reference]:
    """Addresses in the files of ConfigMaps that a container mounts (nginx.conf, application.properties, ...)."""
    volumes = sequence(pod_spec.get("volumes"))
    if not volumes or not configmaps:
        return
    mounted = {str(mapping(m).get("name")) for c in sequence(pod_spec.get("containers"))
               for m in sequence(mapping(c).get("volumeMounts"))}
    for volume in volumes:
        volume = mapping(volume)
        source = mapping(volume.get("configMap"))
        held = configmaps.get((obj.namespace, str(source.get("name")))) if source else None
        if held is None or str(volume.get("name")) not in mounted:
            continue
        data, via = mapping(held.data.get("data")), obj.at(volume)
        for key, value in data.items():
            if isinstance(value, str) and _may_hold_address(value):
                where = held.line_of(data, key).through(Span(via.file, via.line, note=f"volume {volume.get('name')}"))
                yield from _in_text(value, where, f"file {key} of ConfigMap {held.name}")


def value_references(value: str, span: Span, evidence: str) -> Iterator[Reference]:
    """The Services one configuration value names (URLs with their scheme, `host:port`, cluster DNS names)."""
    return _in_value(value, span, evidence, False, None)


def _in_value(value: str, span: Span, evidence: str, bare: bool, port: int | None) -> Iterator[Reference]:
    """A setting's value. A bare word (`rabbitmq`) is a host only when the setting's name says it is an address:
    `cart` alone is too common a word."""
    if not _may_name(value, bare):
        return
    urls = list(_URL.finditer(value))
    for url in urls:
        reference = _reference(url.group(2), span, evidence, url.group(1).lower(), _port(url.group(4)))
        if reference:
            yield reference
    if urls:
        return
    for part in re.split(r"[,\s]+", value.strip()):
        match = _HOST_PORT.match(part)
        if not match:
            continue
        host, given = match.group(1), _port(match.group(3))
        if given or ".svc" in part or (bare and _LABEL.match(host)):
            reference = _reference(host, span, evidence, None, given or port)
            if reference:
                yield reference


def _in_text(text: str, span: Span, evidence: str, single_line: bool = False) -> Iterator[Reference]:
    """A file or a command line: URLs anywhere, `host:port` and cluster DNS names as words; each at its own line
    (a block scalar's content starts on the line after its key)."""
    if not _may_hold_address(text):
        return
    lines = text.splitlines() or [text]
    for offset, line in enumerate(lines):
        if "://" not in line and not _ADDRESS_MARK.search(line):
            continue
        here = span if single_line or len(lines) == 1 else Span(span.file, span.line + 1 + offset, span.via, span.note)
        rest = line
        if "://" in line:
            for url in _URL.finditer(line):
                reference = _reference(url.group(2), here, evidence, url.group(1).lower(), _port(url.group(4)))
                if reference:
                    yield reference
            rest = _URL.sub(" ", line)
        for word in rest.split():
            if ":" not in word and ".svc" not in word:  # a match needs a port or `.svc`
                continue
            word = word.strip(_PUNCTUATION)
            if "=" in word:  # --upstream=cart:80
                word = word.rsplit("=", 1)[1].strip(_PUNCTUATION)
            match = _HOST_PORT.match(word)
            if match and (match.group(3) or ".svc" in word) and not word[0].isdigit():
                reference = _reference(match.group(1), here, evidence, None, _port(match.group(3)))
                if reference:
                    yield reference


def _may_name(value: str, bare: bool) -> bool:
    """Whether a setting's value can name a Service at all: any word can when the setting's name says it holds an
    address, else only a URL, a `host:port` or a cluster DNS name (`:` or `.svc` in it)."""
    return bare or ":" in value or ".svc" in value


def _may_hold_address(text: str) -> bool:
    """Whether a file or a command line can name a Service: a URL, a `host:port` or a cluster DNS name."""
    return "://" in text or _ADDRESS_MARK.search(text) is not None


def _sibling_port(name: str, values: dict) -> int | None:
    """The port a neighbouring setting gives a host setting: `ORDER_QUEUE_HOSTNAME` -> `ORDER_QUEUE_PORT`."""
    match = _HOST_SUFFIX.match(name)
    if not match:
        return None
    stem = match.group(1)
    for candidate in (f"{stem}_PORT", f"{stem}Port", f"{stem}_port", f"{stem}port"):
        if candidate in values:
            return _port(values[candidate])
    return None


def _port(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 65536 else None
    if isinstance(value, str) and value.strip().isdigit():
        return _port(int(value.strip()))
    return None


def _reference(host: str, span: Span, evidence: str, scheme: str | None, port: int | None) -> Reference | None:
    """`cart`, `cart.shop`, `cart.shop.svc[.cluster.local]` -> Service cart (in shop); other hosts are not Services."""
    parts = host.lower().split(".")
    if len(parts) >= 3 and parts[2] == "svc":
        return Reference(parts[0], parts[1], span, evidence, scheme, port)
    if len(parts) <= 2:  # `name.namespace`; the loader links it only if that Service exists there
        return Reference(parts[0], parts[1] if len(parts) == 2 else None, span, evidence, scheme, port)
    return None
