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
    """A mapping with the origin of itself and of each of its keys.

    A key's origin is, unless set otherwise (`key_spans`: a patch's value, a kustomization's label), its line in
    the mapping's own file with the mapping's chain (`via`): no Span is made until one is asked for, and a value
    passing through a kustomization adds that place to one chain per mapping, not to every key."""

    __slots__ = ("file", "via", "note", "key_spans")

    @property
    def span(self) -> Span:
        """Where the mapping starts."""
        return Span(self.file, self.line, self.via, self.note)

    @span.setter
    def span(self, value: Span) -> None:
        self.file, self.line, self.via, self.note = value.file, value.line, value.via, value.note

    def origin(self, key: Any) -> Span:
        """Where `key` was set; where the mapping starts when the key has no line of its own."""
        explicit = self.key_spans.get(key)
        if explicit is not None:
            return explicit
        line = self.key_lines.get(key)
        return Span(self.file, line, self.via) if line is not None else self.span

    def existing(self, key: Any) -> Span | None:
        """The origin of `key` when the mapping has it (the value a new one replaces), else None."""
        return self.origin(key) if key in self else None

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
    data.file, data.line, data.via, data.note = span.file, span.line, span.via, span.note
    data.key_spans, data.key_lines = {}, {}
    return data


def adopt(value: Any, file: str, offset: int = 0, default: int = 1) -> Any:
    """A deep copy of a parsed value with every mapping made `Sourced` in `file` (lines shifted by `offset`, for a
    YAML document embedded in a string at that line). Parsed values are shared by the parse cache: never mutated."""
    if isinstance(value, dict):
        line = getattr(value, "line", None)
        start = line + offset if line else default
        data = Sourced()
        data.file, data.line, data.via, data.note, data.key_spans = file, start, (), "", {}
        data.key_lines = key_lines = {}
        compact = getattr(value, "_lines", None)
        if type(compact) is int or type(compact) is tuple and len(compact) == len(value):
            # the reader's compact key lines (yamlsource.LineDict), in the order of the keys
            lines: Any = range(compact, compact + len(value)) if type(compact) is int else compact
            pairs: Any = zip(value.items(), lines)
        else:
            known = getattr(value, "key_lines", None) or {}
            pairs = ((pair, known.get(pair[0])) for pair in value.items())
        for (key, item), at in pairs:
            at = at + offset if at else start
            data[key] = adopt(item, file, offset, at) if isinstance(item, (dict, list)) else item
            key_lines[key] = at
        return data
    if isinstance(value, list):
        return [adopt(item, file, offset, default) if isinstance(item, (dict, list)) else item for item in value]
    return value


def copy(value: Any) -> Any:
    """A deep copy that keeps every origin (a base shared by several overlays is rendered once per overlay)."""
    if isinstance(value, Sourced):
        data = Sourced()
        data.file, data.line, data.via, data.note = value.file, value.line, value.via, value.note
        for key, item in value.items():
            data[key] = copy(item) if isinstance(item, (dict, list)) else item
        data.key_spans, data.key_lines = dict(value.key_spans), dict(value.key_lines)
        return data
    if isinstance(value, list):
        return [copy(item) if isinstance(item, (dict, list)) else item for item in value]
    return value


def through(value: Any, place: Span) -> None:
    """Add `place` (the kustomization entry a value passed through) to the end of every origin in `value`."""
    chain = (Span(place.file, place.line, note=place.note), *place.via)
    _through(value, place, chain)


def _through(value: Any, place: Span, chain: tuple[Span, ...]) -> None:
    if isinstance(value, Sourced):
        value.via = value.via + chain
        spans = value.key_spans
        for key in spans:
            spans[key] = spans[key].through(place)
        for item in value.values():
            if isinstance(item, (dict, list)):
                _through(item, place, chain)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _through(item, place, chain)


def plain(value: Any) -> Any:
    """The value without origins (plain dicts and lists): for comparisons and hashing."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
