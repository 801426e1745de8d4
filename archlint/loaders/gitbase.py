"""The files of another revision (`--base REF`), read from git into a temporary directory: the work tree, the index
and HEAD are never touched, and nothing of the repository's own configuration runs.

A repository may be someone else's: `git archive`, `git show` and `git diff` run the clean/smudge filters
(`filter.<driver>.smudge`, `.process`), text conversions (`diff.<driver>.textconv`) and external diff drivers that
its `.gitattributes` names, and reading the index can start `core.fsmonitor`. So only the object database is read:
`git ls-tree` lists the revision's files and `git cat-file --batch` gives their bytes as stored (no filter,
textconv or end-of-line conversion), with fsmonitor and hooks off and every transport refused (a partial clone
never fetches a missing object)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tempfile

#: Configuration that would make the read-only commands below run something or reach the network, switched off.
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "protocol.allow=never",
         "-c", "diff.external=", "-c", "core.pager=cat", "-c", "core.untrackedCache=false")
_ENVIRONMENT = {"GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}
#: Tree entry modes: regular files (plain and executable), and symbolic links (made only inside the copy).
_FILE_MODES = {b"100644", b"100755", b"100664"}
_LINK_MODE = b"120000"


class BaseRevisionError(Exception):
    """The base revision cannot be read: not a git repository, an unknown ref, git missing."""


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    import subprocess

    try:
        done = subprocess.run(["git", "--no-pager", *_SAFE, *args], cwd=cwd, capture_output=True, check=False,
                              input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              env={**os.environ, **_ENVIRONMENT})
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
    import tempfile

    if ref.startswith("-"):
        raise BaseRevisionError(f"{ref!r} is not a revision")
    start = paths[0] if paths else Path(".")
    start = start if start.is_dir() else start.parent
    top = Path(_git(start.resolve(), "rev-parse", "--show-toplevel").decode().strip())
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    relative = [os.path.relpath(p.resolve(), top) for p in paths] or ["."]
    if any(r.startswith("..") for r in relative):
        raise BaseRevisionError("--base: every path must be inside the git repository")
    directory = tempfile.TemporaryDirectory(prefix="archlint-base-")
    base = Path(directory.name)
    try:
        _write_tree(top, commit, relative, base)
    except BaseException:
        directory.cleanup()
        raise
    inside = os.path.relpath(root.resolve(), top)
    return directory, base if inside.startswith("..") else base / inside, [base / r for r in relative]


def _write_tree(top: Path, commit: str, relative: list[str], base: Path) -> None:
    """Write the files of `commit` under the paths `relative` (to the top of the work tree) into `base`, as stored:
    regular files, then symbolic links (so that no file is ever written through one); submodules are left out."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *relative)
    files: list[tuple[str, bytes]] = []
    links: list[tuple[str, bytes]] = []
    for entry in listing.split(b"\0"):
        head, _, name = entry.partition(b"\t")
        fields = head.split(b" ")
        if len(fields) != 3 or fields[1] != b"blob" or not _safe_name(name):
            continue
        if fields[0] in _FILE_MODES:
            files.append((os.fsdecode(name), fields[2]))
        elif fields[0] == _LINK_MODE:
            links.append((os.fsdecode(name), fields[2]))
    everything = files + links
    if not everything:
        return
    contents = _blobs(top, [oid for _, oid in everything])
    for (name, _), content in zip(files, contents):
        target = base / name
        try:  # a crafted tree may name a path twice, or a file inside a file: the first one wins
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600),
                      "wb") as handle:
                handle.write(content)
        except OSError:
            continue
    for (name, _), content in zip(links, contents[len(files):]):
        target = base / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.fsdecode(content), target)  # read as any link: followed only to a file inside the tree
        except (OSError, ValueError):
            pass


def _safe_name(name: bytes) -> bool:
    """A path a tree may hold: relative, no empty, `.` or `..` component (a crafted tree can name them)."""
    parts = name.split(b"/")
    return bool(name) and all(part not in (b"", b".", b"..") for part in parts)


def _blobs(top: Path, oids: list[bytes]) -> list[bytes]:
    """The stored bytes of each blob, in order, from one `git cat-file --batch` (no filters, no textconv)."""
    output = _git(top, "cat-file", "--batch", stdin=b"".join(oid + b"\n" for oid in oids))
    contents, at = [], 0
    for oid in oids:
        end = output.index(b"\n", at)
        header = output[at:end].split(b" ")
        if len(header) != 3 or header[0] != oid or header[1] != b"blob":
            raise BaseRevisionError(f"git cat-file: unexpected answer for {oid.decode()}")
        size = int(header[2])
        contents.append(output[end + 1:end + 1 + size])
        at = end + 1 + size + 1
    return contents
