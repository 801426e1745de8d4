"""Kustomize, natively: kustomizations rendered in Python as `kustomize build` renders them, every value keeping
the file and line it came from (the base, the overlay's patch, the generator), never fetching anything."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Callable

from archlint.loaders.kustomize.rendering import FILE_NAMES, NOT_READ, NOT_RENDERED, Rendering, Tree, kustomization_file
from archlint.loaders.kustomize.origin import Sourced
from archlint.loaders.kustomize.resources import Problem, Resource
from archlint.loaders.yamlsource import Document, ParseError

__all__ = ["FILE_NAMES", "NOT_READ", "NOT_RENDERED", "FileTree", "Problem", "Rendering", "Resource", "Sourced", "is_kustomization",
           "kustomization_file", "render"]


def render(tree: Tree, file: str) -> Rendering:
    """Render the kustomization `file` (a kustomization.yaml) of `tree` (the renderer is imported when a run first
    renders: renderings kept in the parse cache need none of it)."""
    from archlint.loaders.kustomize.build import render as build

    return build(tree, file)


def is_kustomization(name: str) -> bool:
    """A kustomization file, by the names kustomize looks for."""
    return posixpath.basename(name) in FILE_NAMES


class FileTree:
    """The files of a scan, by name relative to the scan root, for kustomizations to read.

    The scanned files are read from memory and parsed through `parse` (the pipeline's parse cache); other files a
    kustomization names (env files, files outside the paths given) are read from disk under `root`, never through a
    link that leads out of it."""

    def __init__(self, files: dict[str, bytes], parse: Callable[[bytes, str], list[Document]],
                 root: Path | None = None, parsed: dict[str, list[Document]] | None = None) -> None:
        """`parsed`: documents the scan already has (never parsed twice)."""
        self.files, self.parse, self.root = files, parse, root
        self.directories: set[str] = set()
        for name in files:
            parent = posixpath.dirname(name)
            while parent and parent not in self.directories:
                self.directories.add(parent)
                parent = posixpath.dirname(parent)
        self._parsed: dict[str, list[Document] | ParseError] = dict(parsed or {})
        self._disk: dict[str, bytes | None] = {}
        self._disk_dirs: dict[str, bool] = {}
        self._base: Path | None = None

    def _path(self, name: str) -> Path | None:
        if self.root is None or name.startswith("../") or name == "..":
            return None
        path = self.root / name
        try:
            if self._base is None:
                self._base = self.root.resolve()
            resolved = path.resolve()
        except OSError:
            return None
        return path if resolved == self._base or self._base in resolved.parents else None

    def _bytes(self, name: str) -> bytes | None:
        if name in self.files:
            return self.files[name]
        if name not in self._disk:
            path = self._path(name)
            data = None
            if path is not None and path.is_file():
                try:
                    data = path.read_bytes() if path.stat().st_size <= 20 * 1024 * 1024 else None
                except OSError:
                    data = None
            self._disk[name] = data
        return self._disk[name]

    def bytes_of(self, name: str) -> bytes | None:
        """The file's bytes; None when there is no such file (or it may not be read)."""
        return self._bytes(name)

    def is_file(self, name: str) -> bool:
        return name in self.files or self._bytes(name) is not None

    def is_dir(self, name: str) -> bool:
        if name in ("", ".") or name in self.directories:
            return True
        if name in self.files:
            return False
        known = self._disk_dirs.get(name)
        if known is None:
            path = self._path(name)
            known = self._disk_dirs[name] = path is not None and path.is_dir()
        return known

    def documents(self, name: str) -> list[Document]:
        if name not in self._parsed:
            data = self._bytes(name)
            if data is None:
                self._parsed[name] = ParseError("file not found", 1)
            else:
                try:
                    self._parsed[name] = self.parse(data, name)
                except ParseError as error:
                    self._parsed[name] = error
        result = self._parsed[name]
        if isinstance(result, ParseError):
            raise result
        return result

    def text(self, name: str) -> str | None:
        data = self._bytes(name)
        return data.decode("utf-8", errors="replace") if data is not None else None
