"""Renderings kept between runs: a kustomization whose every input is as it was is not rendered again.

A rendering reads the tree through four questions only (is this a file, is this a directory, the documents of a
file, its text). `Recorder` passes them on and notes each with its answer, a file's bytes by their digest. The
parse cache keeps the rendering beside those notes; a later run takes it only when every question, asked again
of the tree as it is now, gets the same answer, so an edited patch, a new file in a base or a file that went
away renders afresh. The renderer's own source is part of the key (a changed renderer never reuses what an
older one made), and a rendering that holds a Secret's values is never kept: the cache keeps no credentials.

The encoding is plain values that marshal carries: a mapping is ("m", file, line, via, note, items, the keys
whose values are containers, key lines, key spans), a list holding containers ("l", items, their indexes), a
span (file, line, via, note), a tagged value ("t", tag, value), a date ("d", ISO text, 1 or 2); scalars and lists
of scalars are themselves. A span or a chain of spans shared by many values is written once and read back shared.
Anything else makes the rendering unfit to keep, and it is simply rendered on every run."""

from __future__ import annotations

import datetime
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any, Callable

from archlint.loaders.kustomize.origin import Sourced
from archlint.loaders.kustomize.rendering import Rendering
from archlint.loaders.kustomize.resources import Problem, Resource
from archlint.loaders.yamlsource import Document, Tagged
from archlint.model import Span

_SCALARS = frozenset((str, int, float, bool, type(None)))


class Unfit(Exception):
    """A rendering that cannot be kept exactly (or may not be: a Secret's values)."""


class Recorder:
    """A tree that notes every question a rendering asks of it, with the answer."""

    def __init__(self, tree: Any) -> None:
        self.tree = tree
        self.asked: dict[tuple[str, str], Any] = {}

    def is_file(self, name: str) -> bool:
        answer = self.tree.is_file(name)
        self.asked.setdefault(("f", name), answer)
        return answer

    def is_dir(self, name: str) -> bool:
        answer = self.tree.is_dir(name)
        self.asked.setdefault(("d", name), answer)
        return answer

    def documents(self, name: str) -> list[Document]:
        self.asked.setdefault(("b", name), digest(self.tree.bytes_of(name)))
        return self.tree.documents(name)

    def text(self, name: str) -> str | None:
        self.asked.setdefault(("b", name), digest(self.tree.bytes_of(name)))
        return self.tree.text(name)


def digest(data: bytes | None) -> bytes | None:
    return hashlib.blake2b(data, digest_size=16).digest() if data is not None else None


def same_answers(tree: Any, asked: Any) -> bool:
    """Whether the tree answers every noted question as it did."""
    for kind, name, answer in asked:
        now = tree.is_file(name) if kind == "f" else tree.is_dir(name) if kind == "d" else digest(tree.bytes_of(name))
        if now != answer:
            return False
    return True


def cached_render(tree: Any, file: str, recall: Callable[[bytes], bytes | None],
                  keep: Callable[[bytes, bytes], None]) -> Rendering:
    """`render(tree, file)`, from the entry `recall` gives for it when the tree still answers as it did; a new
    rendering is handed to `keep` (unless it is unfit to keep)."""
    return cached_renders(tree, [file], recall, keep, alone=True)[file]


def cached_renders(tree: Any, files: list[str], recall: Callable[[bytes], bytes | None],
                   keep: Callable[[bytes, bytes], None], alone: bool = False,
                   used: dict[str, bytes] | None = None,
                   meanwhile: Callable[[], object] | None = None) -> dict[str, Rendering]:
    """`cached_render` of each file. Those the cache does not hold are rendered on two cores unless `alone`
    (archlint.forked): the child sends each rendering as the entry kept for it, read back as a later run reads
    it. `used` gets the digest of each rendering's entry (what the rendering is made of: every answer it read and
    what it made), for those that have one. `meanwhile`: the caller's work, done here while a child renders."""
    renderings: dict[str, Rendering] = {}
    missing = []
    for file in files:
        entry = recall(_key(file))
        rendering = _recalled(tree, file, entry) if entry is not None else None
        if rendering is None:
            missing.append(file)
        else:
            renderings[file] = rendering
            if used is not None:
                used[file] = digest(entry)
    if alone or len(missing) < 2:
        made = [_rendered(tree, file) for file in missing]
    else:
        from archlint.forked import shared
        from archlint.loaders.kustomize import build  # noqa: F401  (imported once, here: the child has it too)

        made = shared(len(missing), lambda index: _rendered(tree, missing[index]), _entry_of,
                      lambda sent: (decode(marshal.loads(sent[1])[1], sent[0]), sent[1]), meanwhile=meanwhile)
    for file, (rendering, entry) in zip(missing, made):
        if entry is not None:
            keep(_key(file), entry)
            if used is not None:
                used[file] = digest(entry)
        renderings[file] = rendering
    return renderings


def _key(file: str) -> bytes:
    return b"kustomize\0" + _stamp() + os.fsencode(file)


def _recalled(tree: Any, file: str, entry: bytes) -> Rendering | None:
    try:
        asked, encoded = marshal.loads(entry)
        if same_answers(tree, asked):
            return decode(encoded, file)
    except (ValueError, TypeError, EOFError, IndexError, KeyError, RecursionError):
        pass  # damaged or of another shape: rendered again
    return None


