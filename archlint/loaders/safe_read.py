"""Reading a file of a repository written by someone else: only regular files, never through a link that leaves
the scanned tree, and never more than a bounded number of bytes (counted as they are read: `/dev/zero` and
`/proc` files say their size is 0)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: Files larger than this are reported, not parsed: no manifest is this big, and memory stays bounded.
MAX_BYTES = 20 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


@dataclass(frozen=True, slots=True)
class Refused(Exception):
    """Why a file was not read: `skipped` (a link out of the tree, not a regular file: IN010) or not."""

    message: str
    skipped: bool


def read(path: Path, name: str) -> bytes:
    """The bytes of the file at `path`, shown as `name` (relative to the scan root when inside it); raises Refused
    or OSError. A symbolic link is followed only to a file inside the tree the name is relative to."""
    target = os.fspath(path)
    if _NOFOLLOW:  # a link makes the open fail (ELOOP): only then is it looked at, saving an lstat per file
        try:
            descriptor = os.open(target, _FLAGS | _NOFOLLOW)
        except OSError:
            if not os.path.islink(target):
                raise
            descriptor = os.open(_inside_tree(path, name), _FLAGS | _NOFOLLOW)
    else:
        descriptor = os.open(_inside_tree(path, name) if os.path.islink(target) else target, _FLAGS)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
            raise Refused(f"{kind}, not a regular file: not read", True)
        if status.st_size > MAX_BYTES:
            raise Refused(_too_large(status.st_size), False)
        chunks = [os.read(descriptor, status.st_size + 1)]  # one more than its size: whether it grew, at once
        total = len(chunks[0])
        if total <= status.st_size:  # a regular file read short is read to its end
            return chunks[0]
        while chunks[-1] and total <= MAX_BYTES:
            chunks.append(os.read(descriptor, min(1 << 20, MAX_BYTES + 1 - total)))
            total += len(chunks[-1])
        if total > MAX_BYTES:
            raise Refused(_too_large(total, at_least=True), False)
        return chunks[0] if len(chunks) <= 2 and not chunks[-1] else b"".join(chunks)
    finally:
        os.close(descriptor)


def _inside_tree(path: Path, name: str) -> str:
    """The file a symbolic link points to, when it is inside the tree; raises Refused otherwise."""
    resolved = os.path.realpath(path)
    if not _inside(resolved, _tree(path, name)):
        raise Refused("symbolic link pointing outside the scanned tree: not read", True)
    return resolved


def _too_large(size: int, at_least: bool = False) -> str:
    return (f"file is {'more than ' if at_least else ''}{size / 1e6:.0f} MB, over the {MAX_BYTES // 2**20} MiB "
            "limit; not read")


def _tree(path: Path, name: str) -> str:
    """The directory `name` is relative to (the scan root), else the file's own directory."""
    parts = name.split("/")
    if name.startswith("/") or ".." in parts or len(parts) > len(path.parts) - 1:
        return os.path.realpath(os.path.dirname(os.path.abspath(path)))
    return os.path.realpath(Path(os.path.abspath(path)).parents[len(parts) - 1])


def _inside(resolved: str, tree: str) -> bool:
    return resolved == tree or resolved.startswith(tree.rstrip(os.sep) + os.sep)
