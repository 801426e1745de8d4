"""Kubernetes repositories as they are laid out: kustomizations rendered (the files they read judged through them),
Helm charts rendered or reported, and every system and variant loaded on its own, so that selectors, budgets,
autoscalers, network policies and inferred calls never link across unrelated directories."""

from __future__ import annotations

import hashlib
import marshal
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from archlint.finding import Finding, Location
from archlint.loaders import helm, kubernetes, kustomize
from archlint.loaders.discover import SourcePath
from archlint.loaders.isolate import document_place, load_units
from archlint.loaders.layout import Layout
from archlint.loaders.parsecache import secret_values
from archlint.loaders.sharedload import group_key, load_groups
from archlint.loaders.kustomize.origin import adopt, sourced
from archlint.loaders.systems import Group, copies, declared, kustomize_systems, plain_groups
from archlint.loaders.yamlsource import Document
from archlint.model import ModelBuilder, Span

NOT_READ = "IN006"
_KUSTOMIZE_API = "kustomize.config.k8s.io/"


@dataclass
class Kustomized:
    """Every kustomization of the scan rendered: the files they read, and one group per variant."""

    consumed: set[str] = field(default_factory=set)
    groups: list[Group] = field(default_factory=list)


def scan_root(paths: list[SourcePath]) -> Path | None:
    """The directory file names are relative to, from any path given (None for standard input alone)."""
    for source in paths:
        parts = source.name.split("/")
        if ".." in parts or source.name.startswith("/"):
            continue
        root = source.path
        for _ in parts:
            root = root.parent
        return root
    return None


def _is_kustomization(name: str, documents: list[Document]) -> bool:
    if kustomize.is_kustomization(name):
        return True
    data = documents[0].data if len(documents) == 1 else None
    return isinstance(data, dict) and str(data.get("apiVersion", "")).startswith(_KUSTOMIZE_API) \
        and data.get("kind") in ("Kustomization", "Component")


def render_kustomizations(files: dict[str, bytes], by_file: dict[str, list[Document]],
              parse: Callable[[bytes, str], list[Document]], root: Path | None, layout: Layout,
              problems: list[Finding], stats: dict[str, int], memo: Any = None,
              meanwhile: Callable[[], object] | None = None) -> Kustomized:
    """Render every kustomization; those no other one includes are the variants. `memo` (the parse cache: `recall`
    and `keep`) holds renderings of earlier runs, each taken while nothing it read has changed
    (archlint.loaders.kustomize.memo). `meanwhile` is the caller's work, done while a forked child renders, if
    one does."""
    result = Kustomized()
    found = sorted(name for name in files if _is_kustomization(name, by_file.get(name, [])))
    if not found:
        return result
    # files that failed to parse are not in `by_file` with documents: the tree parses them again to say why
    tree = kustomize.FileTree(files, parse, root, {n: d for n, d in by_file.items() if d or not files.get(n, b"").strip()})
    # a kustomization another one includes is rendered through it, not on its own
    included = {other for name in found for other in _includes(tree, name, by_file.get(name, [])) if other != name}
    used: dict[str, bytes] = {}  # the digest of each rendering's kept entry: the origin of its documents
    if memo is not None:
        from archlint.loaders.kustomize.memo import cached_renders

        renderings = cached_renders(tree, [name for name in found if name not in included], memo.recall, memo.keep,
                                    used=used, meanwhile=meanwhile)
    else:
        renderings = {name: kustomize.render(tree, name) for name in found if name not in included}
    variants = {name: r for name, r in renderings.items() if not r.component}
    for r in renderings.values():
        result.consumed |= r.consumed
    seen: set[tuple] = set()
    for name in sorted(variants):
        for problem in variants[name].problems:
            key = (problem.rule, problem.span.file, problem.span.line, problem.message)
            if key in seen:
                continue
            seen.add(key)
            if problem.what:
                stats[f"unread.{problem.what}"] += 1
            related = tuple(Location(p.file, p.line, p.note) for p in problem.span.via)
            problems.append(Finding(problem.rule, problem.message, problem.span.file, problem.span.line,
                                    fix=problem.fix, key=f"kustomize:{problem.message}", related=related))
    for name in sorted(renderings):
        if renderings[name].component:
            for problem in renderings[name].problems:
                if problem.rule == kustomize.NOT_RENDERED and not problem.contextual:
                    problems.append(Finding(problem.rule, problem.message, problem.span.file, problem.span.line,
                                            fix=problem.fix, key=f"kustomize:{problem.message}"))
    labels = kustomize_systems({name: variants[name].consumed for name in variants}, layout.systems)
    for name in sorted(variants):
        system, variant = labels[name]
        stats["kustomize.variants"] += 1
        stats["kustomize.objects"] += len(variants[name].resources)
        stats["documents.kustomize"] += len(variants[name].resources)  # the coverage block: what they render
        documents = [Document(r.data, r.data.span.file, r.data.span.line, r.data.span.line)
                     for r in variants[name].resources]
        result.groups.append(Group(system, variant, documents, b"k" + used[name] if name in used else None))
    return result


