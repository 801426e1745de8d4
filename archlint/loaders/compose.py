"""Docker Compose files into the model: services, replicas, resources, healthchecks, depends_on and inferred calls."""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from typing import Any

from archlint.finding import Finding
from archlint.loaders.kubernetes.calls import Reference, value_references
from archlint.loaders.kubernetes.classify import classify
from archlint.loaders.kubernetes.objects import mapping, sequence
from archlint.loaders.yamlsource import Document
from archlint.model import Component, Container, Dependency, EdgeKind, ModelBuilder, NodeKind, Probe, Span, Tier
from archlint.model.units import quantity

FORMAT = "compose"

#: File names `docker compose` reads (with override and variant files such as `compose.prod.yaml`) and
#: `docker stack` files, which are Compose files too. Other YAML with a `services` key is not claimed.
_FILE_NAME = re.compile(r"^(docker-compose|compose|docker-stack)([.-][\w.-]*)?\.ya?ml$")
_DEFAULT_NAMES = frozenset({"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"})
#: Docker reads byte values with binary units: `512m` is 512 MiB (go-units RAMInBytes).
_BYTES = re.compile(r"^\s*(\d+(?:\.\d+)?)\s?([kmgtp])?i?b?\s*$", re.I)
#: Variables whose bare value is a host name (`DB_HOST: db`); elsewhere a bare word is too common to be one.
_HOST_KEY = re.compile(r"(HOST|HOSTNAME|ADDR|ADDRESS|SERVER|ENDPOINT)$", re.I)
#: Kinds that hold data: publishing their port (for a local client) does not make them where users enter.
_DATA_KINDS = frozenset({NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE, NodeKind.VECTOR_STORE})


def claims(data: Any, name: str = "") -> bool:
    """A mapping with a `services` mapping, in a file named as Compose names its files."""
    return (isinstance(data, dict) and isinstance(data.get("services"), dict) and "apiVersion" not in data
            and _FILE_NAME.match(_base(name)) is not None)


def load(documents: list[Document], builder: ModelBuilder, problems: list[Finding]) -> None:
    """Add every service; edges resolve within the project (the file's directory), preferring the same file."""
    projects: dict[str, dict[str, list[Component]]] = defaultdict(lambda: defaultdict(list))
    found = []
    # The file Compose reads by default takes the plain ids; variants in its directory get `@file` ones.
    for document in sorted(documents, key=lambda d: (d.file.rpartition("/")[0], _base(d.file) not in _DEFAULT_NAMES)):
        project = document.file.rpartition("/")[0] or "."
        services = document.data["services"]
        items = []
        for name, service in services.items():
            if not isinstance(service, dict):
                continue
            span = Span(document.file, _line(services, name, document.line))
            component = _component(str(name), service, span, project, builder)
            builder.add(component)
            projects[project][str(name).lower()].append(component)
            items.append((service, component))
        _share_volumes(items)
        found.append((project, items))
    for project, items in found:
        for service, component in items:
            _edges(service, component, projects[project], builder)


def _component(name: str, service: dict, span: Span, project: str, builder: ModelBuilder) -> Component:
    image = str(service["image"]) if service.get("image") is not None else None
    deploy = mapping(service.get("deploy"))
    container, has_gpu = _container(name, image, service, deploy, span)
    publishes = bool(sequence(service.get("ports")))
    kind, reason = classify("compose", [image] if image else [], 1.0 if has_gpu else None, False)
    if kind is NodeKind.WORKER:  # no image archlint knows: its ports say whether it serves
        exposes = publishes or bool(sequence(service.get("expose")))
        kind = NodeKind.SERVICE if exposes else NodeKind.WORKER
        reason = "publishes ports" if publishes else "exposes ports" if exposes else "publishes and exposes no port"
        if image is None and "build" in service:
            build = service["build"]
            reason += f" (built from {mapping(build).get('context', '.') if isinstance(build, dict) else build})"
    replicas, replicas_span, defaulted = _replicas(service, deploy, span)
    entry, labels = True if publishes and kind not in _DATA_KINDS else None, _pairs(service.get("labels"))
    component = Component(
        id=builder.unique_id(f"compose:{project}/{name}", span.file), name=name, kind=kind, span=span,
        source=FORMAT, tier=Tier.AI if has_gpu else Tier.UNKNOWN, replicas=replicas, replicas_span=replicas_span,
        cpu=container.cpu_request, memory=container.memory_request, gpu=container.gpu, containers=(container,),
        entrypoint=entry, user_facing=entry, labels={str(k): str(v) for k, v in labels.items() if v is not None},
        points={"replicas": replicas_span, **{key: _at(service, key, span) for key in (
            "deploy", "ports", "healthcheck", "depends_on", "environment", "volumes") if key in service}},
        attrs={"kind_reason": reason, "project": project},
    )
    limits = {k: v for k, v in (("cpu", container.cpu_limit), ("memory", container.memory_limit)) if v is not None}
    global_mode = deploy.get("mode") == "global" and "global"
    extra = {"limits": limits, "replicas_defaulted": defaulted, "deploy_mode": global_mode,
             "source_dir": _source_dir(service.get("build"), project)}
    component.attrs.update({k: v for k, v in extra.items() if v})
    for key in ("profiles", "extends", "restart"):  # kept as facts; `extends` is not followed into other files
        if (value := service.get(key)) is not None:
            component.attrs[key] = list(map(str, value)) if isinstance(value, list) else (
                dict(value) if isinstance(value, dict) else str(value))
    return component


