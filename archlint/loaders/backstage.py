"""Backstage catalog entities into the model: Components and Resources, their owners, systems and dependencies."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from archlint.finding import Finding
from archlint.loaders.yamlsource import Document
from archlint.model import Component, Dependency, EdgeKind, ModelBuilder, NodeKind, Span
from archlint.model.build import LINK_KEY

FORMAT = "backstage"
DEFAULT_NAMESPACE = "default"
#: Component types that are not deployed on their own (a library runs inside its dependents): no node.
NOT_RUNNING = frozenset({"library", "documentation", "docs"})
#: Resource types by the kind of component they are, first match wins; any other type is an external resource.
RESOURCE_TYPES = ((NodeKind.VECTOR_STORE, re.compile(r"vector")),
                  (NodeKind.CACHE, re.compile(r"cache|redis|memcache|valkey")),
                  (NodeKind.QUEUE, re.compile(r"queue|topic|kafka|stream|pub-?sub|sqs|sns|event|messag|broker|nats")),
                  (NodeKind.DATASTORE, re.compile(r"database|^db$|sql|postgres|mongo|bucket|storage|^s3|blob|"
                                                  r"table|warehouse|search")))
#: API types whose calls wait for the answer, and those that hand a message over.
SYNC_APIS, ASYNC_APIS = frozenset({"openapi", "grpc", "graphql", "trpc"}), frozenset({"asyncapi"})

#: Node kinds a Component's type cannot declare: `service` is the default, the others are not components.
_NOT_DECLARABLE = frozenset({"service", "cluster", "node-pool", "autoscaler", "disruption-budget"})

Ref = tuple[str | None, str, str]  # (kind or None, namespace, name), lowercased as Backstage compares them


@dataclass
class _Entity:
    kind: str
    namespace: str
    name: str
    data: dict
    spec: dict
    span: Span
    component: Component | None = None


def claims(data: Any, name: str = "") -> bool:
    """A catalog entity: `apiVersion` in the backstage.io group or a subgroup (scaffolder.backstage.io) and a `kind`.

    Kinds beyond the built-in ones (`Environment`, plugin kinds) are claimed too, so that Kubernetes does not take
    them, and are ignored: only Components and Resources become nodes.
    """
    version = data.get("apiVersion") if isinstance(data, dict) else None
    return (isinstance(version, str) and isinstance(data.get("kind"), str)
            and (version.startswith("backstage.io/") or version.split("/", 1)[0].endswith(".backstage.io")))


def parse_ref(ref: Any, default_kind: str | None, default_namespace: str) -> Ref | None:
    """`[kind:][namespace/]name` or `{kind, namespace, name}`, read as Backstage's parseEntityRef; None if invalid."""
    if isinstance(ref, dict):
        kind, namespace, name = ref.get("kind", default_kind), ref.get("namespace", default_namespace), ref.get("name")
    elif isinstance(ref, str) and ref:
        colon, slash = ref.find(":"), ref.find("/")
        if slash != -1 and slash < colon:  # a `/` before the `:`: the rest is the name
            colon = -1
        kind = ref[:colon] if colon != -1 else None
        namespace = ref[colon + 1:slash] if slash != -1 else None
        name = ref[max(colon + 1, slash + 1):]
        if kind == "" or namespace == "" or name == "":
            return None
        kind, namespace = kind or default_kind, namespace or default_namespace
    else:
        return None
    if not name or not namespace:
        return None
    return (str(kind).lower() if kind else None), str(namespace).lower(), str(name).lower()


def load(documents: list[Document], builder: ModelBuilder, problems: list[Finding]) -> None:
    """Components and Resources become nodes; APIs, Systems and dependencies link them across files."""
    entities = [e for e in (_entity(d) for d in documents) if e is not None]
    index: dict[tuple[str, str, str], _Entity] = {}
    for entity in entities:
        index.setdefault((entity.kind.lower(), entity.namespace, entity.name.lower()), entity)
        if entity.kind in ("Component", "Resource"):
            entity.component = _component(entity, builder)
            if entity.component is not None:
                builder.add(entity.component)
    providers: dict[tuple[str, str], list[_Entity]] = defaultdict(list)
    for entity in entities:
        for ref in _refs(entity, "providesApis", "api"):
            providers[ref[1:]].append(entity)
    for entity in entities:
        if entity.component is not None:
            _system(entity, index)
            _dependencies(entity, index, builder)
            _api_calls(entity, index, providers, builder)


def _entity(document: Document) -> _Entity | None:
    data = document.data
    metadata = _map(data.get("metadata"))
    if not isinstance(metadata.get("name"), str):
        return None
    namespace = str(metadata.get("namespace") or DEFAULT_NAMESPACE).lower()
    return _Entity(data["kind"], namespace, metadata["name"], data, _map(data.get("spec")),
                   Span(document.file, getattr(data, "line", document.line)))


