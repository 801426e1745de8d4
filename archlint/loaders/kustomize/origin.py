"""Values that remember the file and line they came from, across the files a kustomization combines.

The YAML reader's LineDict knows lines within one file. A rendered object mixes files (a base, an overlay's patch,
a generator in the kustomization), so each mapping here is a `Sourced` LineDict: `span` is where the mapping
starts, `key_spans` where each key was set, both `Span`s whose `via` chain lists the other places the value passed
through (the base value a patch replaced, the kustomization that applied the patch or included the base).
`line` and `key_lines` stay filled, so code written for LineDict keeps working."""

from __future__ import annotations

from typing import Any

from archlint.loaders.yamlsource import LineDict
from archlint.model import Span


class Sourced(LineDict):
    """A mapping with the origin of itself and of each of its keys."""

    __slots__ = ("span", "key_spans")

    def origin(self, key: Any) -> Span:
        """Where `key` was set; where the mapping starts when the key has no origin of its own."""
        return self.key_spans.get(key) or self.span

    def put(self, key: Any, value: Any, span: Span) -> None:
        """Set `key` to `value`, set at `span`."""
        self[key] = value
        self.key_spans[key] = span
        self.key_lines[key] = span.line

    def drop(self, key: Any) -> None:
        self.pop(key, None)
        self.key_spans.pop(key, None)
        self.key_lines.pop(key, None)


def sourced(span: Span) -> Sourced:
    """An empty mapping that starts at `span`."""
    data = Sourced()
    data.span, data.line, data.key_spans, data.key_lines = span, span.line, {}, {}
    return data


def adopt(value: Any, file: str, offset: int = 0, default: int = 1) -> Any:
    """A deep copy of a parsed value with every mapping made `Sourced` in `file` (lines shifted by `offset`, for a
    YAML document embedded in a string at that line). Parsed values are shared by the parse cache: never mutated."""
    if isinstance(value, dict):
        line = getattr(value, "line", None)
        start = line + offset if line else default
        data = sourced(Span(file, start))
        key_lines = getattr(value, "key_lines", None) or {}
        for key, item in value.items():
            at = key_lines.get(key)
            at = at + offset if at else start
            data[key] = adopt(item, file, offset, at)
            data.key_spans[key] = Span(file, at)
            data.key_lines[key] = at
        return data
    if isinstance(value, list):
        return [adopt(item, file, offset, default) for item in value]
    return value


def copy(value: Any) -> Any:
    """A deep copy that keeps every origin (a base shared by several overlays is rendered once per overlay)."""
    if isinstance(value, Sourced):
        data = sourced(value.span)
        for key, item in value.items():
            data[key] = copy(item)
        data.key_spans.update(value.key_spans)
        data.key_lines.update(value.key_lines)
        return data
    if isinstance(value, list):
        return [copy(item) for item in value]
    return value


def through(value: Any, place: Span) -> None:
    """Add `place` (the kustomization entry a value passed through) to the end of every origin in `value`."""
    if isinstance(value, Sourced):
        value.span = value.span.through(place)
        spans = value.key_spans
        for key in spans:
            spans[key] = spans[key].through(place)
        for item in value.values():
            if isinstance(item, (dict, list)):
                through(item, place)
    elif isinstance(value, list):
        for item in value:
            through(item, place)


def plain(value: Any) -> Any:
    """The value without origins (plain dicts and lists): for comparisons and hashing."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
