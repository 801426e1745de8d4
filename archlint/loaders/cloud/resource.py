"""CloudResource: what every infrastructure-as-code loader hands to the shared mapping, in Terraform's vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from archlint.model import Span


class _Unknown:
    """A value the files give as an expression archlint cannot resolve statically (a variable with no default,
    a data source, a function of either). It is never guessed: facts built from it stay unknown."""

    __slots__ = ()
    _instance: "_Unknown | None" = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


class Deferred(Protocol):
    """A span a loader works out only when it is asked for (most attributes are never reported): `resolve(path)`
    is the attribute's span, or with a path of keys, the span of that part of its value."""

    def resolve(self, path: tuple[str, ...]) -> Span: ...


@dataclass
class CloudResource:
    """One declared cloud resource.

    `type` is the Terraform resource type (aws_db_instance, google_sql_database_instance, ...): the one vocabulary
    the mapping understands, so CloudFormation, Pulumi and CDK loaders translate their types and property names
    into it. `props` holds attribute values (nested blocks as dicts, repeated blocks as lists of dicts), UNKNOWN
    where an expression could not be resolved. `count` is the number of instances (`count`/`for_each` or the
    equivalent), None when the resource is single, UNKNOWN when it cannot be known.
    """

    type: str
    name: str
    address: str
    source: str
    span: Span
    props: dict[str, Any] = field(default_factory=dict)
    prop_spans: dict[str, "Span | Deferred"] = field(default_factory=dict)
    count: Any = None
    references: list[tuple[str, Span]] = field(default_factory=list)
    region: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def at(self, prop: str) -> Span:
        """The span of an attribute (dotted for nested ones), else of its nearest enclosing attribute (the key's own
        origin inside an object value) or block that has one, else of the resource. A loader may give a Deferred
        instead of a Span: it is resolved here, once, when a rule or the mapping asks."""
        spans = self.prop_spans
        found = spans.get(prop)
        if found is not None:
            if not isinstance(found, Span):
                found = spans[prop] = found.resolve(())
            return found
        parts = prop.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            key = ".".join(parts[:cut])
            found = spans.get(key)
            if found is not None:
                if isinstance(found, Span):
                    return found
                span = spans[prop] = found.resolve(tuple(parts[cut:]))
                return span
        return self.span

    def get(self, path: str, default: Any = None) -> Any:
        """A nested attribute by dotted path (`settings.availability_type`); the first block of a repeated one."""
        value: Any = self.props
        for part in path.split("."):
            if isinstance(value, list):
                value = value[0] if value else None
            if value is UNKNOWN:
                return UNKNOWN
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value
