"""JSON patch (RFC 6902) on rendered objects: add, remove, replace, move, copy and test, keeping origins."""

from __future__ import annotations

from typing import Any

from archlint.loaders.kustomize.merge import PatchError
from archlint.loaders.kustomize.origin import Sourced, adopt, copy, plain
from archlint.model import Span


def apply(target: Sourced, operations: list, default: Span) -> None:
    """Apply the operations (Sourced mappings from the patch) to `target` in place; PatchError on the first that
    fails, as kustomize stops there."""
    for operation in operations:
        if not isinstance(operation, dict):
            raise PatchError("a JSON patch operation must be a mapping", default)
        at = operation.span if isinstance(operation, Sourced) else default
        op, path = operation.get("op"), operation.get("path")
        if not isinstance(path, str):
            raise PatchError(f"JSON patch operation {op!r} has no path", at)
        value_span = operation.origin("value") if isinstance(operation, Sourced) else at
        if op in ("add", "replace"):
            if "value" not in operation:
                raise PatchError(f"JSON patch {op} {path} has no value", at)
            _set(target, _pointer(path, at), _value(operation["value"], value_span), value_span, op, at)
        elif op == "remove":
            _remove(target, _pointer(path, at), at)
        elif op in ("move", "copy"):
            source = operation.get("from")
            if not isinstance(source, str):
                raise PatchError(f"JSON patch {op} {path} has no from", at)
            steps = _pointer(source, at)
            value = _get(target, steps, at)
            if op == "move":
                _remove(target, steps, at)
            else:
                value = copy(value)
            _set(target, _pointer(path, at), value, at, "add", at)
        elif op == "test":
            if plain(_get(target, _pointer(path, at), at)) != plain(operation.get("value")):
                raise PatchError(f"JSON patch test failed at {path}", at)
        else:
            raise PatchError(f"unknown JSON patch operation {op!r}", at)


def _value(value: Any, span: Span) -> Any:
    if isinstance(value, (dict, list)) and not isinstance(value, Sourced):
        return adopt(value, span.file, 0, span.line)
    return copy(value)


def _pointer(path: str, at: Span) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"JSON patch path {path!r} must start with /", at)
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _index(container: list, step: str, at: Span, adding: bool) -> int:
    if step == "-" and adding:
        return len(container)
    if not step.isdigit():
        raise PatchError(f"JSON patch index {step!r} is not a number", at)
    index = int(step)
    if index > len(container) or (index == len(container) and not adding):
        raise PatchError(f"JSON patch index {index} is out of range", at)
    return index


def _get(target: Any, steps: list[str], at: Span) -> Any:
    node = target
    for step in steps:
        if isinstance(node, dict):
            if step not in node:
                raise PatchError(f"JSON patch path /{'/'.join(steps)} does not exist", at)
            node = node[step]
        elif isinstance(node, list):
            node = node[_index(node, step, at, False)]
        else:
            raise PatchError(f"JSON patch path /{'/'.join(steps)} does not exist", at)
    return node


def _set(target: Sourced, steps: list[str], value: Any, span: Span, op: str, at: Span) -> None:
    if not steps:
        raise PatchError("JSON patch cannot replace the whole object", at)
    parent, last = _get(target, steps[:-1], at), steps[-1]
    if isinstance(parent, dict):
        if op == "replace" and last not in parent:
            raise PatchError(f"JSON patch replace: /{'/'.join(steps)} does not exist", at)
        if isinstance(parent, Sourced):
            before = parent.existing(last)
            parent.put(last, value, span.through(Span(before.file, before.line, before.via, "value it replaces"))
                       if before else span)
        else:
            parent[last] = value
    elif isinstance(parent, list):
        index = _index(parent, last, at, op == "add")
        if op == "add":
            parent.insert(index, value)
        else:
            parent[index] = value
    else:
        raise PatchError(f"JSON patch path /{'/'.join(steps)} does not exist", at)


def _remove(target: Sourced, steps: list[str], at: Span) -> None:
    if not steps:
        raise PatchError("JSON patch cannot remove the whole object", at)
    parent, last = _get(target, steps[:-1], at), steps[-1]
    if isinstance(parent, Sourced):
        if last not in parent:
            raise PatchError(f"JSON patch remove: /{'/'.join(steps)} does not exist", at)
        parent.drop(last)
    elif isinstance(parent, list):
        del parent[_index(parent, last, at, False)]
    else:
        raise PatchError(f"JSON patch path /{'/'.join(steps)} does not exist", at)

