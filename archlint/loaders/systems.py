"""Which documents belong to which system and variant, decided once, before any loader links objects.

A kustomization that no other one includes is a variant; variants that share files (a base, a component) are
variants of one system. A Helm chart is a system. Plain manifests form one system per directory; a file whose
every object another file or kustomization defines identically (a generated all-in-one manifest) is a copy,
judged through its source as one more variant of it. Systems the configuration declares take their files first."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field

from archlint.loaders.layout import SystemSpec
from archlint.loaders.yamlsource import Document


@dataclass
class Group:
    """The documents of one variant of one system, loaded together (and linked only among themselves)."""

    system: str
    variant: str | None
    documents: list[Document] = field(default_factory=list)
    #: What the documents are made of, when it is known (equal origins, equal documents): the key a later run
    #: finds the loaded group under (archlint.loaders.sharedload). None: the group is loaded on every run.
    origin: bytes | None = None


def common_directory(paths: list[str]) -> str:
    parts = [p.split("/") for p in paths]
    shared = []
    for names in zip(*parts):
        if len(set(names)) != 1:
            break
        shared.append(names[0])
    return "/".join(shared) or "."


def declared(name: str, specs: tuple[SystemSpec, ...]) -> SystemSpec | None:
    """The declared system a file (or directory) belongs to: the one with the longest matching path."""
    best, length = None, -1
    for spec in specs:
        for path in spec.paths:
            path = path.strip("/") or "."
            if (path == "." or name == path or name.startswith(path + "/")) and len(path) > length:
                best, length = spec, len(path)
    return best


def plain_groups(documents: dict[str, list[Document]], specs: tuple[SystemSpec, ...]) -> list[Group]:
    """Groups of plain manifests: one system per directory (or per declared system), loaded together."""
    by_system: dict[str, list[str]] = defaultdict(list)
    for name in sorted(documents):
        spec = declared(name, specs)
        by_system[spec.name if spec else (posixpath.dirname(name) or ".")].append(name)
    return [Group(system, None, [d for n in names for d in documents[n]]) for system, names in sorted(by_system.items())]


def kustomize_systems(variants: dict[str, set[str]], specs: tuple[SystemSpec, ...]) -> dict[str, tuple[str, str | None]]:
    """(system, variant label) for each variant kustomization file, given the files each one read: variants that
    read a common file are one system, named by their common directory (or the declared system)."""
    parent = {name: name for name in variants}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    readers: dict[str, list[str]] = defaultdict(list)
    for name, files in variants.items():
        for file in files:
            readers[file].append(name)
    for names in readers.values():
        for other in names[1:]:
            parent[find(other)] = find(names[0])
    members: dict[str, list[str]] = defaultdict(list)
    for name in variants:
        members[find(name)].append(name)
    result: dict[str, tuple[str, str | None]] = {}
    for names in members.values():
        directories = sorted(posixpath.dirname(n) or "." for n in names)
        spec = declared(directories[0], specs)
        # named by the directory holding all they read: the overlays and the base they share
        read = sorted({posixpath.dirname(f) or "." for n in names for f in variants[n]} | set(directories))
        system = spec.name if spec else common_directory(read)
        for name in names:
            label = posixpath.dirname(name) or "."
            result[name] = (system, label if len(names) > 1 else None)
    return result


@dataclass
class Copy:
    """A file of plain manifests whose every object another file or kustomization defines identically (an
    all-in-one manifest generated from the per-service files): judged through its source, listed as a variant."""

    file: str
    #: (the document of the copy, the identical document of the source it stands for)
    pairs: list[tuple[Document, Document]]


def copies(manifests: dict[str, list[Document]], rendered: list[Document], identities) -> list[Copy]:
    """The files of `manifests` that copy others (largest first, so an all-in-one is the copy and the per-service
    files it was made from are the sources; of two identical files the later name is the copy)."""
    size = {name: sum(len(identities(d)) for d in documents) for name, documents in manifests.items()}
    defined: dict[tuple, int] = defaultdict(int)  # how many files (or renderings) define each object
    for document in rendered:
        for key in identities(document):
            defined[key] += 1
    for name, documents in manifests.items():
        for key in {k for d in documents for k in identities(d)}:
            defined[key] += 1
    candidates = [name for name in manifests if size[name] >= 2
                  and all(defined[k] >= 2 for d in manifests[name] for k in identities(d))]
    if not candidates:
        return []
    wanted = {k for name in candidates for d in manifests[name] for k in identities(d)}
    sources: dict[tuple, list[tuple[str, Document]]] = defaultdict(list)
    for document in rendered:
        for key in identities(document):
            if key in wanted:
                sources[key].append(("", document))
    for name in sorted(manifests):
        for document in manifests[name]:
            for key in identities(document):
                if key in wanted:
                    sources[key].append((name, document))
    order = sorted(sorted(candidates, reverse=True), key=lambda n: -size[n])  # largest first; of equals, the later name
    found: list[Copy] = []
    gone: set[str] = set()

    for name in order:
        if size[name] < 2:
            continue
        documents = [d for d in manifests[name] if identities(d)]
        if len(documents) < 2 or any(len(identities(d)) != 1 for d in documents):
            continue
        pairs = []
        for document in documents:
            key = identities(document)[0]
            # equal data (mappings compare by content, whatever their origins): an identical object
            match = next((d for owner, d in sources.get(key, ()) if owner != name and owner not in gone
                          and d.data == document.data), None)
            if match is None:
                break
            pairs.append((document, match))
        else:
            gone.add(name)
            found.append(Copy(name, pairs))
    return found
