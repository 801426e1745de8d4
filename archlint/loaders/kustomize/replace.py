"""kustomize's replacements: a value copied from one field of a resource into fields of others, the copies
keeping the origin of the value they copy."""

from __future__ import annotations

import re
from typing import Any, Iterator

from archlint.loaders.kustomize.origin import Sourced, sourced
from archlint.loaders.kustomize.select import Selector, selector
from archlint.model import Span

_ELEMENT = re.compile(r"^\[([^=\]]+)=([^\]]*)\]$")


class ReplacementError(ValueError):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message, self.span = message, span


def steps(field_path: str) -> list[str]:
    """`spec.containers.[name=app].image` -> ["spec", "containers", "[name=app]", "image"] (dots inside brackets
    belong to the step)."""
    parts, current, depth = [], "", 0
    for char in field_path.strip():
        depth += char == "["
        depth -= char == "]"
        if char == "." and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part[1:-1] if part.startswith("[") and part.endswith("]") and "=" not in part else part
            for part in parts if part != ""]


def lookup(node: Any, path: list[str], create: bool, span: Span) -> Iterator[tuple[Any, Any]]:
    """(container, key) pairs for the field at `path` under `node`; a `*` step matches every element."""
    head, rest = path[0], path[1:]
    if isinstance(node, list):
        found = _ELEMENT.match(head)
        if found:
            key, value = found.group(1), found.group(2)
            matched = [item for item in node if isinstance(item, dict) and str(item.get(key)) == value]
            if not matched and create:
                item = sourced(span)
                item.put(key, value, span)
                node.append(item)
                matched = [item]
            for item in matched:
                if rest:
                    yield from lookup(item, rest, create, span)
            return
        if head == "*":
            for index in range(len(node)):
                yield from (lookup(node[index], rest, create, span) if rest else [(node, index)])
            return
        if head.isdigit() and int(head) < len(node):
            index = int(head)
            yield from lookup(node[index], rest, create, span) if rest else [(node, index)]
        return
    if not isinstance(node, dict):
        return
    if not rest:
        if head in node or create:
            yield node, head
        return
    child = node.get(head)
    if child is None and create:
        child = [] if _ELEMENT.match(rest[0]) else sourced(span)
        if isinstance(node, Sourced):
            node.put(head, child, span)
        else:
            node[head] = child
    if child is not None:
        yield from lookup(child, rest, create, span)


def apply(entry: Sourced, resources: list, span: Span) -> None:
    """Apply one `replacements:` entry to the resources."""
    source = entry.get("source")
    if not isinstance(source, dict):
        raise ReplacementError("a replacement needs a source", span)
    chosen = selector({k: v for k, v in source.items() if k in ("group", "version", "kind", "name", "namespace")})
    candidates = [r for r in resources if chosen.matches(r)]
    if len(candidates) != 1:
        raise ReplacementError(f"replacement source selects {len(candidates)} resources, not one", span)
    path = steps(str(source.get("fieldPath") or "metadata.name"))
    found = list(lookup(candidates[0].data, path, False, span))
    if not found:
        raise ReplacementError(f"replacement source field {source.get('fieldPath')} not found", span)
    container, key = found[0]
    value = container[key]
    origin = container.origin(key) if isinstance(container, Sourced) else span
    options = source.get("options") if isinstance(source.get("options"), dict) else {}
    if options.get("delimiter") is not None and isinstance(value, str):
        parts = value.split(str(options["delimiter"]))
        index = int(options.get("index") or 0)
        value = parts[index] if -len(parts) <= index < len(parts) else ""
    for target in entry.get("targets") or ():
        if not isinstance(target, dict):
            continue
        select = selector(target.get("select") or {})
        rejects: list[Selector] = [selector(r) for r in target.get("reject") or () if isinstance(r, dict)]
        opts = target.get("options") if isinstance(target.get("options"), dict) else {}
        for resource in resources:
            if not select.matches(resource) or any(r.matches(resource) for r in rejects):
                continue
            for field_path in target.get("fieldPaths") or ():
                for holder, name in list(lookup(resource.data, steps(str(field_path)), bool(opts.get("create")), span)):
                    _set(holder, name, value, opts, origin.through(Span(span.file, span.line,
                                                                        note="replacement in this kustomization")))


def _set(holder: Any, key: Any, value: Any, options: dict, origin: Span) -> None:
    old = holder[key] if (isinstance(holder, dict) and key in holder) or isinstance(holder, list) else None
    if options.get("delimiter") is not None and isinstance(old, str):
        parts = old.split(str(options["delimiter"]))
        index = int(options.get("index") or 0)
        if 0 <= index < len(parts):
            parts[index] = _text(value)
        elif index >= len(parts):
            parts.append(_text(value))
        value = str(options["delimiter"]).join(parts)
    elif isinstance(old, str) and not isinstance(value, str):
        value = _text(value)  # the target keeps its type: a string field gets the value's text
    if isinstance(holder, Sourced):
        holder.put(key, value, origin)
    else:
        holder[key] = value


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
