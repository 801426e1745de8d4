"""What a rendering is and the names around it (the kustomization files, the findings' rules), apart from the
renderer: a run whose renderings all come from the parse cache (memo.py) never imports the renderer itself."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from archlint.loaders.kustomize.resources import Problem, Resource
    from archlint.loaders.yamlsource import Document

FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
NOT_RENDERED, NOT_READ = "IN012", "IN006"


class Tree(Protocol):
    """The files a kustomization may read: names relative to the scan root, never outside it."""

    def is_file(self, name: str) -> bool: ...
    def is_dir(self, name: str) -> bool: ...
    def documents(self, name: str) -> list[Document]: ...
    def text(self, name: str) -> str | None: ...


def kustomization_file(tree: Tree, directory: str) -> str | None:
    for name in FILE_NAMES:
        path = posixpath.join(directory, name) if directory not in ("", ".") else name
        if tree.is_file(path):
            return path
    return None


class Rendering:
    """What one kustomization renders to, which files it read, and what it could not do."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.directory = posixpath.dirname(file)
        self.resources: list[Resource] = []
        self.consumed: set[str] = set()
        #: the kustomization files it includes (bases, components), its own too
        self.included: set[str] = set()
        self.problems: list[Problem] = []
        #: a Component: rendered on its own only to know which files it reads
        self.component = False
