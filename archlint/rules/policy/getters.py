"""Attribute paths compiled into functions of a scope: read straight from the subject, stepped by type."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import lru_cache
from operator import attrgetter
from typing import Any

from archlint.model import Autoscaling, Component, Container, Dependency, Probe, Span
from archlint.rules.policy.paths import (
    ABSENT,
    EDGE_NAMES,
    FACTS,
    FIELDS,
    NODE_NAMES,
    PROPERTIES,
    STRUCT_OF,
    STRUCTS,
    Facts,
    field_names,
    plain,
    split,
    step,
)

#: The type of a name's value where the model fixes it (struct fields and mappings): the steps after it are
#: compiled for that type.
_TYPES: dict[Any, dict[str, type]] = {
    Component: {"autoscaling": Autoscaling, "labels": dict, "annotations": dict, "attrs": dict, "points": dict,
                "span": Span, "replicas_span": Span, "facts": Facts},
    Dependency: {"span": Span},
    Container: {"span": Span, "resources_span": Span, "image_span": Span, "readiness": Probe, "liveness": Probe},
    Probe: {"span": Span},
    Autoscaling: {"span": Span, "min_span": Span},
}
_ROOT_TYPES: dict[str | None, dict[str, type]] = {
    "nodes": _TYPES[Component],
    "edges": {**_TYPES[Dependency], "source": Component, "target": Component},
    "containers": {"container": Container, "node": Component},
}


def resolve(scope: Any, path: str) -> Any:
    """The value at `path`, starting from the names in `scope`; ABSENT when any step is missing."""
    return getter(path, scope.kind)(scope)


@lru_cache(maxsize=4096)
def getter(path: str, kind: str | None = None) -> Callable[[Any], Any]:
    """`path` compiled once for a subject kind: a function from a scope to the value. The first name is read
    straight from the subject and each later name by a step chosen for the type that name has in the model, so a
    subject costs a few attribute reads, not a parse and a chain of type tests (an unexpected type, or a computed
    name that shadows a field, takes the generic `step`, which gives the same answer)."""
    length, names = split(path)
    value_of = _chain(names, kind)
    return (lambda scope: _length(value_of(scope))) if length else value_of


@lru_cache(maxsize=4096)
def reader(path: str, kind: str) -> Callable[[Any], Any] | None:
    """One call that reads `path` from a scope's subject, for a path read in one go (a field of the subject, of a
    container or its node, a fact) or that and one key of a mapping (`attrs.engine`), else None. It gives the value
    as the model holds it: `getter`'s value is it with None as ABSENT and an enum as its value (`plain`). Only for
    a path whose first name no computed name of the policy can shadow: the reader does not look at the names."""
    length, names = split(path)
    if length or kind not in ("nodes", "edges", "containers"):
        return None
    root, used, expected = _direct(names, kind)
    if used == len(names):
        return root
    if used == len(names) - 1 and expected is dict:
        name = names[-1]

        def key(scope: Any) -> Any:
            value = root(scope)
            return value.get(name) if type(value) is dict else step(value, name)
        return key
    return None


def _chain(names: tuple[str, ...], kind: str | None) -> Callable[[Any], Any]:
    """The names of a path as one function (enums as their value, None as ABSENT), unrolled for short paths.

    The subject's side reads as many names as it can in one `attrgetter` (or one fact call); a computed name
    (`options`, a `let` or `as` value) that shadows the first name is followed by the generic steps."""
    first = names[0]
    root, used, expected = _direct(names, kind)
    steps = []
    for name in names[used:]:
        steps.append(_stepper(expected, name))
        expected = _TYPES.get(expected, {}).get(name)
    if len(names) == 1:
        def one(scope: Any) -> Any:  # `name`, `replicas`, a let's name
            names = scope.names
            value = names[first] if first in names else root(scope)
            return ABSENT if value is None else value._value_ if isinstance(value, enum.Enum) else value
        return one
    shadowed = _walk(tuple(_stepper(dict if first == "options" else None, name) for name in names[1:]))
    if len(steps) <= 1:
        only = steps[0] if steps else None

        def two(scope: Any) -> Any:  # `attrs.engine`, `container.init`, `node.facts.long_running`
            names = scope.names
            if first in names:
                value = shadowed(names[first])
            else:
                value = root(scope) if only is None else only(root(scope))
            return ABSENT if value is None else value._value_ if isinstance(value, enum.Enum) else value
        return two
    rest = _walk(tuple(steps))

    def get(scope: Any) -> Any:
        names = scope.names
        return plain(shadowed(names[first]) if first in names else rest(root(scope)))
    return get


def _walk(steps: tuple[Callable[[Any], Any], ...]) -> Callable[[Any], Any]:
    """The steps one after the other, stopping at the first that finds nothing."""

    def walk(value: Any) -> Any:
        for next_step in steps:
            value = next_step(value)
            if value is ABSENT:
                break
        return value
    return walk


def _direct(names: tuple[str, ...], kind: str | None) -> tuple[Callable[[Any], Any], int, type | None]:
    """How the subject's side of a path starts: the function that reads its first names, how many it reads, and
    the type of what it reads where the model fixes it. A container and its node are always there, so their
    fields are read through in one `attrgetter`; a fact is one call."""
    first, second = names[0], names[1] if len(names) > 1 else None
    third = names[2] if len(names) > 2 else None
    if kind == "containers" and first in ("container", "node"):
        holder, struct = ("subject", Container) if first == "container" else ("extra", Component)
        if second in FIELDS[STRUCT_OF[first]] and second != "facts":
            return attrgetter(f"{holder}.{second}"), 2, _TYPES[struct].get(second)
        if struct is Component and second == "facts" and third in FACTS:
            fact, read = FACTS[third], attrgetter(holder)
            return lambda scope: fact(read(scope)), 3, None
        return attrgetter(holder), 1, struct
    if kind == "nodes" and first == "facts" and second in FACTS:
        fact = FACTS[second]
        return lambda scope: fact(scope.subject), 2, None
    return _root(first, kind), 1, _ROOT_TYPES.get(kind, {}).get(first)


def _root(name: str, kind: str | None) -> Callable[[Any], Any]:
    """How the first name of a path is read from the subject of `kind` when no computed name shadows it."""
    if kind == "nodes" and name in NODE_NAMES or kind == "edges" and name in EDGE_NAMES:
        return attrgetter(f"subject.{name}")
    if kind == "nodes" and name == "facts":
        return lambda scope: Facts(scope.subject)
    if kind == "edges" and name in ("source", "target"):
        index = 0 if name == "source" else 1

        def end(scope: Any) -> Any:  # both ends looked up once per edge, on first use
            if scope.extra is None:
                model, dep = scope.model, scope.subject
                scope.extra = (model.component(dep.source), model.component(dep.target))
            return scope.extra[index]
        return end
    if kind not in ("nodes", "edges", None) and name in ("container", "node"):  # containers
        return attrgetter("subject" if name == "container" else "extra")
    if kind is None:
        return lambda scope: scope.get(name, ABSENT)
    return lambda scope: ABSENT


def _stepper(expected: type | None, name: str) -> Callable[[Any], Any]:
    """One step, specialised for the type the value should have there (one exact type test), else generic."""
    if expected is dict:
        def key(value: Any) -> Any:
            if type(value) is dict:
                found = value.get(name)
                return ABSENT if found is None else found
            return step(value, name)
        return key
    if expected is Component and name == "facts":
        return lambda value: Facts(value) if type(value) is Component else step(value, name)
    if expected is Facts:
        fact = FACTS.get(name)
        return lambda value: (fact(value.component) if fact else ABSENT) if type(value) is Facts else step(value, name)
    if expected in STRUCTS:
        known = name in PROPERTIES.get(expected, ()) or name in field_names(expected)
        read = attrgetter(name)

        def field(value: Any) -> Any:
            if type(value) is expected:
                found = read(value) if known else None
                return ABSENT if found is None else found
            return step(value, name)
        return field
    return lambda value: step(value, name)


def _length(value: Any) -> Any:
    """`len(PATH)`: the number of items of a list, mapping or string."""
    value = plain(value)
    return len(value) if isinstance(value, (str, list, tuple, dict, frozenset, set)) else ABSENT
