"""Loading is done in units (a document, a file): whatever a loader raises on one unit becomes one IN001 finding for
that unit, with its file and the line where it is known, and every other unit still loads.

Some loaders work on all their units at once (Kubernetes links Services to Deployments across files, Terraform
expands module calls across directories), so a unit cannot simply be loaded alone. The batch is loaded into a
scratch builder; only when it raises are the culprits looked for: each unit alone (a unit that raises by itself),
then the others together again, and while they still raise, the shortest failing prefix of them (found by
bisection) names the next culprit, one that only fails beside the others. A run without a failure pays for one
scratch builder and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from archlint import debug
from archlint.finding import Finding
from archlint.model import ModelBuilder

UNREADABLE = "IN001"
Unit = TypeVar("Unit")
#: `load(units, builder, problems, stats)`, as the pipeline calls every loader.
Load = Callable[[list, ModelBuilder, list[Finding], dict[str, int]], Any]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a unit is: its file, the lines it spans (a whole file is 1 to a very large number), and what tells it
    apart from the other units of its file without its line (the document's index), for the fingerprint."""

    file: str
    line: int
    end_line: int = 1 << 30
    key: str = ""


@dataclass
class _Attempt(Generic[Unit]):
    builder: ModelBuilder
    problems: list[Finding]
    stats: dict[str, int]
    result: Any = None
    error: BaseException | None = None


def load_units(units: Sequence[Unit], load: Load, builder: ModelBuilder, problems: list[Finding],
               stats: dict[str, int], place: Callable[[Unit], Place], what: str) -> Any:
    """`load(units, builder, problems, stats)`, with every unit it raises on left out and reported; returns what
    the last successful load returned (None if every unit failed). `what` names a unit in messages ("Kubernetes
    document")."""
    units = list(units)
    attempt = _try(load, units, builder)
    if attempt.error is None:
        return _commit(attempt, builder, problems, stats)
    debug.show(attempt.error, f"loading {len(units)} {what}(s)")
    culprits: list[tuple[Unit, BaseException, bool]] = []
    rest: list[Unit] = []
    for unit in units:
        alone = _try(load, [unit], builder)
        if alone.error is not None:
            culprits.append((unit, alone.error, True))
        else:
            rest.append(unit)
    while rest:
        attempt = _try(load, rest, builder)
        if attempt.error is None:
            break
        # Invariant: the first `good` units load together, the first `bad` do not; the unit at bad - 1 is a culprit.
        good, bad, error = 0, len(rest), attempt.error
        while bad - good > 1:
            middle = (good + bad) // 2
            tried = _try(load, rest[:middle], builder)
            if tried.error is None:
                good = middle
            else:
                bad, error = middle, tried.error
        culprits.append((rest.pop(bad - 1), error, False))
    else:
        attempt = _Attempt(builder.scratch(), [], defaultdict(int))  # nothing left to load
    for unit, error, alone in culprits:
        problems.append(_finding(place(unit), error, what, alone))
    return _commit(attempt, builder, problems, stats)


def document_place(document: Any) -> Place:
    """Where a YAML or JSON document is; told apart from the other documents of its file by what it names (its
    kind and name, for Kubernetes-like objects), never by its line."""
    data = document.data
    key = ""
    if isinstance(data, dict):
        meta = data.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        kind = data.get("kind")
        if isinstance(kind, str) and isinstance(name, str):
            key = f"{kind}/{name}"
    return Place(document.file, document.line, document.end_line, key)


def _try(load: Load, units: list, builder: ModelBuilder) -> _Attempt:
    attempt: _Attempt = _Attempt(builder.scratch(), [], defaultdict(int))
    try:
        attempt.result = load(units, attempt.builder, attempt.problems, attempt.stats)
    except Exception as error:  # noqa: BLE001  (any error of a loader on one unit costs that unit only)
        attempt.error = error
    return attempt


def _commit(attempt: _Attempt, builder: ModelBuilder, problems: list[Finding], stats: dict[str, int]) -> Any:
    builder.commit(attempt.builder)
    problems.extend(attempt.problems)
    for key, count in attempt.stats.items():
        stats[key] += count
    return attempt.result


def _finding(where: Place, error: BaseException, what: str, alone: bool) -> Finding:
    line = _line(error, where, alone) or where.line
    return Finding(UNREADABLE, f"cannot load this {what}: {describe(error)}", where.file, line,
                   key=f"load:{where.key}" if where.key else "load",
                   fix="Check the value at this line. If the file is valid for its own tool, archlint has a bug: "
                       "report it with the file (ARCHLINT_DEBUG=1 shows the traceback); meanwhile exclude the file.")


def describe(error: BaseException) -> str:
    """`ValueError: math domain error`, on one line and of bounded length."""
    if isinstance(error, RecursionError):
        return "it is nested too deeply for archlint to follow"
    if isinstance(error, MemoryError):
        return "it is too large for archlint to load in memory"
    text = " ".join(str(error).split())
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _line(error: BaseException, where: Place, alone: bool) -> int | None:
    """The line of the innermost value a loader was working on when it raised, when it is sure to be in `where`:
    a Span or block of that file, or (when the unit was loaded alone) a mapping or syntax node within its lines."""
    frames = []
    trace = error.__traceback__
    while trace is not None:
        frames.append(trace.tb_frame)
        trace = trace.tb_next
    for frame in reversed(frames):
        if not str(frame.f_globals.get("__name__", "")).startswith("archlint.loaders"):
            continue
        for value in list(frame.f_locals.values())[:64]:
            line = _line_of(value, where, alone)
            if line is not None:
                return line
    return None


def _line_of(value: Any, where: Place, alone: bool) -> int | None:
    file = getattr(value, "file", None)
    line = getattr(value, "line", None)
    if file is not None:  # a Span, a Document, a Terraform block: sure of its file
        return line if file == where.file and isinstance(line, int) and line > 0 else None
    if not alone:
        return None
    if isinstance(line, int) and isinstance(value, dict) and where.line <= line <= where.end_line:
        return line  # a mapping of the YAML reader (LineDict)
    point = getattr(value, "start_point", None)  # a tree-sitter node of the file loaded alone
    if isinstance(point, tuple) and point and isinstance(point[0], int):
        return point[0] + 1
    return None
