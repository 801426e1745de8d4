"""CloudResource: what every infrastructure-as-code loader hands to the shared mapping, in Terraform's vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    prop_spans: dict[str, Span] = field(default_factory=dict)
    count: Any = None
    references: list[tuple[str, Span]] = field(default_factory=list)
    region: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def at(self, prop: str) -> Span:
        """The span of an attribute (dotted for nested ones), else of its nearest enclosing attribute or block that
        has one, else of the resource."""
        spans = self.prop_spans
        if prop in spans:
            return spans[prop]
        while "." in prop:
            prop = prop.rsplit(".", 1)[0]
            if prop in spans:
                return spans[prop]
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