def _source_dir(build: Any, project: str) -> str | None:
    """The build context as a directory relative to the scan root, like a service graph's `source`; a Git URL or
    a context with `${VARIABLES}` is not a directory archlint can name."""
    context = mapping(build).get("context", ".") if isinstance(build, dict) else build
    if not isinstance(context, str) or not context or "://" in context or "$" in context or context.startswith("git@"):
        return None
    return posixpath.normpath(posixpath.join(project, context))


def _container(name: str, image: str | None, service: dict, deploy: dict, span: Span) -> tuple[Container, bool]:
    """The service's container; `cpus`, `mem_reservation` and `mem_limit` are the Compose file v2 spellings."""
    resources = mapping(deploy.get("resources"))
    reserved, limits = mapping(resources.get("reservations")), mapping(resources.get("limits"))
    gpu, has_gpu = _gpus(reserved)
    return Container(
        name=str(service.get("container_name") or name), image=image, span=span,
        cpu_request=quantity(reserved.get("cpus")),
        memory_request=_bytes(reserved.get("memory", service.get("mem_reservation"))),
        cpu_limit=quantity(limits.get("cpus", service.get("cpus"))),
        memory_limit=_bytes(limits.get("memory", service.get("mem_limit"))),
        gpu=gpu, readiness=_probe(service, span), ports=_ports(service),
        resources_span=_at(deploy, "resources", span) if "resources" in deploy else None), has_gpu


def _replicas(service: dict, deploy: dict, span: Span) -> tuple[int | None, Span, bool]:
    """(replicas, where, defaulted): Compose runs one container unless `deploy.replicas` (or legacy `scale`) says.

    Without a `deploy` section the file says nothing about capacity (most compose files describe a development
    stack), so replicas stay unknown rather than flagging every service as a single replica."""
    if "replicas" in deploy or "scale" in service:
        owner, key = (deploy, "replicas") if "replicas" in deploy else (service, "scale")
        value = int(owner[key]) if str(owner[key]).strip().isdigit() else None  # `${REPLICAS}`: set, unknown here
        return value, _at(owner, key, span), False
    if deploy.get("mode") == "global":  # one per swarm node: how many nodes is not in the file
        return None, _at(deploy, "mode", span), False
    if not deploy:  # no deploy section: a development stack that says nothing about capacity
        return None, span, False
    return 1, _at(deploy, "mode", span) if "mode" in deploy else span, True


def _edges(service: dict, component: Component, project: dict[str, list[Component]], builder: ModelBuilder) -> None:
    file = component.span.file
    declared: dict[str, tuple[int, list[str]]] = {}
    depends = service.get("depends_on")
    depends_line = _line(service, "depends_on", component.span.line)
    for target in depends if isinstance(depends, (dict, list)) else ():
        condition = mapping(depends.get(target)) if isinstance(depends, dict) else {}
        detail = ", ".join(f"{k}: {str(v).lower() if isinstance(v, bool) else v}" for k, v in condition.items()
                           if k in ("condition", "required", "restart"))
        evidence = f"depends_on {target}" + (f" ({detail})" if detail else "")
        declared.setdefault(str(target).lower(), (_line(depends, target, depends_line), []))[1].append(evidence)
    for link in sequence(service.get("links")):
        line = _line(service, "links", component.span.line)
        declared.setdefault(str(link).split(":", 1)[0].lower(), (line, []))[1].append(f"links {link}")
    calls = _calls(service, component, project)
    for target, (line, evidence) in declared.items():
        call = calls.get(target)  # the builder folds the inferred call into this edge: keep the mode its URL gives
        builder.connect(Dependency(component.id, _resolve(target, file, project), EdgeKind.DEPENDS_ON, Span(file, line),
                                   mode=call.mode if call else None, evidence="; ".join(evidence)))
    for target, ref in calls.items():
        callee = _resolve(target, file, project)
        builder.connect(Dependency(component.id, callee, EdgeKind.CALLS, ref.span, origin="inferred",
                                   mode=ref.mode, evidence=f"{ref.evidence} names service {target}"))
        for other in project[target]:
            if other.id == callee and other.kind is NodeKind.WORKER:
                other.kind, other.attrs["kind_reason"] = NodeKind.SERVICE, f"called by {component.name}"


