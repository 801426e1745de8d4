"""Reads normalised facts (availability, backups, capacity, spot, ...) out of a CloudResource's attributes.

Every reader returns only what the resource says, or the provider's documented default when the attribute is
absent (RDS `multi_az` is false unless set). An unresolvable value is recorded as unknown, never replaced.
"""

from __future__ import annotations

from typing import Any

from archlint.loaders.cloud.resource import UNKNOWN, CloudResource


class Facts:
    """Collects facts for one resource: `values` for the model, `unknown` for what could not be resolved."""

    def __init__(self, resource: CloudResource) -> None:
        self.resource = resource
        self.values: dict[str, Any] = {}
        self.unknown: list[str] = []
        self.points: dict[str, str] = {}

    def read(self, path: str, default: Any = None) -> Any:
        """The attribute at `path`, `default` when absent, None (and noted) when unknown."""
        value = self.resource.get(path, default)
        if value is UNKNOWN:
            self.unknown.append(path)
            return None
        return value

    def set(self, fact: str, path: str | None, value: Any) -> None:
        """Record a fact (skipped when None) and the attribute a finding about it should point at."""
        if value is None:
            return
        self.values[fact] = value
        if path:
            self.points[fact] = path

    def boolean(self, fact: str, path: str, default: bool | None = None) -> bool | None:
        value = _as_bool(self.read(path, default))
        self.set(fact, path, value)
        return value

    def integer(self, fact: str, path: str, default: int | None = None) -> int | None:
        value = _as_int(self.read(path, default))
        self.set(fact, path, value)
        return value

    def text(self, fact: str, path: str, default: str | None = None) -> str | None:
        value = self.read(path, default)
        value = str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
        self.set(fact, path, value)
        return value


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def as_int(value: Any) -> int | None:
    """An integer attribute value, or None (strings of digits count: HCL and CloudFormation often quote them)."""
    return _as_int(value)
