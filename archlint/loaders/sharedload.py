"""The Kubernetes systems and variants loaded on two cores (archlint.forked): this process loads the first groups
into the model, a forked child the last ones into builders of its own, and the child's are then taken over in
their order, as if this process had loaded them.

What keeps that exact is the ids. A component's id depends on every id taken before it (`web`, then
`web@overlay` for the same object in the next variant), which the child cannot know. So the child's builders
hand out provisional ids (a NUL, a nonce no input can hold, a number) and note each request (the id wanted, the
file); taking a group over asks for those ids again, in order, from the real builder, and puts the real ids where
the provisional ones were. The loader only ever compares ids for equality and copies them whole (edges, disruption
budgets, autoscalers), so the model is the one a single process builds. A NUL anywhere else in a string, a
provisional id the child did not hand out, or a value of a type this encoding does not know makes this process
load that group itself.

The encoding is values that marshal carries. Plain values (scalars, lists and dicts of plain values) are
themselves, and decoding does not walk them; the rest are tagged tuples: a model object (class number, its
fields), an enum member (class number, value), a provisional id, a tuple, a list or dict holding any of these. An
object met twice is encoded once and decoded once, so what the loader shared stays shared.

The same encoding is what a later run reuses: a group whose documents are as they were (its key: the loader's
source, the group's scope and the origin of its documents, archlint.loaders.layering) is taken over from the
entry the parse cache kept for it instead of being loaded again. No entry is kept that holds a value of a Secret
among the group's documents (the cache keeps no credentials), and none is recalled with ARCHLINT_DEBUG set (a
document the loader fails on then shows its traceback again)."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import itertools
import marshal
import operator
import os
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from archlint.finding import Concern, Finding, Location, Severity
from archlint.model import Component, Dependency, EdgeKind, ModelBuilder, NodeKind, Span, Tier
from archlint.model.component import Autoscaling, Container, Probe

#: Groups are shared with a second process only while their documents number at most this: beyond it the
#: child's reads would copy much of the memory the documents hold (a run on 50,000 manifests).
SHARED_UP_TO = 10_000

_CLASSES: tuple[type, ...] = (Component, Dependency, Container, Probe, Autoscaling, Span, Finding, Location)
_ENUMS: tuple[type[enum.Enum], ...] = (NodeKind, Tier, EdgeKind, Severity, Concern)
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else cls._fields
           for cls in _CLASSES}
_CODE = {cls: code for code, cls in enumerate(_CLASSES + _ENUMS)}
_MEMBERS = [{member.value: member for member in cls} for cls in _ENUMS]
_SCALARS = frozenset((str, int, float, bool, type(None)))
_NUMBERS = frozenset((int, float, bool, type(None)))
#: Each class's fields, read at once (a tuple, in the order of _FIELDS).
_GETTERS = {cls: operator.attrgetter(*names) for cls, names in _FIELDS.items() if len(names) > 1}

Group = tuple[list, tuple[str | None, str | None]]  # (documents, (system, variant))
Kept = tuple[bytes, tuple[bytes, ...]]  # (the key of a group's entry, values the entry may not hold)
Loader = Callable[[list, ModelBuilder, list[Finding], dict[str, int]], None]


class _Provisional(ModelBuilder):
    """A builder of the child: each id it hands out is provisional, and each request is noted in `asked`."""

    def __init__(self, nonce: str, numbers: Any) -> None:
        super().__init__()
        self._nonce, self._numbers = nonce, numbers
        self.asked: list[tuple[str, str, str]] = []  # (provisional id, wanted, file); a list: `commit` takes it over

    def unique_id(self, wanted: str, file: str) -> str:
        token = f"\0{self._nonce}:{next(self._numbers)}"
        self.asked.append((token, wanted, file))
        return token

    def scratch(self) -> ModelBuilder:
        child = _Provisional(self._nonce, self._numbers)
        child._scope = self._scope
        return child


def load_groups(groups: list[Group], load: Loader, builder: ModelBuilder, problems: list[Finding],
                stats: dict[str, int], keys: list[Kept | None] | None = None, memo: Any = None) -> None:
    """`load(documents, builder, problems, stats)` of every group in order, each in its scope, with the later
    groups loaded by a forked child when there are enough of them (and few enough documents). Takes the groups:
    on one core, or with many documents, each group is let go once it is loaded. With `memo` (the parse
    cache: `recall` and `keep`), a group with a key (`keys[i]` from `group_key`, None for one that cannot be kept)
    is taken from the entry kept under it, and each group loaded is kept for the next run (unless its entry would
    hold a value it may not)."""
    def here(index: int) -> None:
        documents, scope = groups[index]
        builder.scope(*scope)
        load(documents, builder, problems, stats)

    from archlint.forked import available

    many = sum(len(documents) for documents, _ in groups) > SHARED_UP_TO
    keeping = memo is not None and keys is not None and not many
    if not keeping and (len(groups) < 2 or many or not available()):
        groups.reverse()  # popped from the end: in order, each group's documents let go once it is loaded
        while groups:
            documents, scope = groups.pop()
            builder.scope(*scope)
            load(documents, builder, problems, stats)
            del documents
        return
    _load_shared(groups, load, builder, problems, stats, keys if keeping else None, memo, here)


def _load_shared(groups: list[Group], load: Loader, builder: ModelBuilder, problems: list[Finding],
                 stats: dict[str, int], keys: list[Kept | None] | None, memo: Any,
                 here: Callable[[int], None]) -> None:
    """The groups on two cores (when there are several), each handed to the builder in order, so that the ids
    are those of one process. With `keys`, a group whose entry was kept is taken from it, and every other is made
    in the form an entry keeps (here too) and kept. This process takes the first groups and hands each over as
    soon as it has made it (without `keys`, it loads them into the builder directly); the child's are taken over
    after."""
    from archlint import debug
    from archlint.forked import shared

    sent: list[Any] = [None] * len(groups)
    if keys is not None and not debug.enabled():
        for index, kept in enumerate(keys):
            entry = memo.recall(kept[0]) if kept is not None else None
            if entry is not None:
                try:
                    sent[index] = marshal.loads(entry)  # the pack's digest is checked: only this user's archlint
                except (ValueError, EOFError, TypeError):
                    pass
    missing = [index for index, found in enumerate(sent) if found is None]
    nonce, parent = os.urandom(8).hex(), os.getpid()
    done = [0]  # the groups before this index are in the builder

    def take_over_until(end: int) -> None:
        """Hand the groups before `end` to the builder, in order (ids are asked for in the order of the groups)."""
        for index in range(done[0], end):
            entry = sent[index]
            if entry is not None:
                try:
                    _take_over(entry, builder, problems, stats)
                    continue
                except (ValueError, TypeError, KeyError, IndexError):  # of another shape: loaded again
                    pass
            here(index)
        done[0] = max(done[0], end)

    def work(position: int) -> Any:
        index = missing[position]
        if os.getpid() == parent and keys is None and index == done[0]:  # next in order, and not to be kept
            here(index)
            done[0] = index + 1
            return None
        try:
            entry = _encoded(_provisional(groups[index], load, nonce))
        except (TypeError, ValueError, RecursionError):  # not the values this encoding carries: loaded in order
            entry = None
        if os.getpid() == parent:  # this process takes the first groups in order: each is handed over at once
            sent[index] = entry
            take_over_until(index + 1)
        return entry

    if missing:
        made = shared(len(missing), work, _same, _same)
        for index, entry in zip(missing, made):
            if index >= done[0]:  # the child's: handed over below
                sent[index] = entry
            kept = keys[index] if keys is not None else None
            if entry is not None and kept is not None:
                try:
                    raw = marshal.dumps(entry)
                except ValueError:
                    continue
                if not any(value in raw for value in kept[1]):  # no credential in the cache, not even derived
                    memo.keep(kept[0], raw)
    take_over_until(len(groups))


def group_key(scope: tuple[str | None, str | None], origin: bytes | None,
              withheld: tuple[bytes, ...] = ()) -> Kept | None:
    """The key a group's entry is kept under (the loader's source, the group's scope and what its documents are
    made of), with the values the entry may not hold (a Secret's); None for a group whose documents have no known
    origin: it is loaded on every run."""
    if origin is None:
        return None
    digest = hashlib.blake2b(_stamp() + marshal.dumps(scope) + origin, digest_size=16).digest()
    return b"k8s-group\0" + digest, withheld


def _stamp() -> bytes:
    """archlint's own source, as the sizes and times of its modules: an edited loader (as an editable install has)
    never takes what another one loaded."""
    if not _STAMP:
        from archlint import __version__
        from archlint.loaders.parsecache import source_stamps

        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        sources = sorted(os.path.join(directory, name) for directory, _, files in os.walk(package)
                         for name in files if name.endswith(".py"))
        stamps = [__version__, *(f"{path[len(package):]}:{stamp}" for path, stamp in
                                 zip(sources, source_stamps(sources)))]
        _STAMP.append(hashlib.blake2b("|".join(stamps).encode(), digest_size=16).digest())
    return _STAMP[0]


_STAMP: list[bytes] = []


def _same(value: Any) -> Any:
    return value


def _provisional(group: Group, load: Loader, nonce: str) -> tuple:
    """The group loaded into a builder of its own, with provisional ids."""
    documents, scope = group
    scratch = _Provisional(nonce, itertools.count())
    scratch.scope(*scope)
    found: list[Finding] = []
    counts: dict[str, int] = defaultdict(int)
    load(documents, scratch, found, counts)
    return scope, scratch, found, counts


def _encoded(made: Any) -> tuple:
    scope, scratch, found, counts = made
    memo: dict[int, Any] = {}
    lists = {name: _encode(value, memo) for name, value in vars(scratch).items()
             if type(value) is list and name != "asked"}
    return scope, scratch.asked, lists, _encode(found, memo), dict(counts)


def _take_over(sent: tuple, builder: ModelBuilder, problems: list[Finding], stats: dict[str, int]) -> None:
    """Ask the real builder for the group's ids in order, decode it with them, and hand it over; nothing reaches
    the builder when the group cannot be decoded (this process then loads it itself)."""
    scope, asked, lists, found, counts = sent
    builder.scope(*scope)
    scratch = builder.scratch()
    ids = {token: scratch.unique_id(wanted, file) for token, wanted, file in asked}
    memo: dict[int, Any] = {}
    decoded = {name: _decode(value, ids, memo) for name, value in lists.items()}
    found = _decode(found, ids, memo)
    for name, values in decoded.items():
        if type(getattr(scratch, name, None)) is not list:
            raise ValueError(f"a builder without {name}")
        getattr(scratch, name).extend(values)
    builder.commit(scratch)
    problems.extend(found)
    for key, count in counts.items():
        stats[key] += count


def _encode(value: Any, memo: dict[int, Any]) -> Any:
    """`value` itself when it is plain (scalars, and lists and dicts of plain values, holding no provisional id:
    marshal carries it as it is, and decoding does not walk it), else a tagged tuple. Items that are plain scalars
    are taken without a call; an encoded item is a tuple exactly when it is not the item itself (no value the
    encoding keeps as it is is a tuple), so a container is plain when none of its encoded items is one."""
    kind = type(value)
    if kind is str:
        if "\0" in value:  # a provisional id (a NUL in a value of the input: this process loads the group)
            if value.startswith("\0") and value.count("\0") == 1:
                return ("i", value)
            raise TypeError("a NUL inside a value")
        return value
    if kind in _SCALARS:
        return value
    done = memo.get(id(value))
    if done is not None:
        return done
    fields = _GETTERS.get(kind)
    if fields is not None:
        done = ("o", _CODE[kind], [item if (t := type(item)) is str and "\0" not in item or t in _NUMBERS
                                   else _encode(item, memo) for item in fields(value)])
    elif kind is list:
        items = [item if (t := type(item)) is str and "\0" not in item or t in _NUMBERS else _encode(item, memo)
                 for item in value]
        done = ("l", items) if tuple in map(type, items) else value
    elif kind is tuple:
        items = [item if (t := type(item)) is str and "\0" not in item or t in _NUMBERS else _encode(item, memo)
                 for item in value]
        done = ("t", ("l", items) if tuple in map(type, items) else items)
    elif kind is dict:
        if not all(type(key) in _SCALARS and not (type(key) is str and key.startswith("\0")) for key in value):
            raise TypeError("a key of another type")
        plain = {key: item if (t := type(item)) is str and "\0" not in item or t in _NUMBERS
                 else _encode(item, memo) for key, item in value.items()}
        done = ("d", plain) if tuple in map(type, plain.values()) else value
    elif kind in _FIELDS:  # a class of one field (none today: attrgetter gives that field alone, not a tuple)
        done = ("o", _CODE[kind], [_encode(getattr(value, name), memo) for name in _FIELDS[kind]])
    elif kind in _CODE:
        done = ("e", _CODE[kind], value.value)
    else:
        raise TypeError(f"a value of type {kind.__name__}")
    memo[id(value)] = done
    return done


def _decode(encoded: Any, ids: dict[str, str], memo: dict[int, Any]) -> Any:
    if type(encoded) is not tuple:
        return encoded  # plain: as marshal made it
    done = memo.get(id(encoded))
    if done is not None:
        return done
    tag = encoded[0]
    if tag == "o":
        done = _CLASSES[encoded[1]](*[item if type(item) is not tuple else _decode(item, ids, memo) for item in encoded[2]])
    elif tag == "e":
        done = _MEMBERS[encoded[1] - len(_CLASSES)][encoded[2]]
    elif tag == "i":
        done = ids.get(encoded[1])
        if done is None:
            raise ValueError("a provisional id the child did not hand out")
    elif tag == "l":
        done = [item if type(item) is not tuple else _decode(item, ids, memo) for item in encoded[1]]
    elif tag == "t":
        inner = encoded[1]
        done = tuple(inner) if type(inner) is list else tuple(_decode(inner, ids, memo))
    elif tag == "d":
        done = {key: item if type(item) is not tuple else _decode(item, ids, memo) for key, item in encoded[1].items()}
    else:
        raise ValueError(f"an unknown tag {tag!r}")
    memo[id(encoded)] = done
    return done
