"""A resource constructor call with its arguments evaluated, and the Terraform-vocabulary resource made from it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archlint.loaders.cloud import UNKNOWN

_ABSENT = object()


@dataclass
class Call:
    """`values` holds the keyword arguments (nested blocks as dicts); `lines` the line of each, by dotted path."""

    qualname: str
    args: list[Any]
    values: dict[str, Any]
    lines: dict[str, int]
    line: int
    #: A `**spread` that cannot be resolved: any argument not given explicitly may be in it.
    open: bool = False

    def get(self, path: str, default: Any = None) -> Any:
        """The argument at a dotted path; `default` when it is not given, UNKNOWN when it cannot be known."""
        value: Any = self.values
        for part in path.split("."):
            if value is UNKNOWN:
                return UNKNOWN
            if not isinstance(value, dict) or part not in value or value[part] is None:
                return UNKNOWN if self.open and value is self.values and part not in value else default
            value = value[part]
        return value


class OpenProps(dict):
    """Attributes of a call with an unresolved `**spread`: an attribute not given explicitly is UNKNOWN, not
    absent, so that no default is assumed for it."""

    def __contains__(self, key: object) -> bool:
        return not (isinstance(key, str) and key.startswith("__")) or dict.__contains__(self, key)

    def __missing__(self, key: str) -> Any:
        return UNKNOWN


@dataclass
class Out:
    """One resource a call declares. `suffix` names a resource the construct adds (an L3's load balancer);
    `refers_to_main` makes it refer to the main one (cluster instances to their cluster); `at` is the argument
    whose line it takes; `count` multiplies the loops' count when set."""

    call: Call
    type: str
    props: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    suffix: str = ""
    refers_to_main: bool = False
    count: Any = None
    at: str = ""

    def put(self, path: str, value: Any, code: str | None = None) -> "Out":
        """Set a Terraform attribute (dotted for nested ones) from the argument `code` (default: the same name)."""
        if value is None:
            return self
        target = self.props
        *parents, last = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                return self
        target[last] = value
        line = self.call.lines.get(code or path)
        if line is not None:
            self.lines[path] = line
        return self

    def copy(self, *paths: str) -> "Out":
        for path in paths:
            self.put(path, self.call.get(path), path)
        return self


def renamed(call: Call, renames: dict[str, str], skip: tuple[str, ...] = ()) -> Out:
    """The call's arguments as attributes, with the given dotted paths renamed (`vpc_zone_identifiers`)."""
    values = {k: copy.deepcopy(v) for k, v in call.values.items() if k not in skip}
    lines = {k: v for k, v in call.lines.items() if k.split(".", 1)[0] not in skip}
    for source, target in renames.items():
        value = _pop(values, source)
        if value is not _ABSENT:
            _set(values, target, value)
        for path in [p for p in lines if p == source or p.startswith(source + ".")]:
            lines[target + path[len(source):]] = lines.pop(path)
    return Out(call, "", values, lines)


def _pop(values: dict, path: str) -> Any:
    *parents, last = path.split(".")
    for part in parents:
        values = values.get(part) if isinstance(values, dict) else None
    return values.pop(last, _ABSENT) if isinstance(values, dict) else _ABSENT


def _set(values: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        values = values.setdefault(part, {})
        if not isinstance(values, dict):
            return
    values[last] = value


#: A construct: the Terraform type(s) it becomes, from its evaluated call.
Translate = Callable[[Call], list[Out]]
