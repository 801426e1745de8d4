"""`json.dumps(value, indent=2)`, byte for byte, about three times faster.

With an indent the standard library gives up its C encoder for a generic Python one (a generator per value,
circular-reference bookkeeping, one isinstance chain per value). A report is a tree of plain dicts, lists,
strings and numbers: this writer walks it once, dispatching on the exact type, and leaves every string to the
C escaper. Anything else (a subclass, a value json cannot encode) takes the standard library's own rules, so the
text is the same in every case, errors included."""

from __future__ import annotations

import io
import json
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any, Callable, Iterator, Sequence

_INFINITY = float("inf")


def dumps(value: Any, *, sort_keys: bool = False, ensure_ascii: bool = True, end: str = "") -> str:
    """The text of `json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=ensure_ascii) + end`.

    The pieces go into one growing buffer (a StringIO, which holds ASCII text at a byte per character), not into a
    list of small strings joined at the end: a report of 50,000 manifests is 48 MB of text, and the list of its
    pieces cost more than the text itself (`end`, the final newline, goes in the same buffer: no second copy)."""
    buffer = io.StringIO()
    try:
        _writer(buffer.write, encode_basestring_ascii if ensure_ascii else encode_basestring, sort_keys)(value, "\n", 0)
    except _Unusual:
        del buffer
        return json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=ensure_ascii, default=_listed) + end
    buffer.write(end)
    return buffer.getvalue()


class Lazy:
    """A JSON array whose items are made one at a time as they are written (`make(item)` for each of `items`): a
    report's findings, so that their mappings are never all in memory at once (48 MB at 50,000 manifests)."""

    __slots__ = ("items", "make")

    def __init__(self, items: Sequence[Any], make: Callable[[Any], Any]) -> None:
        self.items, self.make = items, make

    def __iter__(self) -> Iterator[Any]:
        return map(self.make, self.items)

    def __len__(self) -> int:
        return len(self.items)


def _listed(value: Any) -> list:
    """The standard library's `default`: a `Lazy` array is its items; anything else is refused as it refuses it."""
    if isinstance(value, Lazy):
        return list(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


class _Unusual(Exception):
    """A value outside plain JSON types (or a cycle): the standard library writes it, or says why it cannot."""


#: Deeper than any report: the standard library finds the cycle (or the depth), with its own error.
_MAX_DEPTH = 200


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _writer(emit: Callable[[str], None], string: Callable[[str], str], sort_keys: bool):
    """`write(value, newline, depth)`: `newline` is the line break and indentation of the value's own level.
    Strings, the bulk of a report, are written with the text before them in one piece."""

    def scalar(value: Any) -> str | None:
        kind = type(value)
        if kind is str:
            return string(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if kind is int:
            return int.__repr__(value)
        if kind is float:
            return _float(value)
        if kind is dict or kind is list or kind is tuple or kind is Lazy:
            return None
        # subclasses, as the standard library takes them: in its order of isinstance tests
        if isinstance(value, str):
            return string(value)
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, (list, tuple, dict)):
            return None
        raise _Unusual

    def write(value: Any, newline: str, depth: int) -> None:
        text = scalar(value)
        if text is not None:
            emit(text)
        elif isinstance(value, dict):
            mapping(value, newline, depth)
        else:
            sequence(value, newline, depth)

    def mapping(value: dict, newline: str, depth: int) -> None:
        if not value:
            emit("{}")
            return
        if depth >= _MAX_DEPTH:
            raise _Unusual
        inner = newline + "  "
        opening = "{" + inner
        between = "," + inner
        first = True
        for key, item in (sorted(value.items()) if sort_keys else value.items()):
            head = (opening if first else between) + string(key if type(key) is str else _key(key)) + ": "
            first = False
            if type(item) is str:
                emit(head + string(item))
                continue
            text = scalar(item)
            if text is not None:
                emit(head + text)
                continue
            emit(head)
            if isinstance(item, dict):
                mapping(item, inner, depth + 1)
            else:
                sequence(item, inner, depth + 1)
        emit(newline + "}")

    def sequence(value: list | tuple, newline: str, depth: int) -> None:
        if not value:
            emit("[]")
            return
        if depth >= _MAX_DEPTH:
            raise _Unusual
        inner = newline + "  "
        if type(value) is Lazy and SHARED_FROM <= len(value) <= SHARED_UP_TO:
            for text in _shared_items(value, inner, depth, string, sort_keys):
                emit(text)
            emit(newline + "]")
            return
        head = "[" + inner
        between = "," + inner
        for item in value:
            text = scalar(item)
            if text is not None:
                emit(head + text)
            else:
                emit(head)
                if isinstance(item, dict):
                    mapping(item, inner, depth + 1)
                else:
                    sequence(item, inner, depth + 1)
            head = between
        emit(newline + "]")

    return write


#: A Lazy array of this many items (a report's findings) is written on two cores (archlint.forked), in chunks of
#: CHUNK items: the child writes the later chunks' text. Past SHARED_UP_TO, one process, for the memory.
SHARED_FROM, SHARED_UP_TO, CHUNK = 500, 20_000, 100


def _shared_items(value: Lazy, inner: str, depth: int, string: Callable[[str], str], sort_keys: bool) -> list[str]:
    """The text of a Lazy array's items, each after its `[` or `,` and line break, in chunks written by this process
    and a forked child: the same text as writing them one after the other (a chunk with an unusual value raises
    here, as it would have)."""
    from archlint.forked import shared

    items = value.items

    def chunk(index: int) -> str:
        buffer = io.StringIO()
        write = _writer(buffer.write, string, sort_keys)
        for position in range(index * CHUNK, min(len(items), (index + 1) * CHUNK)):
            buffer.write(("[" if position == 0 else ",") + inner)
            write(value.make(items[position]), inner, depth + 1)
        return buffer.getvalue()

    return shared(-(-len(items) // CHUNK), chunk, _same, _same)


def _same(text: str) -> str:
    return text


def _key(key: Any) -> str:
    """A key that is not a string, as the standard library converts it (in its order of tests)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise _Unusual
