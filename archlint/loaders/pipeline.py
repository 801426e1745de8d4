"""Reads every file once, hands each document to the loader that claims it, and builds the one model."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from archlint.finding import Finding
from archlint.loaders import (appcode, backstage, cloudformation, compose, jaeger, kubernetes, layering, servicegraph,
                              terraform_plan, usage as usage_files)
from archlint.loaders.discover import SourcePath
from archlint.loaders.disk import Disk
from archlint.loaders.layout import Layout
from archlint.loaders.isolate import Place, describe, document_place, load_units
from archlint.loaders import reading, safe_read
from archlint.loaders.reading import CFN_MARKERS
from archlint.loaders.parsecache import ParseCache
from archlint.loaders.sharedload import SHARED_UP_TO
from archlint.loaders.yamlsource import Document, ParseError, is_template, parse_yaml
from archlint.model import ModelBuilder, SystemModel

#: The loaders, in the order they claim documents. A new format is one module and one entry here.
#: `claims(data, name)` sees a parsed document and its file name; Kubernetes claims any apiVersion and kind: last.
LOADERS: tuple[ModuleType, ...] = (servicegraph, backstage, compose, jaeger, cloudformation, terraform_plan,
                                   kubernetes)
DIRECTORY_LOADERS = reading.DIRECTORY_LOADERS

UNREADABLE, SKIPPED, STDIN_NAME = reading.UNREADABLE, reading.SKIPPED, reading.STDIN_NAME
INVALID_GRAPH = servicegraph.INVALID
#: Files larger than this are reported, not parsed: no manifest is this big, and memory stays bounded.
MAX_BYTES = safe_read.MAX_BYTES
#: JSON files are only reported as unreadable when they look like something archlint reads.
_JSON_MARKERS = (b'"apiVersion"', b'"AWSTemplateFormatVersion"', b'"resource_changes"', b'"Resources"')


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the engine needs of a file for suppressions: comment lines naming archlint, and document ranges."""

    name: str
    #: (line, text, line of the next code line when the comment stands alone on its line, else the same line)
    directives: tuple[tuple[int, str, int], ...]
    documents: tuple[tuple[int, int], ...]


@dataclass
class LoadResult:
    """The model, the `input` findings, and per-file facts and counts."""

    model: SystemModel
    findings: list[Finding]
    sources: dict[str, SourceInfo]
    stats: dict[str, int] = field(default_factory=dict)
    #: Writes what loading left to write: the parse cache, when `load(settle_later=True)` left it open. Calling it
    #: again does nothing.
    settle: Callable[[], None] = field(default=lambda: None)


#: CI pipeline files, by path: GitHub Actions, GitLab, CircleCI, Azure Pipelines, Bitbucket, Buildkite, Cloud Build.
_CI_FILE = re.compile(r"(^|/)(\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml|"
                      r"azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.buildkite/pipeline\.ya?ml|"
                      r"cloudbuild\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml)$")
#: GitOps controllers' objects (Argo CD, Flux): the cluster pulls its state from git.
_GITOPS = ("argoproj.io/", "kustomize.toolkit.fluxcd.io/", "source.toolkit.fluxcd.io/", "helm.toolkit.fluxcd.io/")


def load(paths: list[SourcePath], stdin: bytes | None = None, usage: SourcePath | None = None,
         cache: ParseCache | None = None, layout: Layout | None = None,
         meanwhile: Callable[[], object] | None = None, settle_later: bool = False) -> LoadResult:
    """Load the files (and standard input, when given) into one model, parsing through `cache` (else an
    in-memory one: large trees are still parsed on two cores), which is saved once every file is parsed.
    `meanwhile` is work of the caller's that this process does while a forked child parses (ParseCache.fill),
    if one does. The steps one by one: `reading.read`, `ParseCache.fill`, `load_read`."""
    done = reading.read(paths, stdin)
    cache = cache or ParseCache(None)
    cache.fill(done.jobs, meanwhile)
    return load_read(done, paths, usage, cache, layout, settle_later)


