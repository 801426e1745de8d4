"""Reads YAML (and JSON) with PyYAML's C parser when present, keeping the line of every mapping and key."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from sys import intern
from typing import Any

import yaml

from archlint.configfile import MAX_DEPTH, too_deep

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


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


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
#: Plain scalars resolved to a tag so far (most scalars of a manifest repeat: keys, `true`, `TCP`).
_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}


#: Strings up to this length are interned as they are read.
_INTERNED = 40


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader whose mappings are LineDicts and whose unknown tags become Tagged values.

    `construct_document` builds the plain shapes (strings, lists, maps) in one tight recursive walk and hands
    anything else to PyYAML's constructors: the same values as the generic constructor, about twice as fast.
    A node reached twice through an alias is built once and shared, as PyYAML does."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode or len(value) > 64:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return _STR  # quoted (every JSON string): never resolved to another type
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            if len(_RESOLVED) > 50_000:
                _RESOLVED.clear()
            tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return tag

    def construct_document(self, node: Any) -> Any:
        built: dict[int, Any] = {}
        scalar, sequence_node, mapping_node = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

        def build(node: Any) -> Any:
            kind, tag = node.__class__, node.tag
            if kind is scalar:
                if tag == _STR:
                    value = node.value
                    # one string for every copy of a short value (keys, `TCP`, a label, an image): a tree of
                    # manifests repeats them thousands of times, and marshal keeps them shared in the parse cache
                    return intern(value) if len(value) <= _INTERNED else value
                simple = _SIMPLE.get(tag)
                try:
                    return simple(self, node) if simple is not None else self._other(node)
                except _SCALAR_ERRORS as error:
                    return self._unconstructed(node, error)
            done = built.get(id(node))
            if done is not None:
                shared.append(node)
                return done
            if kind is sequence_node and tag == _SEQ:
                items: list = []
                built[id(node)] = items
                items.extend(build(child) for child in node.value)
                return items
            if kind is mapping_node and tag == _MAP:
                data = LineDict()
                built[id(node)] = data
                data.line = node.start_mark.line + 1
                data._lines = ()
                pairs = node.value
                for key_node, _ in pairs:
                    if key_node.tag != _STR and key_node.tag in _MERGE_TAGS:
                        self.flatten_mapping(node)  # `<<: *base` merges: PyYAML rewrites the pairs in place
                        pairs = node.value
                        break
                lines = []
                for key_node, value_node in pairs:
                    key = build(key_node)
                    try:
                        hash(key)
                    except TypeError:
                        key = str(key)
                    data[key] = build(value_node)
                    lines.append(key_node.start_mark.line + 1)
                if len(lines) == len(data):
                    first = lines[0] if lines else data.line
                    if lines == list(range(first, first + len(lines))):  # one key a line: the first's line says all
                        data._lines = data.line if first == data.line else first
                    else:
                        data._lines = tuple(lines)
                else:  # a key written twice: its value and line are the last, at the place of the first
                    key_lines = {}
                    for (key_node, _), line in zip(pairs, lines):
                        key = build(key_node)
                        try:
                            hash(key)
                        except TypeError:
                            key = str(key)
                        key_lines[key] = line
                    data._lines = tuple(key_lines.values())
                return data
            try:
                value = built[id(node)] = self._other(node)
            except _SCALAR_ERRORS as error:
                raise _refused(node, error) from None
            return value

        shared: list[Any] = []  # nodes reached again through an alias
        try:
            value = build(node)
            if shared:
                _refuse_alias_bomb(value, len(built), shared[0])
            return value
        finally:
            self.constructed_objects.clear()
            # `build` refers to itself through its closure, and through `self` to the parser and its whole node
            # tree: a cycle only the collector could free, which is off while loading (cli/wiring.py).
            build = None  # noqa: F841

    def _other(self, node: Any) -> Any:
        """Every value that is not a plain string, list or map: PyYAML's own constructor for its tag."""
        return self.construct_object(node, deep=True)

    def _unconstructed(self, node: Any, error: Exception) -> Any:
        """A scalar its tag's constructor refuses. Written plain and taken for that type by the resolver alone
        (`2024-02-30`, `25:61:00`, an integer of 5,000 digits), it is the string it was written as: YAML 1.2 has no
        timestamps, and Kubernetes, Go and JSON tools read such values as strings too. Under an explicit tag that
        does not fit (`!!int abc`, `!!bool maybe`) the document is malformed, at the scalar's line."""
        if not node.style and self.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag:
            return node.value
        raise _refused(node, error)


