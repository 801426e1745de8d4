"""Walks the paths given on the command line and lists the files archlint reads, in a stable order."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

#: Directories never entered: version control, dependencies, tool caches.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".terraform", ".venv", "venv", "__pycache__",
                          ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                          "cdk.out"})  # cdk.out holds templates synthesized from a CDK app archlint reads itself

#: archlint's own configuration is read by the engine, not loaded as part of the system.
SKIPPED_FILES = frozenset({".archlint.yaml"})

#: File name endings that some loader reads.
EXTENSIONS = (".yaml", ".yml", ".json", ".template", ".tf", ".tfvars", ".py")


@dataclass(frozen=True, slots=True)
class SourcePath:
    """A file to read: where it is on disk and how it is named in findings (relative, forward slashes). `skip`
    says why a path found is not read at all (a directory that could not be entered), for the finding."""

    path: Path
    name: str
    skip: str = ""


def relative_name(path: Path, root: Path) -> str:
    """The path as findings show it: relative to the scan root when inside it, forward slashes."""
    absolute, base = os.path.abspath(path), str(root)
    if absolute == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):  # string work: Path.relative_to costs 40 us a file on a big tree
        return Path(absolute[len(prefix):]).as_posix()
    return path.as_posix()


def excluded(name: str, patterns: tuple[str, ...]) -> bool:
    """Glob patterns match the relative path, any of its parent directories, or the bare file name."""
    if not patterns:
        return False
    parts = name.split("/")
    candidates = [name, parts[-1]] + ["/".join(parts[:i]) for i in range(1, len(parts))]
    for pattern in patterns:
        stripped = pattern.rstrip("/")
        if stripped.endswith("/**"):
            stripped = stripped[:-3]
        if any(fnmatch.fnmatchcase(c, pattern) or fnmatch.fnmatchcase(c, stripped) for c in candidates):
            return True
    return False


def discover(paths: list[Path], root: Path, exclude: tuple[str, ...] = ()) -> list[SourcePath]:
    """Files under `paths` with a known extension, minus skipped directories and excludes; sorted, no duplicates.

    A file named explicitly is read whatever its extension. Symbolic links to directories are not followed, so
    link loops cannot trap the walk; links to files are listed, and reading them decides whether they stay inside
    the tree. The walk keeps its own stack (no recursion: a tree can be nested deeper than Python's stack), and a
    directory it cannot enter is listed as skipped, with the reason. `root` must be absolute.
    """
    found: dict[str, SourcePath] = {}
    for path in paths:
        if path.is_dir():
            _walk(path, root, exclude, found)
        elif path.exists() or path.is_symlink():
            _add(found, path, root, exclude)
    return [found[name] for name in sorted(found)]


def _walk(top: Path, root: Path, exclude: tuple[str, ...], found: dict[str, SourcePath]) -> None:
    # Each directory is (its path, its name relative to the root with a trailing "/"): a child's path is joined to
    # its parent's (parsing a whole path again costs twice as much) and its name is string work.
    prefix = relative_name(top, root)
    stack = [(Path(top), "" if prefix == "." else prefix + "/")]
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as entries:
                listed = list(entries)
        except OSError as error:
            name = prefix.rstrip("/") or "."
            found.setdefault(name, SourcePath(directory, name,
                                              skip=f"directory could not be read: {error.strerror or error}"))
            continue
        subdirectories = []
        for entry in listed:
            filename = entry.name
            try:
                is_directory = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_directory = False
            if is_directory:
                if filename not in SKIPPED_DIRS and not excluded(prefix + filename, exclude):
                    subdirectories.append(filename)
            elif filename.endswith(EXTENSIONS) and filename not in SKIPPED_FILES:
                name = prefix + filename
                if name not in found and not excluded(name, exclude):
                    found[name] = SourcePath(directory / filename, name)
        stack.extend((directory / d, prefix + d + "/") for d in sorted(subdirectories, reverse=True))


def _add(found: dict[str, SourcePath], path: Path, root: Path, exclude: tuple[str, ...]) -> None:
    name = relative_name(path, root)
    if excluded(name, exclude):
        return
    found.setdefault(name, SourcePath(path, name))