def _includes(tree: kustomize.FileTree, name: str, documents: list[Document]) -> list[str]:
    """The kustomization files a kustomization names as resources, bases or components (directories)."""
    data = documents[0].data if documents else None
    if not isinstance(data, dict):
        return []
    directory = posixpath.dirname(name)
    found = []
    for key in ("resources", "bases", "components"):
        entries = data.get(key) if isinstance(data.get(key), list) else ()
        for entry in entries:
            path = posixpath.normpath(posixpath.join(directory, str(entry)))
            if not path.startswith("..") and "://" not in str(entry) and tree.is_dir(path):
                sub = kustomize.kustomization_file(tree, path)
                if sub:
                    found.append(sub)
    return found


class _Identities:
    """(kind, namespace, name) of the objects a document defines, worked out once per document."""

    def __init__(self) -> None:
        self.known: dict[int, list[tuple[str, str, str]]] = {}

    def __call__(self, document: Document) -> list[tuple[str, str, str]]:
        found = self.known.get(id(document))
        if found is None:
            found = self.known[id(document)] = _keys(document.data)
        return found


def _keys(data: object) -> list[tuple[str, str, str]]:
    if not isinstance(data, dict):
        return []
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list):
        return [key for item in data["items"] for key in _keys(item)]
    if not isinstance(kind, str) or not isinstance(data.get("apiVersion"), str):
        return []
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    name = metadata.get("name") or metadata.get("generateName") or ""
    return [(kind, str(metadata.get("namespace") or "default"), str(name))]


def load_kubernetes(manifests: dict[str, list[Document]], kustomized: Kustomized, charts: list[str],
                    root: Path | None, layout: Layout, builder: ModelBuilder, problems: list[Finding],
                    stats: dict[str, int], memo: Any = None) -> None:
    """Load each variant of each system on its own (the model knows its boundaries). Takes the documents:
    `manifests` and `kustomized.groups` are emptied, and each group's documents let go once it is loaded, so that
    the model is built in the memory the documents held. With `memo` (the parse cache: its entries, and the
    digest of each file it parsed), a group whose documents are made of what they were made of before is taken
    from the cache."""
    found = copies(manifests, [d for g in kustomized.groups for d in g.documents], _Identities())
    copied = {c.file for c in found}
    groups = plain_groups({n: d for n, d in manifests.items() if n not in copied}, layout.systems)
    tokens = _Tokens(memo.digests, memo.suspects) if memo is not None else _Tokens({}, set())
    for group in groups:
        group.origin = tokens.origin(b"p", group.documents, tokens.plain)
    for group in kustomized.groups:
        tokens.rendered(group)
    groups += kustomized.groups
    groups += _copy_groups(found, groups, stats, tokens)
    del found
    manifests.clear()
    kustomized.groups.clear()
    for chart in charts:
        documents, unread = helm.render(chart, root, layout.helm, stats)
        problems.extend(unread)
        if documents:
            spec = declared(chart, layout.systems)
            groups.append(Group(spec.name if spec else chart, None, documents))
    groups = _chosen(groups, layout, stats)
    systems = {g.system for g in groups}
    single = len(groups) == 1 and not layout.systems
    groups.sort(key=lambda g: (g.system, g.variant or ""))
    groups = [g for g in groups if g.documents]
    jobs = [(g.documents, (None, None) if single else (g.system, g.variant)) for g in groups]
    keys = [group_key(scope, g.origin, tokens.held.get(g.origin, ())) for g, (_, scope) in zip(groups, jobs)] \
        if memo is not None else None
    del groups
    # on two cores, and from the cache when the documents are as they were (sharedload.py)
    load_groups(jobs, _load_documents, builder, problems, stats, keys, memo)
    builder.scope(None, None)
    stats["systems"] = len(systems) if not single else 1


def _load_documents(documents: list[Document], builder: ModelBuilder, problems: list[Finding],
                    stats: dict[str, int]) -> None:
    """One group: a document the loader raises on costs that document (isolate.py)."""
    load_units(documents, _load_kubernetes, builder, problems, stats, document_place, "Kubernetes document")


def _load_kubernetes(documents: list[Document], builder: ModelBuilder, problems: list[Finding],
                     stats: dict[str, int]) -> None:
    kubernetes.load(documents, builder, problems)