def _rendered(tree: Any, file: str) -> tuple[Rendering, bytes | None]:
    """A new rendering and the entry to keep for it (None when it is unfit to keep)."""
    from archlint.loaders.kustomize.build import render  # only now: a kept rendering needs no renderer

    recorder = Recorder(tree)
    rendering = render(recorder, file)
    try:
        asked = tuple((kind, name, answer) for (kind, name), answer in recorder.asked.items())
        return rendering, marshal.dumps((asked, encode(rendering)))
    except (Unfit, ValueError, RecursionError):
        return rendering, None


def _entry_of(made: tuple[Rendering, bytes | None]) -> tuple[str, bytes]:
    """What the child sends for a rendering: its file and its entry (one without an entry the parent renders)."""
    if made[1] is None:
        raise Unfit("no entry")
    return made[0].file, made[1]


def encode(rendering: Rendering) -> tuple:
    for resource in rendering.resources:
        data = resource.data
        if data.get("kind") == "Secret" and (data.get("data") or data.get("stringData")):
            raise Unfit("a Secret's values")
    spans: dict[int, tuple] = {}  # a span (a chain) shared by many values is written once: marshal keeps it shared
    return ([_value(r.data, spans) for r in rendering.resources], sorted(rendering.consumed),
            sorted(rendering.included),
            [(p.rule, p.message, _span(p.span, spans), p.fix, p.what, p.contextual) for p in rendering.problems],
            rendering.component)


def decode(encoded: tuple, file: str) -> Rendering:
    resources, consumed, included, problems, component = encoded
    spans: dict[int, Any] = {}  # each written span made once, and shared as it was (a Span is immutable)
    rendering = Rendering(file)
    rendering.resources = [Resource.of(_decoded(data, spans)) for data in resources]
    rendering.consumed, rendering.included = set(consumed), set(included)
    rendering.problems = [Problem(rule, message, _span_of(span, spans), fix, what, contextual)
                          for rule, message, span, fix, what, contextual in problems]
    rendering.component = component
    return rendering


def _span(span: Span, spans: dict[int, tuple]) -> tuple:
    done = spans.get(id(span))
    if done is None:
        done = spans[id(span)] = (span.file, span.line, _chain(span.via, spans), span.note)
    return done


def _chain(via: tuple, spans: dict[int, Any], each: Callable[[Any, dict[int, Any]], Any] | None = None) -> tuple:
    """A chain of spans, each through `each` (`_span` to write, `_span_of` to read), made once per chain."""
    if not via:
        return ()
    done = spans.get(id(via))
    if done is None:
        done = spans[id(via)] = tuple((each or _span)(place, spans) for place in via)
    return done


def _span_of(encoded: tuple, spans: dict[int, Any]) -> Span:
    done = spans.get(id(encoded))
    if done is None:
        file, line, via, note = encoded
        done = spans[id(encoded)] = Span(file, line, _chain(via, spans, _span_of), note)
    return done


def _value(value: Any, spans: dict[int, tuple]) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Sourced:
        items, nested = {}, []
        for key, item in value.items():
            if type(key) not in _SCALARS:
                raise Unfit(f"key of type {type(key).__name__}")
            encoded = items[key] = _value(item, spans)
            if type(encoded) is tuple:
                nested.append(key)
        key_spans = {key: _span(span, spans) for key, span in value.key_spans.items()} if value.key_spans else None
        return ("m", value.file, value.line, _chain(value.via, spans), value.note, items, tuple(nested),
                dict(value.key_lines), key_spans)
    if kind is list:
        items = [_value(item, spans) for item in value]
        indexes = tuple(i for i, item in enumerate(items) if type(item) is tuple)
        return ("l", items, indexes) if indexes else items
    if kind is Tagged:
        return ("t", value.tag, _value(value.value, spans))
    if kind is datetime.date or kind is datetime.datetime:
        return ("d", value.isoformat(), 1 if kind is datetime.date else 2)
    raise Unfit(f"value of type {kind.__name__}")


def _decoded(encoded: tuple, spans: dict[int, Any]) -> Any:
    """The value of an encoded container (a tuple): only the values that hold containers are walked."""
    tag = encoded[0]
    if tag == "m":
        _, file, line, via, note, items, nested, key_lines, key_spans = encoded
        data = Sourced(items)
        data.file, data.line, data.via, data.note = file, line, _chain(via, spans, _span_of), note
        for key in nested:
            data[key] = _decoded(items[key], spans)
        data.key_lines = key_lines
        data.key_spans = {key: _span_of(span, spans) for key, span in key_spans.items()} if key_spans else {}
        return data
    if tag == "l":
        _, items, indexes = encoded
        for index in indexes:
            items[index] = _decoded(items[index], spans)
        return items
    if tag == "t":
        inner = encoded[2]
        return Tagged(encoded[1], _decoded(inner, spans) if type(inner) is tuple else inner)
    return (datetime.date if encoded[2] == 1 else datetime.datetime).fromisoformat(encoded[1])


_STAMP: list[bytes] = []


def _stamp() -> bytes:
    """The renderer's own source, as the sizes and times of its modules (and of the Span it writes): an edited
    renderer, as an editable install has, never takes what another one rendered."""
    if not _STAMP:
        from archlint.loaders.parsecache import source_stamps

        package = Path(__file__).parent
        sources = [str(p) for p in sorted(package.glob("*.py"))]
        sources.append(str(package.parent.parent / "model" / "component.py"))
        stamps = [f"{os.path.basename(path)}:{stamp}" for path, stamp in zip(sources, source_stamps(sources))]
        _STAMP.append(hashlib.blake2b("|".join(stamps).encode(), digest_size=8).digest())
    return _STAMP[0]
