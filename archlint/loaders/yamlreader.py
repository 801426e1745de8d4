"""The YAML reader itself: PyYAML's C parser with constructors that keep the line of every mapping and key.

Apart from archlint.loaders.yamlsource (the values it makes, and what callers import) so that PyYAML is imported
only when something is parsed: a run that takes every file from the parse cache never imports it (31 ms)."""

from __future__ import annotations

import operator
from sys import intern
from typing import Any

import yaml

from archlint.loaders.yamlsource import Document, LineDict, ParseError, Tagged, nesting_error

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SCALAR_NODE, _SEQUENCE_NODE, _MAPPING_NODE = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
_MERGE_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
#: Plain scalars resolved to a tag so far (most scalars of a manifest repeat: keys, `true`, `TCP`).
_RESOLVED: dict[str, str] = {}


#: Strings up to this length are interned as they are read.
_INTERNED = 40


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader whose mappings are LineDicts and whose unknown tags become Tagged values.

    `construct_document` builds the plain shapes (strings, lists, maps) in one tight recursive walk and hands
    anything else to PyYAML's constructors: the same values as the generic constructor, about twice as fast.
    A node reached twice through an alias is built once and shared, as PyYAML does."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        # without an anchor (`&`) in the text, no node is reached twice: nothing to share, no need to remember
        self.anchored = not isinstance(stream, bytes) or b"&" in stream

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is _SCALAR_NODE:
            if not implicit[0]:
                return _STR  # quoted (every JSON string): never resolved to another type
            if len(value) <= 64:  # a plain scalar's tag depends on its text alone (there are no path resolvers)
                tag = _RESOLVED.get(value)
                if tag is None:
                    if len(_RESOLVED) > 50_000:
                        _RESOLVED.clear()
                    tag = _RESOLVED[value] = super().resolve(kind, value, implicit)
                return tag
        elif kind is _SEQUENCE_NODE:
            return _SEQ  # what PyYAML's resolver gives every untagged collection: no path resolvers here
        elif kind is _MAPPING_NODE:
            return _MAP
        return super().resolve(kind, value, implicit)

    # PyYAML's path resolvers are not used, and the C composer calls these two for every node (300,000 calls on a
    # tree of 1,600 manifests): C callables that ignore what they are given cost a fraction of a Python method.
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)

    def construct_document(self, node: Any) -> Any:
        built: dict[int, Any] = {}
        anchored = self.anchored
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
            if anchored:
                done = built.get(id(node))
                if done is not None:
                    shared.append(node)
                    return done
            if kind is sequence_node and tag == _SEQ:
                items: list = []
                if anchored:
                    built[id(node)] = items
                append = items.append
                for child in node.value:
                    if child.__class__ is scalar and child.tag == _STR:  # most items: the string, without a call
                        value = child.value
                        append(intern(value) if len(value) <= _INTERNED else value)
                    else:
                        append(build(child))
                return items
            if kind is mapping_node and tag == _MAP:
                data = LineDict()
                if anchored:
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
                    if key_node.__class__ is scalar and key_node.tag == _STR:  # strings, as `build` makes them
                        key = key_node.value
                        if len(key) <= _INTERNED:
                            key = intern(key)
                    else:
                        key = build(key_node)
                        try:
                            hash(key)
                        except TypeError:
                            key = str(key)
                    if value_node.__class__ is scalar and value_node.tag == _STR:
                        value = value_node.value
                        data[key] = intern(value) if len(value) <= _INTERNED else value
                    else:
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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _reader_line(data: bytes, error: Exception) -> int:
    position = getattr(error, "position", None)
    return data.count(b"\n", 0, max(position, 0)) + 1 if isinstance(position, int) else 1
