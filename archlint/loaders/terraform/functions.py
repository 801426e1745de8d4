"""The pure Terraform functions archlint evaluates when every argument is known; any other call is unknown."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from archlint.loaders import budget
from archlint.loaders.cloud import UNKNOWN


class Unsupported(Exception):
    """Arguments the function does not accept (Terraform would fail): the call stays unknown."""


def known(value: Any, _seen: set[int] | None = None) -> bool:
    """True when the value holds no UNKNOWN at any depth (a part shared in several places is looked at once)."""
    if value is UNKNOWN:
        return False
    if not isinstance(value, (list, dict)):
        return True
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return True
    seen.add(id(value))
    return all(known(v, seen) for v in (value.values() if isinstance(value, dict) else value))


def number(value: Any) -> int | float:
    """A number, converting numeric strings as Terraform does; raises Unsupported otherwise."""
    if isinstance(value, bool):
        raise Unsupported
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            raise Unsupported from None
        return int(parsed) if parsed.is_integer() and "." not in value and "e" not in value.lower() else parsed
    raise Unsupported


def string(value: Any) -> str:
    """A primitive as Terraform's tostring renders it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    raise Unsupported


def _length(value: Any) -> int:
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str):
        return len(value)
    raise Unsupported


def _toset(value: Any) -> list:
    if not isinstance(value, list) or not known(value):
        raise Unsupported
    unique = _distinct(value)
    return sorted(unique) if all(isinstance(v, str) for v in unique) else unique


def _distinct(items: list) -> list:
    """The items without repeats, first occurrence first, in linear time (values compared as Terraform does)."""
    budget.current().items(items)
    seen: set = set()
    unique = []
    for item in items:
        key = _frozen(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return ("l", tuple(_frozen(v) for v in value))
    if isinstance(value, dict):
        return ("m", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    return (type(value) is bool, value)  # true is not 1


def _merge(*maps: Any) -> dict:
    merged: dict = {}
    for item in maps:
        if item is None:
            continue
        if not isinstance(item, dict):
            raise Unsupported
        budget.current().length(len(merged) + len(item))
        merged.update(item)
    return merged


def _concat(*lists: Any) -> list:
    if not all(isinstance(item, list) for item in lists):
        raise Unsupported
    budget.current().length(sum(map(len, lists)))
    return [v for item in lists for v in item]


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict) or len(default) > 1:
        raise Unsupported
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise Unsupported


def _element(items: Any, index: Any) -> Any:
    if not isinstance(items, list) or not items:
        raise Unsupported
    return items[int(number(index)) % len(items)]


def _coalesce(*values: Any) -> Any:
    for value in values:
        if value is not None and value != "":
            return value
    raise Unsupported


_VERB = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])")


def _format(spec: Any, *args: Any) -> str:
    if not isinstance(spec, str):
        raise Unsupported
    values = iter(args)

    def verb(match: re.Match) -> str:
        flags, width, precision, kind = match.groups()
        if kind == "%":
            return "%"
        value = next(values, UNKNOWN)
        if value is UNKNOWN or kind not in "sdvqftxXeg":
            raise Unsupported
        if kind in "svq":
            rendered: Any = string(value)
            rendered = '"' + rendered.replace("\\", "\\\\").replace('"', '\\"') + '"' if kind == "q" else rendered
            kind = "s"
        elif kind == "t":
            rendered, kind = (string(value) if isinstance(value, bool) else _fail()), "s"
        else:
            rendered = number(value)
        budget.current().text(max(int(width or 0), int(precision or 0)))  # `%2000000000d` is 2 GB of spaces
        return f"%{flags}{width}{'.' + precision if precision else ''}{kind}" % rendered

    return _VERB.sub(verb, spec)


def _fail() -> str:
    raise Unsupported


def _tonumber(value: Any) -> Any:
    return None if value is None else number(value)


def _minmax(pick: Callable) -> Callable:
    def apply(*values: Any) -> Any:
        if not values:
            raise Unsupported
        return pick(number(v) for v in values)
    return apply


def _join(separator: Any, *lists: Any) -> str:
    if not isinstance(separator, str) or not all(isinstance(item, list) for item in lists):
        raise Unsupported
    parts = [string(v) for item in lists for v in item]
    budget.current().text(sum(map(len, parts)) + len(separator) * len(parts))
    return separator.join(parts)


def _one(items: Any) -> Any:
    """one(): null for an empty list or set, its element for one, an error for more."""
    if not isinstance(items, list) or len(items) > 1:
        raise Unsupported
    return items[0] if items else None


#: name -> (function, whether it tolerates UNKNOWN inside its arguments).
FUNCTIONS: dict[str, tuple[Callable[..., Any], bool]] = {
    "length": (_length, True),
    "lower": (lambda s: s.lower() if isinstance(s, str) else _fail(), False),
    "upper": (lambda s: s.upper() if isinstance(s, str) else _fail(), False),
    "trimspace": (lambda s: s.strip() if isinstance(s, str) else _fail(), False),
    "format": (_format, False),
    "join": (_join, False),
    "concat": (_concat, True),
    "merge": (_merge, True),
    "tonumber": (_tonumber, False),
    "tostring": (lambda v: None if v is None else string(v), False),
    "tobool": (lambda v: v if isinstance(v, bool) or v is None else {"true": True, "false": False}[v], False),
    "tolist": (lambda v: list(v) if isinstance(v, list) else _fail(), True),
    "tomap": (lambda v: dict(v) if isinstance(v, dict) else _fail(), True),
    "toset": (_toset, False),
    "min": (_minmax(min), False),
    "max": (_minmax(max), False),
    "abs": (lambda v: abs(number(v)), False),
    "ceil": (lambda v: math.ceil(number(v)), False),
    "floor": (lambda v: math.floor(number(v)), False),
    "lookup": (_lookup, True),
    "element": (_element, True),
    "coalesce": (_coalesce, True),
    "keys": (lambda m: sorted(m) if isinstance(m, dict) else _fail(), True),
    "values": (lambda m: [m[k] for k in sorted(m)] if isinstance(m, dict) else _fail(), True),
    "contains": (lambda items, v: v in items if isinstance(items, list) else _fail(), False),
    "flatten": (lambda items: _flatten(items), True),
    "distinct": (lambda items: _distinct(items) if isinstance(items, list) else _fail(), False),
    "compact": (lambda items: [v for v in items if v not in (None, "")] if isinstance(items, list) else _fail(), False),
    "one": (_one, True),
}


def _flatten(items: Any) -> list:
    if not isinstance(items, list) or UNKNOWN in items:  # an unknown item may be a list: the result is unknown
        raise Unsupported
    budget.current().items(items)  # a list of shared lists flattens to every copy of them
    return [v for item in items for v in (_flatten(item) if isinstance(item, list) else [item])]


def call(name: str, args: list[Any]) -> Any:
    """The function's result, or UNKNOWN for an unknown function, unknown arguments or arguments it rejects."""
    entry = FUNCTIONS.get(name)
    if entry is None:
        return UNKNOWN
    function, tolerant = entry
    if any(a is UNKNOWN for a in args) or (not tolerant and not all(known(a) for a in args)):
        return UNKNOWN
    try:
        result = function(*args)
    except (Unsupported, TypeError, ValueError, KeyError, IndexError, OverflowError, ZeroDivisionError,
            RecursionError):
        return UNKNOWN
    if isinstance(result, (list, dict)):
        return budget.current().items(result)
    if isinstance(result, str):
        budget.current().text(len(result))
    return budget.current().number(result) if type(result) is int else result
