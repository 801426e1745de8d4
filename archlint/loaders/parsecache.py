"""A content-addressed cache of parsed YAML and JSON files: a file whose bytes were parsed before is not parsed again.

A pre-commit hook re-reads the whole repository on every commit, and almost every file is the one it read last
time. Parsing is most of loading (0.37 s of 0.68 s on the 1,620 manifests of the corpus); rebuilding the same
documents from this cache takes about 0.06 s. Entries are keyed by a hash of the file's bytes (and the parser:
YAML or JSON), so a renamed or moved file still hits and an edited one never does; invalid files are cached with
their error.

The cache is one pack per scan root in `cache_dir()/parse/`: `marshal` data (plain values only, never code)
holding each file's documents with every mapping's line and key lines. Packs live in the user's private cache
directory (`archlint.cachestore`: 0700, files 0600, opened without following links) and carry an HMAC under the
user's own key, checked before a byte reaches `marshal.loads`, which is not safe on data someone else wrote (a
13-byte stream crashes the interpreter). Values marshal cannot hold exactly (sets, ordered pairs, recursive
aliases) are simply not cached, and neither is a file holding a Kubernetes Secret with values (the cache never
keeps credentials): such a file is parsed every time. A pack is rewritten only when something was parsed; entries
unused for KEEP_RUNS writes are dropped, and packs not written for MAX_AGE_DAYS are deleted. A cache that cannot be
read or written is ignored: the cache can only make a run faster, never change what it finds. Other steps of
loading keep entries of their own in the pack through `recall` and `keep` (kustomize renderings,
archlint.loaders.kustomize.memo), checked by those steps against everything the entry depends on.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from archlint.loaders import parsecodec
from archlint.loaders.yamlsource import Document, LineDict, ParseError

if TYPE_CHECKING:
    from archlint.cachestore import Store

#: Bumped whenever the encoding below or the parsers' output changes meaning.
FORMAT = 4
_MAGIC = b"archlint-parse\x00\x02"
#: A pack keeps an unused entry through this many writes (so that alternating scans of two parts of a repository
#: do not evict each other), and is deleted when not written for this many days.
KEEP_RUNS = 4
MAX_AGE_DAYS = 30
#: Above this size a pack keeps only the entries of the run that writes it.
MAX_PACK_BYTES = 256 * 1024 * 1024
#: Unknown files totalling more than this are parsed in two processes: below it, the fork is not worth it.
PARALLEL_BYTES = 2 * 1024 * 1024
Parser = Callable[[bytes, str], "list[Document]"]
#: What parsing a file gave: its documents, or its ParseError as (message, line, column). Errors are kept as
#: values, never as exception objects: a kept exception holds its traceback, whose frames hold the loader's
#: locals (every document), a cycle only the collector frees, and it is off while loading.
Outcome = "list[Document] | tuple[str, int, int]"


class ParseCache:
    """The pack of one scan root: `parse()` answers from it or parses and records; `save()` writes it back, once.
    A cache without a path (caching turned off) still parses in two processes (`fill`) and never writes."""

    def __init__(self, path: Path | None, entries: dict[bytes, tuple[int, bytes]] | None = None,
                 generation: int = 0, store: Store | None = None) -> None:
        self.path = path
        self._store = store
        self._old = entries or {}
        self._generation = generation
        self._used: dict[bytes, bytes] = {}
        self._fresh: dict[bytes, tuple[str, Outcome]] = {}
        self._keys: dict[tuple[int, str], bytes] = {}  # by id() of the bytes `fill` saw: each file hashed once
        self._added = 0
        self.hits = 0
        #: The key of each file parsed (a digest of its bytes and the parser), by its name: what its documents are
        #: made of, for the steps that keep what they make of them (archlint.loaders.layering); and the files whose
        #: text could hold a Secret's values, which those steps look through before they keep anything.
        self.digests: dict[str, bytes] = {}
        self.suspects: set[str] = set()

    @classmethod
    def open(cls, root: Path) -> ParseCache:
        """The pack for the scan root `root` (absolute); one that is never read or written when caching is off
        (`ARCHLINT_NO_CACHE`)."""
        from archlint.cachestore import open_store
        from archlint.resources import cache_dir

        directory = cache_dir()
        top = open_store(directory) if directory is not None else None
        store = top.sub("parse") if top is not None else None
        if store is None:
            return cls(None)
        name = hashlib.sha256(os.fsencode(str(root))).hexdigest()[:24]
        return cls.open_at(store.path / f"{name}.pack", store)

    @classmethod
    def open_at(cls, path: Path, store: Store | None = None) -> ParseCache:
        """The pack at `path` (in the cache directory `store`, by default the checked directory `path` is in), or
        an empty one when it is absent, stale, damaged or not provably written by this user's archlint."""
        store = store or _store_of(path)
        if store is None:
            return cls(None)
        raw = store.read(path.name)
        loaded = _unpack(raw) if raw is not None else None
        return cls(path, *loaded, store=store) if loaded is not None else cls(path, store=store)

    def parse(self, mode: str, data: bytes, name: str, parser: Parser) -> list[Document]:
        """The documents of `data` as `parser(data, name)` returns them (or raises), from the pack when known."""
        key = self.digests[name] = self._keys.pop((id(data), mode), None) or _key(mode, data)
        if may_hold_secrets(data):
            self.suspects.add(name)
        fresh = self._fresh.pop(key, None)
        if fresh is not None and fresh[0] == name:
            return _outcome(fresh[1])
        known = self._used.get(key) or self._old.get(key, (0, b""))[1]
        if known:
            documents = _from_entry(known, name, data, parser)
            if documents is not None:
                self._used[key] = known
                self.hits += 1
                return _outcome(documents)
        outcome, entry = _parsed(data, name, parser, self.path is not None)
        if entry is not None:
            self._record(key, entry)
        return _outcome(outcome)

    def recall(self, key: bytes) -> bytes | None:
        """The entry another step of loading kept under `key` (a kustomization's rendering), kept on in the pack."""
        known = self._used.get(key) or self._old.get(key, (0, b""))[1]
        if not known:
            return None
        self._used[key] = known
        return known

    @property
    def active(self) -> bool:
        """Whether this cache is read and written (caching is on, and it was not saved yet)."""
        return self.path is not None

    def keep(self, key: bytes, entry: bytes) -> None:
        """Keep `entry` under `key` for the next run (nothing when caching is off)."""
        if self.path is not None:
            self._record(key, entry)

    def fill(self, jobs: list[tuple[str, bytes, str, Parser]], meanwhile: Callable[[], object] | None = None) -> None:
        """Parse ahead the (mode, data, name, parser) jobs the pack does not know, shared with a forked process
        when they are many (a first run, CI; archlint.forked): the child sends back pack entries, cheap to decode,
        so two cores parse the tree in a little over half the time. Anything the child does not deliver is parsed
        here later, by `parse`. When a child parses, `meanwhile` is run here first (while it parses alone)."""
        missing: dict[bytes, tuple[bytes, str, Parser]] = {}
        for mode, data, name, parser in jobs:
            key = self._keys[id(data), mode] = _key(mode, data)
            if key not in self._used and key not in self._old:
                missing.setdefault(key, (data, name, parser))
        if sum(len(job[0]) for job in missing.values()) < PARALLEL_BYTES or not _can_fork():
            return
        from archlint.forked import shared

        ordered = sorted(missing.items(), key=lambda item: (-len(item[1][0]), item[0]))  # largest first
        parent, keep = os.getpid(), self.path is not None

        def work(index: int) -> tuple[int, bytes | None] | None:
            key, (data, name, parser) = ordered[index]
            if os.getpid() != parent:
                return index, _parsed(data, name, parser)[1]  # the child: the entry, decoded here as it comes
            outcome, entry = _parsed(data, name, parser, keep)
            self._fresh[key] = (name, outcome)
            if entry is not None:
                self._record(key, entry)
            return None

        def arrived(sent: tuple[int, bytes | None]) -> None:
            index, entry = sent
            key, (data, name, parser) = ordered[index]
            if isinstance(entry, bytes) and key not in self._fresh:
                outcome = _from_entry(entry, name, data, parser)
                if outcome is not None:  # else parsed again when read
                    self._fresh[key] = (name, outcome)
                    self._record(key, entry)

        shared(len(ordered), work, _same, arrived, meanwhile=meanwhile)

    def _record(self, key: bytes, entry: bytes) -> None:
        self._used[key] = entry
        self._added += 1

    def save(self) -> None:
        """Write the pack back when this run parsed something new; keep recent unused entries; never fail. Then let
        every entry go (a large tree's pack is hundreds of megabytes, which the model can use): the cache parses on
        but keeps nothing more, and a second `save` writes nothing."""
        try:
            self._write()
        finally:
            self.path, self._old, self._used, self._fresh, self._keys, self._added = None, {}, {}, {}, {}, 0

    def _write(self) -> None:
        if self.path is None or not self._added:
            return
        generation = self._generation + 1
        entries = {key: (generation, raw) for key, raw in self._used.items()}
        size = sum(len(raw) for raw in self._used.values())
        for key, (used_at, raw) in sorted(self._old.items(), key=lambda item: -item[1][0]):
            if key not in entries and generation - used_at < KEEP_RUNS and size + len(raw) <= MAX_PACK_BYTES:
                entries[key] = (used_at, raw)
                size += len(raw)
        store = self._store or _store_of(self.path)
        if store is not None and store.write(self.path.name, *_pack(generation, entries)):
            store.prune(time.time() - MAX_AGE_DAYS * 86400)