def _calls(service: dict, component: Component, project: dict[str, list[Component]]) -> dict[str, Reference]:
    """Services of the project that an environment value names: `http://api:8080`, `redis:6379`, `DB_HOST=db`."""
    calls: dict[str, Reference] = {}
    own, env = component.name.lower(), _pairs(service.get("environment"))
    default = _line(service, "environment", component.span.line)
    for key, value in env.items():
        if not isinstance(value, str):
            continue
        key, line = str(key), _line(env, key, default)
        for ref in value_references(value, Span(component.span.file, line), f"env {key}"):
            if ref.namespace is None and ref.service in project and ref.service != own:
                calls.setdefault(ref.service, ref)
        bare = value.strip().lower()
        if _HOST_KEY.search(key) and bare in project and bare != own:
            calls.setdefault(bare, Reference(bare, None, Span(component.span.file, line), f"env {key}"))
    return calls


def _resolve(target: str, file: str, project: dict[str, list[Component]]) -> str:
    """The id of the project's service of that name, preferring the same file; else the name, for the builder."""
    candidates = sorted(project.get(target.lower(), []), key=lambda c: c.span.file != file)
    return candidates[0].id if candidates else target


def _share_volumes(items: list[tuple[dict, Component]]) -> None:
    """Named volumes that two or more services of one file mount: they share state (and a failure)."""
    mounts = {component.id: _named_volumes(service) for service, component in items}
    counts = Counter(name for names in mounts.values() for name in names)
    for _, component in items:
        if shared := sorted(name for name in mounts[component.id] if counts[name] >= 2):
            component.attrs["shared_volumes"] = shared


def _named_volumes(service: dict) -> set[str]:
    """Sources of `name:/path` or `{type: volume, source: name}` mounts; bind mounts are paths, not named volumes."""
    sources = [item.split(":", 1)[0] if isinstance(item, str) and ":" in item
               else str(item.get("source") or "") if isinstance(item, dict) and item.get("type", "volume") == "volume"
               else "" for item in sequence(service.get("volumes"))]
    return {source for source in sources if source and not source.startswith((".", "/", "~", "$"))}


def _probe(service: dict, span: Span) -> Probe | None:
    """A healthcheck gates `service_healthy` dependents as readiness does; curl or wget in its test is an HTTP check."""
    check = service.get("healthcheck")
    if not isinstance(check, dict) or check.get("disable") is True:
        return None
    test = check.get("test")
    words = [str(w) for w in test] if isinstance(test, list) else str(test or "").split()
    if words[:1] == ["NONE"]:
        return None
    kind = "http" if re.search(r"\b(curl|wget)\b|https?://", " ".join(words), re.I) else "exec"
    return Probe(kind, _line(service, "healthcheck", span.line))


def _ports(service: dict) -> tuple[int, ...]:
    """Container ports of `ports` (short `[host:]container[/proto]` or long `target:` syntax) and `expose`."""
    found = []
    for item in sequence(service.get("ports")) + sequence(service.get("expose")):
        value = item.get("target") if isinstance(item, dict) else str(item).rsplit(":", 1)[-1].split("/", 1)[0]
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found.append(int(value))
    return tuple(dict.fromkeys(found))


def _gpus(reserved: dict) -> tuple[float | None, bool]:
    """(count, any): devices reserved with the `gpu` capability; `count: all` is a GPU of unknown number."""
    devices = [mapping(d) for d in sequence(reserved.get("devices"))]
    gpus = [d for d in devices if "gpu" in map(str, sequence(d.get("capabilities"))) or d.get("driver") == "nvidia"]
    counts = [d.get("count", len(sequence(d.get("device_ids"))) or None) for d in gpus]
    known = all(isinstance(c, int) and not isinstance(c, bool) for c in counts)
    return (float(sum(counts)) if gpus and known else None), bool(gpus)


def _bytes(value: Any) -> float | None:
    """`512m`, `1.5G` or a number of bytes, read as a Kubernetes quantity of the same binary unit (`512Mi`)."""
    match = _BYTES.match(value) if isinstance(value, str) else None
    if match:
        return quantity(match.group(1) + (f"{match.group(2).upper()}i" if match.group(2) else ""))
    return quantity(value) if isinstance(value, (int, float)) else None


def _pairs(value: Any) -> dict:
    """`environment` or `labels` in map form, or in list form (`- KEY=value`; a bare `- KEY` has no value)."""
    if isinstance(value, dict):
        return value
    return dict((str(item).split("=", 1) + [None])[:2] for item in sequence(value))


def _base(file: str) -> str:
    return file.rpartition("/")[2].lower()


def _line(data: Any, key: Any, default: int) -> int:
    line_of = getattr(data, "line_of", None)
    return line_of(key) if line_of and key in data else default


def _at(data: Any, key: str, span: Span) -> Span:
    return Span(span.file, _line(data, key, span.line))
