"""Dotted attribute paths into a read-only view of a component, a dependency or a container."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from archlint.model import Autoscaling, Component, Container, Dependency, Probe, Span
from archlint.rules import facts


class _Absent:
    """A value the files do not give (None, a missing key or field): never an error, never equal to anything."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()

#: `name`, `attrs.backup_retention_days`, `zones.0`, or `len(zones)`.
PATH = re.compile(r"^(?:len\((?P<inner>[A-Za-z_][\w-]*(?:\.[\w-]+)*)\)|(?P<plain>[A-Za-z_][\w-]*(?:\.[\w-]+)*))$")

#: The computed facts a policy may ask of a component (`facts.serves_traffic`), from archlint/rules/facts.py.
FACTS = {"serves_traffic": facts.serves_traffic, "long_running": facts.long_running,
         "replica_text": facts.replica_text, "replicated": lambda c: c.workload_kind in facts.REPLICATED,
         "redundancy": facts.redundancy, "redundancy_span": facts.redundancy_span,
         "redundancy_text": facts.redundancy_text, "stateful": lambda c: c.kind in facts.STATEFUL_KINDS}

PROPERTIES = {Component: ("min_replicas",), Dependency: ("sync",)}
STRUCTS = (Component, Dependency, Container, Autoscaling, Probe, Span)
#: The first name of a path, per subject (besides `options`, `let` and `as` names).
ROOTS = {
    "nodes": frozenset(f.name for f in dataclasses.fields(Component)) | {"min_replicas", "facts"},
    "edges": frozenset(f.name for f in dataclasses.fields(Dependency)) | {"sync"},
    "containers": frozenset({"container", "node"}),
}
#: Names that must follow a struct-valued name (`source.nmae` is a typo caught before anything runs).
FIELDS = {name: frozenset(f.name for f in dataclasses.fields(kind)) | set(PROPERTIES.get(kind, ()))
          for name, kind in (("component", Component), ("container", Container), ("autoscaling", Autoscaling))}
FIELDS["component"] = FIELDS["component"] | {"facts"}
STRUCT_OF = {"source": "component", "target": "component", "node": "component", "container": "container"}


@lru_cache(maxsize=4096)
def split(path: str) -> tuple[bool, tuple[str, ...]]:
    """(is a `len(...)`, the names of the path); raises ValueError on a malformed path."""
    match = PATH.match(path)
    if not match:
        raise ValueError(f"{path!r} is not an attribute path (dotted names, or len(PATH))")
    inner = match.group("inner")
    return inner is not None, tuple((inner or match.group("plain")).split("."))


def step(value: Any, name: str) -> Any:
    """One name further into a value: a field, a fact, a mapping key or a list index."""
    if value is ABSENT or value is None:
        return ABSENT
    if isinstance(value, Facts):
        function = FACTS.get(name)
        return function(value.component) if function else ABSENT
    if isinstance(value, STRUCTS):
        if name == "facts" and isinstance(value, Component):
            return Facts(value)
        if name in PROPERTIES.get(type(value), ()) or name in field_names(type(value)):
            found = getattr(value, name)
            return ABSENT if found is None else found
        return ABSENT
    if isinstance(value, Mapping):
        found = value.get(name, ABSENT)
        return ABSENT if found is None else found
    if isinstance(value, (list, tuple)) and name.isdigit():
        index = int(name)
        return value[index] if index < len(value) and value[index] is not None else ABSENT
    return ABSENT


def plain(value: Any) -> Any:
    """Enums as their string value, None as ABSENT; everything else as it is."""
    if value is None:
        return ABSENT
    if isinstance(value, enum.Enum):
        return value._value_  # what the `value` property returns, without the property's Python call
    return value


class Facts:
    """`facts` of a component: computed on demand (`step` reads one)."""

    __slots__ = ("component",)

    def __init__(self, component: Component) -> None:
        self.component = component


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def field_names(kind: type) -> frozenset[str]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = frozenset(f.name for f in dataclasses.fields(kind))
    return names


NODE_NAMES = field_names(Component) | {"min_replicas"}
EDGE_NAMES = (field_names(Dependency) - {"source", "target"}) | {"sync"}

class Scope:
    """The names a condition sees: computed names (`options`, `let` and `as` values) over the subject's own."""

    __slots__ = ("subject", "kind", "extra", "names", "model")

    def __init__(self, kind: str, subject: Any, extra: Any = None, names: dict[str, Any] | None = None,
                 model: Any = None) -> None:
        #: nodes: a Component; edges: a Dependency (extra: (source, target), or None to look them up in `model`);
        #: containers: a Container (extra: its component).
        self.kind, self.subject, self.extra, self.model = kind, subject, extra, model
        self.names = names if names is not None else {}

    def get(self, name: str, default: Any = ABSENT) -> Any:
        if name in self.names:
            return self.names[name]
        if self.kind == "nodes":
            if name in NODE_NAMES:
                return getattr(self.subject, name)
            if name == "facts":
                return Facts(self.subject)
        elif self.kind == "edges":
            if name in EDGE_NAMES:
                return getattr(self.subject, name)
            if name == "source":
                return self.model.component(self.subject.source) if self.extra is None else self.extra[0]
            if name == "target":
                return self.model.component(self.subject.target) if self.extra is None else self.extra[1]
        elif name == "container":
            return self.subject
        elif name == "node":
            return self.extra
        return default

    def child(self, kind: str, subject: Any, extra: Any = None) -> "Scope":
        """A scope on another subject (a related node, an edge) that still sees `options`."""
        return Scope(kind, subject, extra, {"options": self.names.get("options", {})}, self.model)


def problem(path: str, kind: str, names: frozenset[str], options: frozenset[str]) -> str | None:
    """Why `path` can never name anything for this subject (an unknown first name, option or field), or None."""
    try:
        _, parts = split(path)
    except ValueError as error:
        return str(error)
    root = parts[0]
    if root == "options":
        if len(parts) != 2 or parts[1] not in options:
            return f"{path!r}: unknown option (declared: {', '.join(sorted(options)) or 'none'})"
        return None
    if root in names:
        return None
    if root not in ROOTS[kind]:
        return f"{path!r}: unknown name {root!r} for {kind} (known: {', '.join(sorted(ROOTS[kind] | names))})"
    struct, rest = ("component", parts) if kind == "nodes" else (STRUCT_OF.get(root), parts[1:])
    for part in rest:
        if struct is None:
            return None
        if struct == "component" and part == "facts":
            fact = rest[rest.index(part) + 1] if len(rest) > rest.index(part) + 1 else ""
            return None if fact in FACTS else f"{path!r}: unknown fact {fact!r} (known: {', '.join(sorted(FACTS))})"
        if part not in FIELDS[struct]:
            return f"{path!r}: {part!r} is not a {struct} field (fields: {', '.join(sorted(FIELDS[struct]))})"
        struct = "autoscaling" if (struct, part) == ("component", "autoscaling") else None
    return None