def load_read(done: reading.Read, paths: list[SourcePath], usage: SourcePath | None, cache: ParseCache,
              layout: Layout | None = None, settle_later: bool = False) -> LoadResult:
    """Load the files `reading.read` read from `paths` into one model, parsing through `cache` (filled ahead or
    not), which is saved once every file is parsed.

    Kubernetes documents are loaded one system and variant at a time (`layering`): kustomizations rendered,
    Helm charts rendered or reported, plain manifests grouped by directory, as `layout` (the configuration)
    declares where it does.

    Usage files (`usage`, and files named `*.usage.csv` or `*.usage.json` among the paths) are read last: their
    facts land on the built model's components (`attrs["usage"]`), before any rule runs. With `settle_later`,
    the cache of a tree small enough to keep it open is written by the result's `settle`, when the caller likes
    (while a child runs the rules), instead of before the model is built."""
    builder = ModelBuilder()
    problems, stats, measured, whole = done.problems, done.stats, done.measured, done.whole
    chosen, deferred, charts, parsed = done.chosen, done.deferred, done.charts, done.parsed
    sources: dict[str, SourceInfo] = {}
    claimed: dict[ModuleType, list[Document]] = defaultdict(list)
    layout = layout or Layout()
    by_file: dict[str, list[Document]] = {}
    templates: list[str] = []
    for name, data, mode in parsed:
        by_file[name] = documents = _parse(name, data, mode, problems, stats, cache, templates)
        sources[name] = SourceInfo(name, _directives(data), tuple((d.line, d.end_line) for d in documents))
    root = layering.scan_root(paths)
    claims: dict[int, tuple[ModuleType | None, list[Finding]]] = {}

    def claim_all() -> None:  # while a child renders kustomizations: which loader claims each document
        for name, _, _ in parsed:
            for document in by_file[name]:
                found: list[Finding] = []
                claims[id(document)] = (_claimant(document, name, found), found)

    kustomized = layering.render_kustomizations({name: data for name, data, mode in parsed if mode == "y"}, by_file,
                                    lambda data, name: cache.parse("y", data, name, parse_yaml), root, layout,
                                    problems, stats, cache, meanwhile=claim_all)
    # The bytes are parsed (and rendered, where kustomize reads them). The cache stays open for the Kubernetes
    # groups it keeps too, unless the tree is large: then it is written now, and the bytes and the cache's entries
    # go while the loaders work.
    count = sum(len(documents) for documents in by_file.values()) + sum(len(g.documents) for g in kustomized.groups)
    memo = cache if cache.active and count <= SHARED_UP_TO else None
    if memo is None:
        cache.save()
    names = [name for name, _, _ in parsed]
    del parsed
    done.parsed = []
    manifests: dict[str, list[Document]] = defaultdict(list)
    for name in names:
        if _CI_FILE.search(name):
            builder.delivery.append(name)
        formats = set()
        for document in by_file[name]:
            stats["documents"] += 1
            if isinstance(document.data, dict) and _text(document.data.get("apiVersion")).startswith(_GITOPS):
                builder.delivery.append(name)
            if name in kustomized.consumed:
                formats.add("kustomize")
                continue  # judged through the kustomizations that read it
            known = claims.get(id(document))
            if known is None:
                loader = _claimant(document, name, problems)
            else:  # claimed while the kustomizations were rendered (what the loader said about it, too)
                loader = known[0]
                problems.extend(known[1])
            if loader is None:
                if document.data:  # an empty document (a trailing `---`) holds nothing to skip
                    stats["skipped.unknown-documents"] += 1
                continue
            if loader is kubernetes:
                manifests[name].append(document)
            else:
                claimed[loader].append(document)
            stats[f"documents.{loader.FORMAT}"] += 1
            formats.add(loader.FORMAT)
        for format_name in formats:  # the coverage report's files per format
            stats[f"files.{format_name}"] += 1
    del by_file, claims  # every document is in `manifests`, `claimed` or a kustomization's groups now
    for loader in LOADERS:
        if loader is kubernetes:
            layering.load_kubernetes(manifests, kustomized, charts, root, layout, builder, problems, stats, memo)
            if not settle_later:
                cache.save()
        elif claimed.get(loader):
            load_units(claimed[loader], _document_loader(loader), builder, problems, stats, document_place,
                       _DOCUMENT_NAMES.get(loader.FORMAT, "document"))
    problems.extend(layering.unread_templates(templates, stats))
    for loader in DIRECTORY_LOADERS:
        if whole.get(loader):
            # A loader that READS_DISK may read files the scan does not list (a module a Terraform call names).
            disk = Disk({s.name: s.path for s in chosen}) if getattr(loader, "READS_DISK", False) else None
            blocks = load_units(whole[loader], _directory_loader(loader, disk, layout), builder, problems, stats,
                                lambda file: Place(file[0], 1), _FILE_NAMES[loader.FORMAT]) or {}
            for name, data in [*whole[loader], *(disk.extra.items() if disk else ())]:
                sources.setdefault(name, SourceInfo(name, _directives(data), blocks.get(name, ())))
            stats[f"files.{loader.FORMAT}"] += len(whole[loader]) + (len(disk.extra) if disk else 0)
            stats["documents"] += stats[f"documents.{loader.FORMAT}"]
    _application_code(deferred, whole, builder, problems, sources, stats)
    builder.files, builder.documents = stats["files"], stats["documents"]
    # Every file's parsed documents are read by now: let them go before the model is built (the larger half of a
    # run's peak memory), keeping only what the loaders put in the builder.
    del manifests, claimed, whole, kustomized
    model = builder.build()
    if usage is not None and usage.name not in {name for name, _ in measured}:
        data = reading.read_file(usage, problems)
        measured += [(usage.name, data)] if data is not None else []
    for name, data in measured:
        problems.extend(usage_files.load(model, name, data))
    for dep in builder.unresolved:
        problems.append(Finding(INVALID_GRAPH, f"dependency of {dep.source} on unknown component {dep.target!r}",
                                dep.span.file, dep.span.line, node=dep.source, key=f"unknown:{dep.target}",
                                fix="Name a component declared in the service graph or a workload in the manifests."))
    return LoadResult(model, problems, sources, dict(sorted(stats.items())), cache.save)


