"""The files of another revision (`--base REF`), read from git into a temporary directory: the work tree, the index
and HEAD are never touched."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tempfile


class BaseRevisionError(Exception):
    """The base revision cannot be read: not a git repository, an unknown ref, git missing."""


def _git(cwd: Path, *args: str) -> bytes:
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise BaseRevisionError("--base needs git, which is not on the PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BaseRevisionError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def export(ref: str, paths: list[Path], root: Path) -> tuple[tempfile.TemporaryDirectory, Path, list[Path]]:
    """Write the files under `paths` as they are at `ref` into a temporary directory.

    Returns the directory (delete it with `.cleanup()`), `root` mapped into it, and each path mapped into it. A
    path that did not exist at `ref` maps to a path that does not exist: that side of the diff is empty."""
    import io
    import tarfile
    import tempfile

    start = paths[0] if paths else Path(".")
    start = start if start.is_dir() else start.parent
    top = Path(_git(start.resolve(), "rev-parse", "--show-toplevel").decode().strip())
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    relative = [os.path.relpath(p.resolve(), top) for p in paths] or ["."]
    if any(r.startswith("..") for r in relative):
        raise BaseRevisionError("--base: every path must be inside the git repository")
    present = [r for r in relative if r == "." or _git(top, "ls-tree", "--name-only", commit, "--", r).strip()]
    directory = tempfile.TemporaryDirectory(prefix="archlint-base-")
    base = Path(directory.name)
    if present:
        archive = _git(top, "archive", "--format=tar", commit, "--", *present)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(base, filter="data")
            else:  # Python before 3.11.4: git archive writes no links outside the tree or device files
                tar.extractall(base)  # noqa: S202
    inside = os.path.relpath(root.resolve(), top)
    return directory, base if inside.startswith("..") else base / inside, [base / r for r in relative]