def _component(entity: _Entity, builder: ModelBuilder) -> Component | None:
    spec, metadata = entity.spec, _map(entity.data.get("metadata"))
    kind_of = str(spec.get("type") or "").lower()
    if entity.kind == "Component" and kind_of in NOT_RUNNING:
        return None
    declared = True
    if entity.kind == "Resource":
        kind = next((k for k, pattern in RESOURCE_TYPES if pattern.search(kind_of)), NodeKind.EXTERNAL)
        declared = kind is not NodeKind.EXTERNAL
    elif kind_of in NodeKind._value2member_map_ and kind_of not in _NOT_DECLARABLE:
        kind = NodeKind(kind_of)
    else:  # service, website and types archlint has no kind for: a service, the default guess, not a declaration
        kind, declared = NodeKind.SERVICE, False
    annotations = {str(k): str(v) for k, v in _map(metadata.get("annotations")).items()}
    if "backstage.io/kubernetes-id" in annotations:
        annotations.setdefault(LINK_KEY, annotations["backstage.io/kubernetes-id"])
    owner = parse_ref(spec.get("owner"), "group", entity.namespace)
    ref_id = f"backstage:{entity.namespace}/{entity.kind.lower()}/{entity.name.lower()}"
    component = Component(
        id=builder.unique_id(ref_id, entity.span.file), name=entity.name, kind=kind, span=entity.span,
        source=FORMAT, namespace=annotations.get("backstage.io/kubernetes-namespace"),
        user_facing=True if kind_of == "website" else None, owner=_humanize(owner, "group") if owner else None,
        labels={str(k): str(v) for k, v in _map(metadata.get("labels")).items()}, annotations=annotations,
        points={key: _at(entity, key) for key in ("owner", "system", "lifecycle", "dependsOn", "dependencyOf",
                                                  "providesApis", "consumesApis") if key in spec},
        attrs={"entity_ref": f"{entity.kind.lower()}:{entity.namespace}/{entity.name.lower()}",
               "kind_reason": f"Backstage {entity.kind} of type {kind_of or 'unset'}"},
    )
    if declared:
        component.attrs["kind_declared"] = True
    for key in ("type", "lifecycle"):
        if isinstance(spec.get(key), str):
            component.attrs[key] = spec[key]
    if owner:
        component.attrs["owner_ref"] = f"{owner[0]}:{owner[1]}/{owner[2]}"
    parent = parse_ref(spec.get("subcomponentOf"), "component", entity.namespace)
    if parent:
        component.attrs["part_of"] = _humanize(parent, "component")
    return component


def _system(entity: _Entity, index: dict) -> None:
    ref = parse_ref(entity.spec.get("system"), "system", entity.namespace)
    if ref is None:
        return
    system = index.get(ref)
    entity.component.attrs["system"] = system.name if system else _humanize(ref, "system")
    domain = parse_ref(system.spec.get("domain"), "domain", system.namespace) if system else None
    if domain:
        entity.component.attrs["domain"] = _humanize(domain, "domain")


def _dependencies(entity: _Entity, index: dict, builder: ModelBuilder) -> None:
    """`dependsOn` (no default kind: a bare name is looked up among Components, then Resources) and `dependencyOf`."""
    component = entity.component
    for key, reverse in (("dependsOn", False), ("dependencyOf", True)):
        for ref in _refs(entity, key, None):
            kinds = (ref[0],) if ref[0] else ("component", "resource")
            target = next((index[(k, *ref[1:])] for k in kinds if (k, *ref[1:]) in index), None)
            if target is not None and target.component is None:  # a library or a kind that is no node
                library = target.kind == "Component"
                component.attrs.setdefault("libraries" if library else "depends_on_entities", []).append(
                    _humanize(ref, "component" if library else None))
                continue
            if target is None and ref[0] not in (None, "component", "resource"):
                continue
            other = target.component.id if target else ref[2]  # not in these files: the builder resolves the name
            source, dest = (other, component.id) if reverse else (component.id, other)
            builder.connect(Dependency(source, dest, EdgeKind.DEPENDS_ON, _at(entity, key),
                                       evidence=f"{key} {_humanize(ref, None)}"))


def _api_calls(entity: _Entity, index: dict, providers: dict, builder: ModelBuilder) -> None:
    """A Component that consumes an API calls every component that provides it; the API's type gives the mode."""
    for ref in _refs(entity, "consumesApis", "api"):
        api = index.get(ref)
        api_type = str(api.spec.get("type") or "").lower() if api else ""
        mode = "sync" if api_type in SYNC_APIS else "async" if api_type in ASYNC_APIS else None
        called = [p for p in providers.get(ref[1:], []) if p.component is not None and p is not entity]
        if not called:
            entity.component.attrs.setdefault("consumes_apis", []).append(_humanize(ref, None))
        for provider in called:
            builder.connect(Dependency(entity.component.id, provider.component.id, EdgeKind.CALLS,
                                       _at(entity, "consumesApis"), mode=mode,
                                       evidence=f"consumesApis {_humanize(ref, None)}, provided by {provider.name}"))


def _refs(entity: _Entity, key: str, default_kind: str | None) -> list[Ref]:
    value = entity.spec.get(key)
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [ref for ref in (parse_ref(item, default_kind, entity.namespace) for item in items) if ref is not None]


def _humanize(ref: Ref, default_kind: str | None) -> str:
    """A ref as people write it: kind and namespace shown only when not the default (`user:guest`, `ns/team`)."""
    kind, namespace, name = ref
    prefix = f"{kind}:" if kind and kind != default_kind else ""
    return f"{prefix}{namespace}/{name}" if namespace != DEFAULT_NAMESPACE else f"{prefix}{name}"


def _at(entity: _Entity, key: str) -> Span:
    line_of = getattr(entity.spec, "line_of", None)
    return Span(entity.span.file, line_of(key)) if line_of and key in entity.spec else entity.span


def _map(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