#: How a unit of each loader is named in a finding about it ("cannot load this Kubernetes document: ...").
_DOCUMENT_NAMES = {"kubernetes": "Kubernetes document", "service-graph": "service graph", "backstage":
                   "Backstage entity", "compose": "Compose file", "jaeger": "Jaeger dependency export",
                   "cloudformation": "CloudFormation template", "terraform-plan": "Terraform plan"}
_FILE_NAMES = {"terraform": "Terraform file", "python-iac": "Python file"}


def _document_loader(loader: ModuleType):
    def load_documents(documents: list[Document], builder: ModelBuilder, problems: list[Finding],
                       stats: dict[str, int]) -> None:
        loader.load(documents, builder, problems)
    return load_documents


def _directory_loader(loader: ModuleType, disk: Disk | None, layout: Layout):
    def load_directory(files: list[tuple[str, bytes]], builder: ModelBuilder, problems: list[Finding],
                       stats: dict[str, int]) -> dict:
        return loader.load_files(files, builder, problems, stats, *([disk, layout] if disk else []))
    return load_directory


def _claimant(document: Document, name: str, problems: list[Finding]) -> ModuleType | None:
    """The first loader that claims the document; one that raises on it makes it an IN001 finding instead."""
    for loader in LOADERS:
        try:
            if loader.claims(document.data, name):
                return loader
        except Exception as error:  # noqa: BLE001  (a document a loader cannot even look at costs that document)
            from archlint import debug

            place = document_place(document)
            debug.show(error, f"{loader.FORMAT} looking at {name}:{place.line}")
            problems.append(Finding(UNREADABLE, f"cannot read this document: {describe(error)}", name, place.line,
                                    key=f"claim:{place.key}", fix="Check the document's top-level keys."))
            return None
    return None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _application_code(deferred: list[SourcePath], read: dict[ModuleType, list[tuple[str, bytes]]],
                      builder: ModelBuilder, problems: list[Finding], sources: dict[str, SourceInfo],
                      stats: dict[str, int]) -> None:
    """Scan the Python files inside the components' source directories, known only once the descriptions are
    loaded, for facts on those components. A file a directory loader has read is not read again; a deferred one
    is read now only if a component claims it, and every other one is never opened."""
    have = {name: data for loader in DIRECTORY_LOADERS for name, data in read.get(loader, ())
            if name.endswith(appcode.EXTENSIONS)}
    waiting = {source.name: source for source in deferred}
    owners = appcode.select([*have, *waiting], builder.components(), stats)
    files = []
    for name in sorted(owners):
        data = have.get(name)
        if data is None:
            data = reading.read_file(waiting[name], problems)
            if data is None:
                continue
            stats["files"] += 1
            sources[name] = SourceInfo(name, _directives(data), ())
        files.append((name, data))
    appcode.load_files(files, owners, stats)