def _store_of(path: Path) -> Store | None:
    from archlint.cachestore import open_store

    return open_store(path.parent)


def _key(mode: str, data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest() + mode.encode()


def _parsed(data: bytes, name: str, parser: Parser,
            entry: bool = True) -> tuple[Outcome, bytes | None]:
    """What the parser makes of `data` (documents or its error), and the pack entry for it (None if unfit, or
    not asked for)."""
    try:
        documents = parser(data, name)
    except ParseError as error:
        failed = (error.message, error.line, error.column)
        return failed, marshal.dumps(("e", *failed)) if entry else None
    if not entry:
        return documents, None
    try:
        secrets = may_hold_secrets(data)
        return documents, marshal.dumps(("d", [_document_entry(d, data, parser, secrets) for d in documents]))
    except (parsecodec.Unfit, RecursionError, ValueError):
        return documents, None


def may_hold_secrets(data: bytes) -> bool:
    """Whether a file's text could hold a Secret: no value can be `Secret` where the text holds neither the word,
    nor an escape that could spell it, nor the NUL bytes of UTF-16 or UTF-32 (which both readers decode)."""
    return b"Secret" in data or b"\\" in data or b"\0" in data


def _document_entry(document: Document, data: bytes, parser: Parser, secrets: bool = True) -> tuple:
    """(encoded data, line, end line); for a Secret with values only (line, end line): its lines are parsed again
    from the file when the entry is used, so that no credential is ever written to the cache. Kept only when
    parsing those lines alone gives exactly this document (else the whole file is not cached). `secrets`: whether
    the file's text can hold a Secret at all."""
    encoded = parsecodec.encode(document.data, {}, set())
    if not secrets or not secret_values(document.data):
        return (encoded, document.line, document.end_line)
    try:
        again = _reparsed(data, document.file, parser, document.line, document.end_line)
    except ParseError:
        raise parsecodec.Unfit("a Secret that does not parse alone") from None
    if (again.line, again.end_line) != (document.line, document.end_line) or \
            parsecodec.encode(again.data, {}, set()) != encoded:
        raise parsecodec.Unfit("a Secret that does not parse alone")
    return (document.line, document.end_line)


def _reparsed(data: bytes, name: str, parser: Parser, line: int, end_line: int) -> Document:
    """The document on lines `line` to `end_line` of `data`, parsed alone (at the same lines)."""
    start = 0
    for _ in range(line - 1):
        start = data.index(b"\n", start) + 1
    end = start
    for _ in range(end_line - line + 1):
        found = data.find(b"\n", end)
        end = len(data) if found < 0 else found + 1
    documents = parser(b"\n" * (line - 1) + data[start:end], name)
    if not documents:
        raise ParseError("no document", line)
    return documents[0]


def secret_values(data: Any) -> list[bytes]:
    """The values of every Kubernetes Secret anywhere in a document (itself, the items of a List, the objects of a
    template), as marshal writes them; b"" (found in any entry) for values of another shape. The cache never keeps
    credentials: a document with any is parsed again from its lines, and an entry another step would keep that
    holds one is not kept (archlint.loaders.sharedload). Shared values (aliases) are looked at once."""
    found: list[bytes] = []
    pending, seen = [data], set()
    while pending:
        value = pending.pop()
        kind = type(value)
        if (kind is not LineDict and kind is not list) or id(value) in seen:
            continue
        seen.add(id(value))
        if kind is list:
            pending.extend(value)
            continue
        if value.get("kind") == "Secret":
            for key in ("data", "stringData"):
                values = value.get(key)
                if isinstance(values, dict):
                    found += [str(v).encode("utf-8", "surrogatepass") for v in values.values()]
                elif values:
                    found.append(b"")
        pending.extend(value.values())
    return found


def _outcome(outcome: Outcome) -> list[Document]:
    if type(outcome) is tuple:
        raise ParseError(*outcome)  # a new exception, held by no frame it passes through
    return outcome


def _can_fork() -> bool:
    """Linux with two cores and no other thread running (archlint.forked)."""
    from archlint.forked import available

    return available()


def _same(value: Any) -> Any:
    return value


def _salt() -> str:
    """What the cached documents depend on besides the bytes: archlint, PyYAML and Python versions, this format,
    and the reader's own source (an editable install changes it without a new version). PyYAML is known by its
    package's files, not imported: a run that finds every file here never needs it."""
    from importlib.util import find_spec

    from archlint import __version__
    from archlint.loaders import yamlsource

    reader = os.path.join(os.path.dirname(yamlsource.__file__ or ""), "yamlreader.py")
    spec = find_spec("yaml")
    pyyaml = spec.origin if spec is not None and spec.origin else ""
    stamps = source_stamps([yamlsource.__file__ or "", reader, __file__, pyyaml])
    return "|".join([__version__, sys.version.split()[0], str(marshal.version), str(FORMAT), *stamps])


def source_stamps(paths: list[str]) -> list[str]:
    """The time and size of each source file (`?` for one that cannot be read): what an entry made by that code
    depends on besides its input, so that an edited module (as an editable install has) never takes what an older
    one made. The steps that keep entries of their own stamp their code with it too."""
    stamps = []
    for path in paths:
        try:
            status = os.stat(path)
            stamps.append(f"{status.st_mtime_ns}:{status.st_size}")
        except OSError:
            stamps.append("?")
    return stamps


def _pack(generation: int, entries: dict[bytes, tuple[int, bytes]]) -> tuple[bytes, bytes]:
    """The pack's two parts, written one after the other (joined, they would be one more copy of the pack)."""
    return _MAGIC, marshal.dumps((_salt(), generation, entries))


def _unpack(raw: bytes) -> tuple[dict[bytes, tuple[int, bytes]], int] | None:
    """The entries and generation of a pack whose digest the store has checked (only this user's archlint can have
    written it), or None unless it is of this format and made by this very reader."""
    if not raw.startswith(_MAGIC):
        return None
    try:
        salt, generation, entries = marshal.loads(raw[len(_MAGIC):])
    except (ValueError, TypeError, EOFError):
        return None
    if salt != _salt() or not isinstance(entries, dict) or not isinstance(generation, int):
        return None
    return entries, generation


def _from_entry(entry: bytes, name: str, source: bytes, parser: Parser) -> Outcome | None:
    """What a pack entry holds (documents, or the file's error); None for a damaged or foreign one: parse again."""
    try:
        return _decode(marshal.loads(entry), name, source, parser)
    except (ValueError, TypeError, EOFError, IndexError, KeyError, RecursionError, ParseError):
        return None


def _decode(entry: Any, name: str, source: bytes, parser: Parser) -> Outcome:
    if entry[0] == "e":
        _, message, line, column = entry
        return (message, line, column)
    memo: dict[int, Any] = {}
    return [Document(parsecodec.value(item[0], memo) if type(item[0]) is tuple else item[0], name, item[1],
                     item[2])
            if len(item) == 3 else _reparsed(source, name, parser, *item) for item in entry[1]]
