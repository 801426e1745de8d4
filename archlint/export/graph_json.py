"""The model as node-link JSON, documented by schemas/graph.schema.json."""

from __future__ import annotations

import dataclasses
import enum
import json
from typing import Any

from archlint.model import Span, SystemModel


def render(model: SystemModel) -> str:
    nodes = sorted((_fields(c) for c in model.components()), key=lambda n: n["id"])
    links = sorted((_fields(d) for d in model.dependencies()), key=_link_order)
    document = {"directed": True, "multigraph": True, "nodes": nodes, "links": links, "summary": model.summary()}
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _link_order(link: dict[str, Any]) -> tuple:
    # The last item breaks ties between edges that differ only in facts (origin, mode, ...), whatever the build order.
    return (link["source"], link["target"], link["kind"], link["span"]["file"], link["span"]["line"],
            json.dumps(link, sort_keys=True))


def _fields(value: Any) -> dict[str, Any]:
    """A dataclass as a JSON object; None fields are left out, so that unknown stays visibly absent."""
    out = {}
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if item is not None:
            out[field.name] = _json(item)
    return out


def _json(value: Any) -> Any:
    if isinstance(value, Span):
        return {"file": value.file, "line": value.line}
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_json(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # attrs may hold anything; a readable string beats a crash in an export
