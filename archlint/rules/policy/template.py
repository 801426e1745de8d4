"""Message templates: `{path}`, `{path:,.0f}`, `{path|plural:time}`; parsed once, never given to str.format."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archlint.model import Component, Container
from archlint.model.units import format_bytes, format_cpu, format_memory
from archlint.rules.base import listing
from archlint.rules.policy.getters import getter
from archlint.rules.policy.paths import ABSENT, plain, split

#: A format spec as Python's format() takes it for numbers and strings; nothing that reaches attributes.
_SPEC = re.compile(r"^(?:.?[<>^=])?[+\- ]?#?0?\d{0,3}[,_]?(?:\.\d{1,3})?[bdeEfFgGnosxX%]?$")
_FIELD = re.compile(r"^(?P<path>[^:|]+)(?::(?P<spec>[^|]*))?(?P<filters>(?:\|[a-z_]+(?::[^|]*)?)*)$")
FILTERS = ("plural", "default", "memory", "bytes", "cpu")
_BRACE = re.compile(r"[{}]")


class TemplateError(ValueError):
    """A template that cannot be parsed: an unclosed brace, a bad format spec or an unknown filter."""


@dataclass(frozen=True, slots=True)
class Field:
    path: str
    spec: str
    filters: tuple[tuple[str, str], ...]


def parse(text: str) -> tuple[str | Field, ...]:
    """The literal pieces and fields of a template; `{{` and `}}` stand for braces."""
    parts: list[str | Field] = []
    literal, index = "", 0
    while index < len(text):
        brace = _BRACE.search(text, index)  # the literal up to the next brace in one piece
        if brace is None:
            literal += text[index:]
            break
        literal, index = literal + text[index:brace.start()], brace.start()
        char = text[index]
        if text[index:index + 2] in ("{{", "}}"):
            literal, index = literal + char, index + 2
            continue
        if char == "}":
            raise TemplateError(f"unmatched '}}' at character {index + 1} (write '}}}}' for a brace)")
        end = text.find("}", index)
        if end < 0:
            raise TemplateError(f"unclosed '{{' at character {index + 1} (write '{{{{' for a brace)")
        if literal:
            parts.append(literal)
            literal = ""
        parts.append(_field(text[index + 1:end].strip()))
        index = end + 1
    if literal:
        parts.append(literal)
    return tuple(parts)


def _field(body: str) -> Field:
    match = _FIELD.match(body)
    if not match:
        raise TemplateError(f"{{{body}}} is not a field ({{path}}, {{path:spec}} or {{path|filter:argument}})")
    path, spec = match.group("path").strip(), match.group("spec") or ""
    split(path)  # raises ValueError on a malformed path
    if not _SPEC.match(spec):
        raise TemplateError(f"{{{body}}}: {spec!r} is not a format spec (like ',.0f' or '.1f')")
    filters = []
    for item in filter(None, match.group("filters").split("|")):
        name, _, argument = item.partition(":")
        if name not in FILTERS:
            raise TemplateError(f"{{{body}}}: unknown filter {name!r} (known: {', '.join(FILTERS)})")
        if name == "plural" and not argument:
            raise TemplateError(f"{{{body}}}: plural needs a word (|plural:time)")
        filters.append((name, argument))
    return Field(path, spec, tuple(filters))


def paths(parts: tuple[str | Field, ...]) -> list[str]:
    return [part.path for part in parts if isinstance(part, Field)]


def render(parts: tuple[str | Field, ...], scope: Any) -> str:
    """The template with every field's value; a value the model does not give renders as `?`."""
    return renderer(parts, scope.kind)(scope)


def renderer(parts: tuple[str | Field, ...], kind: str | None,
             direct: Callable[[str], Callable[[Any], Any] | None] | None = None) -> Callable[[Any], str]:
    """`parts` as a function of a scope of subjects of `kind`: the fields' paths compiled once, the literal pieces
    joined by one `str.format` of a pattern built here (the values are already text, so nothing reaches them).
    `direct(path)` is the one call that reads a path no computed name can shadow (`Env.direct`), if any."""
    fields = [_field_text(part, kind, direct) for part in parts if isinstance(part, Field)]
    if not fields:
        constant = "".join(parts)  # type: ignore[arg-type]
        return lambda scope: constant
    if len(parts) == 1:
        return fields[0]
    fill = "".join(part.replace("{", "{{").replace("}", "}}") if isinstance(part, str) else "{}"
                   for part in parts).format
    if len(fields) == 1:
        (only,) = fields
        return lambda scope: fill(only(scope))
    if len(fields) == 2:
        first, second = fields
        return lambda scope: fill(first(scope), second(scope))
    return lambda scope: fill(*[field(scope) for field in fields])


def _field_text(field: Field, kind: str | None, direct: Callable[[str], Callable[[Any], Any] | None] | None) -> \
        Callable[[Any], str]:
    get = getter(field.path, kind)
    if not field.filters and not field.spec:  # `{name}`: most fields, most of them text already
        read = direct(field.path) if direct is not None else None
        if read is not None:  # as the model holds it: a string is what `get` gives too
            return lambda scope: value if type(value := read(scope)) is str else text(plain(value))
        return lambda scope: value if type(value := get(scope)) is str else text(value)
    return lambda scope: _value(field, get(scope))


def _value(field: Field, value: Any) -> str:
    for name, argument in field.filters:
        if name == "default":
            value = value if value not in (ABSENT, "", 0, False) and value is not None else argument
        elif name == "plural":
            return _plural(value, argument, field.spec)
        elif value is not ABSENT and _is_number(value):
            value = _UNITS[name](float(value))
    if field.spec and value is not ABSENT:
        try:
            return format(value, field.spec)
        except (TypeError, ValueError):
            return "?"
    return text(value)


def _plural(value: Any, word: str, spec: str) -> str:
    if not _is_number(value):
        return f"? {word}s"
    count = format(value, spec) if spec else text(value)
    return f"{count} {word}{'' if value == 1 else 's'}"


def text(value: Any) -> str:
    """How a value reads in a message: lists joined by commas, components by id, booleans in lower case."""
    if type(value) is str:  # most values: as they are
        return value
    if value is ABSENT or value is None:
        return "?"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return listing(text(item) for item in value)
    if isinstance(value, Component):
        return value.id
    if isinstance(value, Container):
        return value.name
    if hasattr(value, "value") and isinstance(getattr(value, "value"), str):  # an enum
        return value.value
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_UNITS: dict[str, Callable[[float], str]] = {"memory": format_memory, "bytes": format_bytes, "cpu": format_cpu}
