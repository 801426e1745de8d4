"""What a rule declares (RuleMeta) and the helper rules use to make findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from archlint.finding import MAX_NODES, MAX_RELATED, Concern, Finding, Location, Severity
from archlint.model import Component, Span

if TYPE_CHECKING:  # the model's graph is imported with the rules that read it, not with what every rule declares
    from archlint.model import SystemModel
from archlint.finding import listing, route  # noqa: F401  (re-exported: rules list names and paths with them)

#: The sections every rule's docstring has, in this order (printed by `archlint explain`).
DOC_SECTIONS = ("What it flags", "Why it matters", "How to fix")

Check = Callable[["SystemModel", Mapping[str, Any]], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """A rule's identity and defaults. `options` holds defaults; `options_schema` the JSON Schema of each option."""

    id: str
    name: str
    title: str
    concern: Concern
    severity: Severity
    options: Mapping[str, Any] = field(default_factory=dict)
    options_schema: Mapping[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    #: Rules whose finding on the same node this rule's finding stands for: the engine folds theirs into it.
    absorbs: tuple[str, ...] = ()
    #: Reads the NetworkX graph (`model.graph`, `model.sync_graph`; `sync_adjacency` and `sync_dag` are not it): on
    #: two cores such rules run in the forked child, so that this process never imports NetworkX
    #: (archlint.engine.checks). A rule that reads it without saying so is still right, only slower;
    #: tests/engine/test_checks_graph.py holds every rule to it.
    walks_graph: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its metadata, its check (None when the loaders or engine emit it) and its documentation."""

    meta: RuleMeta
    check: Check | None
    doc: str
    examples: Path

    @property
    def id(self) -> str:
        return self.meta.id

    def sections(self) -> dict[str, str]:
        """The docstring split into its template sections (plus 'summary', the first paragraph)."""
        return split_doc(self.doc)

    @classmethod
    def from_module(cls, module: ModuleType) -> "Rule":
        meta: RuleMeta = module.META
        examples = Path(module.__file__).parent / "examples" / meta.id
        return cls(meta, getattr(module, "check", None), module.__doc__ or "", examples)


def split_doc(doc: str) -> dict[str, str]:
    """`What it flags:` / `Why it matters:` / `How to fix:` paragraphs of a docstring, by section name."""
    sections: dict[str, list[str]] = {"summary": []}
    current = "summary"
    for raw in doc.strip().splitlines():
        line = raw.strip()
        header = re.match(r"^(%s):\s*(.*)$" % "|".join(map(re.escape, DOC_SECTIONS)), line)
        if header:
            current = header.group(1)
            sections[current] = [header.group(2)] if header.group(2) else []
        else:
            sections.setdefault(current, []).append(line)
    return {name: " ".join(" ".join(lines).split()) for name, lines in sections.items()}


def finding(meta: RuleMeta, component: Component, message: str, fix: str, span: Span | None = None,
            key: str = "", nodes: tuple[str, ...] = (), sources: tuple[str, ...] = ()) -> Finding:
    """A finding of `meta` on `component`, at `span` (default: where the component is declared); the rest of the
    span's origin chain becomes the finding's related locations. `sources` say where the message's figures come
    from (a price catalogue row and its date)."""
    where = span or component.span
    nodes = tuple(nodes)
    return Finding(rule=meta.id, message=message, file=where.file, line=where.line, node=component.id, fix=fix,
                   key=key, nodes=nodes[:MAX_NODES] if len(nodes) > MAX_NODES else nodes, related=locations(where),
                   sources=tuple(sources))


def locations(span: Span) -> tuple[Location, ...]:
    """The places of `span`'s origin chain after the first, as a finding's related locations (duplicates dropped)."""
    if not span.via:
        return ()
    seen = {(span.file, span.line)}
    found = []
    for place in span.via:
        if (place.file, place.line) not in seen:
            seen.add((place.file, place.line))
            found.append(Location(place.file, place.line, place.note))
    if len(found) > MAX_RELATED:  # the first places, and the origin itself, saying how many lie between
        last = found[-1]
        note = f"{last.note}; " if last.note else ""
        found = [*found[:MAX_RELATED - 1], Location(last.file, last.line, f"{note}{len(found) - MAX_RELATED} "
                                                                          "places between not listed")]
    return tuple(found)