def _copy_groups(found: list, groups: list[Group], stats: dict[str, int], tokens: _Tokens) -> list[Group]:
    """Each copy as one more variant of its source's system: the source's documents, with the copy's place as a
    related location, so that its findings are the source's, listing the copy among the variants."""
    where = {id(d): g for g in groups for d in g.documents}
    result = []
    for found_copy in found:
        documents, system = [], None
        origin = tokens.origin(b"c", [d for pair in found_copy.pairs for d in pair], tokens.any)
        for mine, source in found_copy.pairs:
            data = source.data if hasattr(source.data, "key_spans") else adopt(source.data, source.file, 0, source.line)
            # the object itself says where its copy is; its values are the source's (shared, never changed)
            top = sourced(data.span.through(Span(mine.file, getattr(mine.data, "line", mine.line), note="identical copy")))
            top.update(data)
            top.key_spans.update(data.key_spans)
            top.key_lines.update(data.key_lines)
            data = top
            documents.append(Document(data, data.span.file, data.span.line, data.span.line))
            owner = where.get(id(source))
            system = system or (owner.system if owner else None)
        stats["copies"] += 1
        result.append(Group(system or (posixpath.dirname(found_copy.file) or "."), found_copy.file, documents,
                            origin))
    return result


class _Tokens:
    """What each document is made of: a plain manifest, its file's digest and its place; a rendered one, its
    rendering's entry and its place in it (None for a document of unknown origin). The values of the Secrets
    among them are noted: an entry that holds one is never kept (the cache keeps no credentials)."""

    def __init__(self, digests: dict[str, bytes], suspects: set[str]) -> None:
        self.digests, self.suspects = digests, suspects  # suspects: files whose text could hold a Secret
        self.of_rendered: dict[int, bytes] = {}
        self.secrets: dict[int, list[bytes]] = {}
        #: The Secret values among the documents of each origin, which an entry kept for them may not hold.
        self.held: dict[bytes, tuple[bytes, ...]] = {}

    def plain(self, document: Document) -> bytes | None:
        digest = self.digests.get(document.file)
        if digest is None:
            return None
        values = secret_values(document.data) if document.file in self.suspects else []
        if values:
            self.secrets[id(document)] = values
        return marshal.dumps((document.file, digest, document.line, document.end_line))

    def rendered(self, group: Group) -> None:
        if group.origin is not None:
            for index, document in enumerate(group.documents):
                self.of_rendered[id(document)] = marshal.dumps((group.origin, index))

    def any(self, document: Document) -> bytes | None:
        return self.of_rendered.get(id(document)) or self.plain(document)

    def origin(self, kind: bytes, documents: list[Document],
               token: Callable[[Document], bytes | None]) -> bytes | None:
        parts, held = [kind], []
        for document in documents:
            part = token(document)
            if part is None:
                return None
            parts.append(part)
            held += self.secrets.get(id(document), ())
        origin = hashlib.blake2b(b"".join(parts), digest_size=16).digest()
        if held:
            self.held[origin] = tuple(held)
        return origin


def _chosen(groups: list[Group], layout: Layout, stats: dict[str, int]) -> list[Group]:
    """Only the variant a declared system names as the one to judge, when it names one."""
    wanted = {spec.name: spec.variant for spec in layout.systems if spec.variant}
    if not wanted:
        return groups
    kept = []
    for group in groups:
        choice = wanted.get(group.system)
        if choice is None or group.variant is None or _same_variant(group.variant, choice):
            kept.append(group)
        else:
            stats["skipped.variants"] += 1
    return kept


def _same_variant(label: str, choice: str) -> bool:
    choice = choice.strip("/")
    return label == choice or label.endswith("/" + choice)


def unread_templates(names: list[str], stats: dict[str, int]) -> list[Finding]:
    """One IN006 per directory of template files (Helm, Jinja) found outside any chart: said, not read."""
    by_directory: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_directory[posixpath.dirname(name) or "."].append(name)
    found = []
    for directory, files in sorted(by_directory.items()):
        stats["unread.templates"] += len(files)
        count = f"{len(files)} template files" if len(files) > 1 else "a template file"
        found.append(Finding(NOT_READ, f"{count} in {directory} not read: they are templates (Helm, Jinja) outside "
                             "a chart, not manifests", sorted(files)[0], 1, key=f"templates:{directory}",
                             fix="Render them and pipe the result (`helm template CHART | archlint check -`), or "
                             "keep the chart's Chart.yaml beside its templates so archlint renders it."))
    return found


__all__ = ["Kustomized", "Span", "render_kustomizations", "load_kubernetes", "scan_root", "unread_templates"]