#: A document whose aliases expand it past this many values, and ten times its own size, is refused as a YAML bomb
#: (737 bytes of CloudFormation expanding to 4 GB): loaders walk values, and a walk does not know about sharing.
#: Go's yaml.v3, which kubectl uses, refuses such "excessive aliasing" too. Real documents that use anchors
#: (`<<: *defaults` in compose and CI files) expand a few times over at most.
MAX_EXPANDED = 100_000


def _refuse_alias_bomb(value: Any, distinct: int, first: Any) -> None:
    try:
        expanded = _expanded(value, {})
    except _Cycle:  # yaml.v3 (kubectl) refuses it too: every walk of the value would go round forever
        raise yaml.constructor.ConstructorError(None, None, "an alias refers to a value that contains it: the "
                                                "document would be infinite, not read", first.start_mark) from None
    if expanded > MAX_EXPANDED and expanded > 10 * max(distinct, 1):
        raise yaml.constructor.ConstructorError(
            None, None, f"its aliases expand the document to more than {MAX_EXPANDED:,} values ({distinct:,} "
            "written): a YAML bomb, not read", first.start_mark)


class _Cycle(Exception):
    pass


def _expanded(value: Any, memo: dict[int, int]) -> int:
    """The values of `value` as if every alias were copied, counted once per distinct container (and stopping
    far past the limit); raises _Cycle when a value contains itself."""
    if not isinstance(value, (list, dict)):
        return 1
    known = memo.get(id(value))
    if known is not None:
        if known < 0:
            raise _Cycle
        return known
    memo[id(value)] = -1  # open: reaching it again from inside is a cycle
    total = 1
    for child in value.values() if isinstance(value, dict) else value:
        total += _expanded(child, memo) if isinstance(child, (list, dict)) else 1
        if total > MAX_EXPANDED * 16:
            break
    memo[id(value)] = total
    return total


#: What PyYAML's constructors raise on a value that does not fit its tag, besides its own ConstructorError.
_SCALAR_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


def _refused(node: Any, error: Exception) -> yaml.MarkedYAMLError:
    if isinstance(error, yaml.MarkedYAMLError):
        return error
    tag = node.tag.rsplit(":", 1)[-1] if node.tag.startswith("tag:yaml.org,2002:") else node.tag
    shown = node.value if isinstance(node.value, str) else ""
    shown = repr(shown if len(shown) <= 40 else shown[:40] + "...") + " " if shown else ""
    return yaml.constructor.ConstructorError(None, None, f"the {_KINDS.get(type(node), 'value')} {shown}is not a "
                                             f"valid !!{tag}", node.start_mark)


_KINDS = {yaml.ScalarNode: "value", yaml.SequenceNode: "sequence", yaml.MappingNode: "mapping"}


def _construct_map(loader: Any, node: Any):
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=False)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        data[key] = loader.construct_object(value_node, deep=False)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_tagged(loader: Any, tag_suffix: str, node: Any) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = _materialize(loader, node)
    return Tagged(node.tag, value)


def _materialize(loader: Any, node: Any) -> LineDict:
    generator = _construct_map(loader, node)
    data = next(generator)
    for _ in generator:
        pass
    return data


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
#: Scalar constructors that return a value at once (no generator, no recursion): called directly.
_SIMPLE = {tag: _Loader.yaml_constructors[tag] for tag in (
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")}
_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:", _construct_tagged)

_DOC_START = re.compile(rb"^---", re.MULTILINE)
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
    """All documents of a YAML stream, with their lines; raises ParseError on malformed input."""
    too_deep = nesting_error(data)
    if too_deep is not None:
        raise too_deep
    loader = _Loader(data)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            value = loader.construct_document(node)
            documents.append(Document(value, file, node.start_mark.line + 1, node.end_mark.line + 1))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        last = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        line = min(mark.line + 1, max(last, 1)) if mark else 1  # end-of-stream errors point past the last line
        column = mark.column + 1 if mark else 0
        problem = error.problem or str(error)
        context = f" ({error.context})" if error.context else ""
        raise ParseError(f"invalid YAML: {problem}{context}", line, column) from None
    except yaml.YAMLError as error:  # reader errors: bad encoding, control characters
        raise ParseError(f"unreadable YAML: {_first_line(str(error))}", _reader_line(data, error)) from None
    except RecursionError:
        raise ParseError("YAML nested too deeply to read", 1) from None
    finally:
        loader.dispose()
    return documents


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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _reader_line(data: bytes, error: Exception) -> int:
    position = getattr(error, "position", None)
    return _byte_line(data, position) if isinstance(position, int) else 1


def _byte_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, max(offset, 0)) + 1