def _parse(name: str, data: bytes, mode: str | None, problems: list[Finding], stats: dict[str, int],
           cache: ParseCache, templates: list[str]) -> list[Document]:
    if mode is None:
        return []
    try:
        documents = cache.parse(mode, data, name, reading.PARSERS[mode])
        if mode == "y" and _is_template(data, strict=True, documents=documents):
            stats["skipped.templates"] += 1
            templates.append(name)
            return []
        return documents
    except ParseError as error:
        if mode == "y" and _is_template(data, strict=False):
            stats["skipped.templates"] += 1
            templates.append(name)
            return []
        return _unparsed(name, data, error, problems, stats)
    except Exception as error:  # noqa: BLE001  (whatever the reader raises on one file costs that file)
        from archlint import debug

        debug.show(error, f"reading {name}")
        return _unparsed(name, data, ParseError(f"cannot read the file: {describe(error)}", 1), problems, stats)


def _unparsed(name: str, data: bytes, error: ParseError, problems: list[Finding],
              stats: dict[str, int]) -> list[Document]:
    if name.endswith(".json") and not any(marker in data for marker in _JSON_MARKERS):
        stats["skipped.other-json"] += 1
        return []
    where = f" (column {error.column})" if error.column else ""
    problems.append(Finding(UNREADABLE, f"{error.message}{where}",
                            name, error.line, fix="Fix the syntax, or exclude the file."))
    return []


def _is_template(data: bytes, strict: bool, documents: list[Document] = ()) -> bool:
    """A template is a file that is not YAML because of its markers (Helm, Jinja); a valid YAML document with
    `{{` inside a string value is read like any other. `strict`: the file parsed, but the reader is lenient with
    keys: `{{ .Values.name }}` is a flow mapping used as a key, which it keeps as the text of that mapping."""
    if not is_template(data) or any(marker in data for marker in CFN_MARKERS):
        return False
    if not strict:
        return True
    pending = [d.data for d in documents]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and key.startswith("{") and key.endswith("}") and ": None" in key:
                    return True  # a template expression, not a key
                if isinstance(item, (dict, list)):
                    pending.append(item)
        elif isinstance(value, list):
            pending.extend(v for v in value if isinstance(v, (dict, list)))
    return False


def _directives(data: bytes) -> tuple[tuple[int, str, int], ...]:
    """Lines with an `archlint:` comment, found without decoding the whole file unless one is there.

    A comment alone on its line applies to the next line of content (blank lines, other comments and `---`
    skipped), so that it can stand above a key or above a whole document.
    """
    if b"archlint:" not in data:
        return ()
    lines = data.decode("utf-8", errors="replace").splitlines()
    found = []
    for index, line in enumerate(lines):
        if "archlint:" not in line:
            continue
        target = index
        if line.lstrip().startswith("#"):
            target = index + 1
            while target < len(lines) and (not lines[target].strip() or lines[target].lstrip().startswith("#")
                                           or lines[target].startswith("---")):
                target += 1
        found.append((index + 1, line, target + 1))
    return tuple(found)
