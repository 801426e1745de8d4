"""Reads YAML (and JSON) with PyYAML's C parser when present, keeping the line of every mapping and key: the values
it makes (LineDict, Tagged, Document, ParseError) and the entry points. The reader itself is
archlint.loaders.yamlreader, imported (with PyYAML) when a file is first parsed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from archlint.configfile import MAX_DEPTH, too_deep

class LineDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based).

    The reader stores the key lines compactly (a parsed mapping is never changed: the parse cache shares it): the
    line of the first key when each next key is on the next line (most mappings: usually the mapping's own line,
    the same int), else a tuple in the order of the keys; `key_lines` gives them as a dictionary, made when first
    asked for. A mapping built by other code sets `key_lines` to a dictionary."""

    __slots__ = ("line", "_lines")

    @property
    def key_lines(self) -> dict:
        lines = self._lines
        if type(lines) is int:
            lines = self._lines = dict(zip(self, range(lines, lines + len(self))))
        elif type(lines) is tuple:
            lines = self._lines = dict(zip(self, lines))
        return lines

    @key_lines.setter
    def key_lines(self, value: dict | tuple | int) -> None:
        self._lines = value

    def line_of(self, key: str) -> int:
        lines = self._lines
        if type(lines) is dict:
            return lines.get(key, self.line)
        if key not in self:
            return self.line
        index = list(self).index(key)
        return lines + index if type(lines) is int else lines[index]


@dataclass(frozen=True, slots=True)
class Tagged:
    """A value under an application tag (`!Ref x`, `!reference [...]`): the tag and the plain value."""

    tag: str
    value: Any


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document of a file: its data, the file (relative path) and its first and last line."""

    data: Any
    file: str
    line: int
    end_line: int


class ParseError(Exception):
    """A file that is not well-formed; carries the 1-based line (and column) where the parser stopped."""

    def __init__(self, message: str, line: int, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


#: Markers of a template (Helm, Jinja, Go templates) rather than a YAML document.
_TEMPLATE = re.compile(rb"\{\{[-\s]*[.$a-zA-Z]|\{%")


def is_template(data: bytes) -> bool:
    """True for Helm, Jinja or Go templates: rendered YAML is archlint's input, not the template."""
    return _TEMPLATE.search(data) is not None


def nesting_error(data: bytes) -> ParseError | None:
    """A ParseError when brackets nest deeper than MAX_DEPTH (archlint/configfile.py: one bound for every reader)."""
    line = too_deep(data)
    return None if line is None else ParseError(f"nested deeper than {MAX_DEPTH:,} levels: not read", line)


def parse_yaml(data: bytes, file: str) -> list[Document]:
    """All documents of a YAML stream, with their lines; raises ParseError on malformed input
    (archlint.loaders.yamlreader, which imports PyYAML)."""
    from archlint.loaders.yamlreader import parse_yaml as read

    return read(data, file)


def parse_json(data: bytes, file: str) -> list[Document]:
    """A JSON file as one document. Parsed by the YAML reader for line numbers, by `json` when YAML refuses it."""
    try:
        return parse_yaml(data, file)
    except ParseError:
        pass
    try:
        value = json.loads(data, parse_int=_json_int)
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8 text: {error.reason} at byte {error.start}", _byte_line(data, error.start)) from None
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise ParseError("JSON nested too deeply to read", 1) from None
    return [Document(value, file, 1, data.count(b"\n") + 1)]


def _json_int(text: str) -> int | str:
    """An integer, or the digits as written when there are more than Python converts (4,300), as YAML does."""
    return int(text) if len(text) <= 4000 else text


def _byte_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, max(offset, 0)) + 1
