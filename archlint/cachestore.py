"""archlint's cache directory, private to the user, and files in it that only this user's archlint can have written.

What archlint keeps between runs (parsed files, kustomize renderings) is read back on every later run, so it must be
data no one else could have put there: a pack another user wrote could make `marshal.loads` crash the process, or
forge what a file is said to hold. So:

- the cache directory and its subdirectories are created 0700, and one that is a symbolic link, is owned by
  someone else or is writable by group or others is not used (one line on stderr says why and how to fix it; the
  run goes on without the cache); one of ours that others may read is made 0700;
- every file is opened relative to the checked directory without following links (`O_NOFOLLOW`), only when it is
  a regular file of ours, and written as a 0600 temporary file (`O_EXCL`) renamed into place;
- every file starts with an HMAC-SHA256 of its name and content under a random per-user key (`key`, 0600, created
  on first use): a file whose digest does not match (forged, damaged, written by another archlint's key) is
  ignored before a byte of it is decoded.

Platforms without `O_NOFOLLOW` and directory descriptors (Windows) run without the cache.
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
import sys
from pathlib import Path

KEY_NAME = "key"
KEY_BYTES = 32
DIGEST_BYTES = 32
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_SUPPORTED = (hasattr(os, "O_NOFOLLOW") and hasattr(os, "geteuid") and os.open in os.supports_dir_fd
              and os.mkdir in os.supports_dir_fd and os.scandir in os.supports_fd)
_warned: list[str] = []


class Store:
    """One checked cache directory, held open: files are read and written relative to it, never through a path
    someone could swap for a link meanwhile."""

    def __init__(self, fd: int, path: Path, key: bytes) -> None:
        self.fd, self.path, self._key = fd, path, key

    def read(self, name: str) -> bytes | None:
        """The content of the file `name`, or None when it is absent, not a regular file of ours, or its digest
        does not match (say so when someone else could have written it)."""
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=self.fd)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            try:
                status = os.fstat(fd)
                problem = _foreign(status, self.path / name, "file")
                if problem is None and not stat.S_ISREG(status.st_mode):
                    problem = f"{self.path / name} is not a regular file (delete it)"
                if problem is not None:
                    _warn(problem)
                    return None
                raw = handle.read()
            except OSError:
                return None
        digest, content = raw[:DIGEST_BYTES], raw[DIGEST_BYTES:]
        return content if hmac.compare_digest(digest, self._digest(name, content)) else None

    def write(self, name: str, *content: bytes) -> bool:
        """Write the file `name` (0600, never through a link): a temporary file renamed into place. `content` may
        come in parts, written one after the other (a pack is not joined into one more copy of itself)."""
        temporary = f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temporary, _NEW_FLAGS, 0o600, dir_fd=self.fd)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(fd, 0o600)
                handle.write(self._digest(name, *content))
                for part in content:
                    handle.write(part)
            os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            return True
        except OSError:
            _unlink(temporary, self.fd)
            return False

    def sub(self, name: str) -> Store | None:
        """The private subdirectory `name`, created when absent; None (said once) when it cannot be used."""
        fd = _private_directory(name, self.path / name, self.fd)
        return None if fd is None else Store(fd, self.path / name, self._key)

    def prune(self, older_than: float) -> None:
        """Delete the files (packs, leftover temporary files) last written before `older_than` (a timestamp)."""
        try:
            with os.scandir(self.fd) as found:
                old = [e.name for e in found
                       if e.name != KEY_NAME and e.stat(follow_symlinks=False).st_mtime < older_than]
        except OSError:
            return
        for name in old:
            _unlink(name, self.fd)

    def _digest(self, name: str, *content: bytes) -> bytes:
        mac = hmac.new(self._key, os.fsencode(name) + b"\0", "sha256")
        for part in content:
            mac.update(part)
        return mac.digest()


_opened: dict[str, Store | None] = {}


def open_store(path: Path) -> Store | None:
    """The cache directory `path`, checked and held open (once per process), with its key; None when it cannot
    be used (the reason is printed once) or the platform cannot open files safely."""
    text = os.path.abspath(path)
    if text not in _opened:
        _opened[text] = _open(Path(text)) if _SUPPORTED else None
    return _opened[text]


def _open(path: Path) -> Store | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    fd = _private_directory(str(path), path, None)
    if fd is None:
        return None
    key = _key(fd, path)
    if key is None:
        os.close(fd)
        return None
    return Store(fd, path, key)


def _private_directory(name: str, path: Path, dir_fd: int | None) -> int | None:
    """A descriptor of the directory `name` (relative to `dir_fd`), created 0700 when absent; None when it is a
    link, not a directory, someone else's or writable by others (said once, with the fix)."""
    try:
        os.mkdir(name, 0o700, dir_fd=dir_fd)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError:
        if os.path.islink(path):
            _warn(f"{path} is a symbolic link (point ARCHLINT_CACHE_DIR at a directory of your own)")
        elif not os.path.isdir(path):
            _warn(f"{path} is not a directory (delete it, or set ARCHLINT_CACHE_DIR to another place)")
        return None
    status = os.fstat(fd)
    problem = _foreign(status, path, "directory")
    if problem is None and status.st_mode & 0o022:
        problem = f"{path} is writable by {_who(status.st_mode)} (make it private: chmod 700 '{path}')"
    if problem is not None:
        _warn(problem)
        os.close(fd)
        return None
    if status.st_mode & 0o077:
        try:
            os.fchmod(fd, 0o700)  # ours, and only readable by others (made before the cache was private)
        except OSError:
            pass
    return fd


def _key(fd: int, path: Path) -> bytes | None:
    """The user's key in the directory `fd`: read when it is a private regular file of ours, made anew when absent
    or damaged (which only makes the files written with the old key invalid); None when it is someone else's."""
    found = _read_key(fd, path)
    if isinstance(found, bytes) or found is None:
        return found
    key = secrets.token_bytes(KEY_BYTES)
    temporary = f".{KEY_NAME}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with os.fdopen(os.open(temporary, _NEW_FLAGS, 0o600, dir_fd=fd), "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(key)
        if found == "damaged":
            os.replace(temporary, KEY_NAME, src_dir_fd=fd, dst_dir_fd=fd)
            return key
        try:
            os.link(temporary, KEY_NAME, src_dir_fd=fd, dst_dir_fd=fd)  # never over a key another run just made
        except FileExistsError:
            again = _read_key(fd, path)
            key = again if isinstance(again, bytes) else None
        _unlink(temporary, fd)
        return key
    except OSError:
        _unlink(temporary, fd)
        return None


def _read_key(fd: int, path: Path) -> bytes | str | None:
    """The key, "absent", "damaged" (ours, but not a private file of the right size), or None (not usable)."""
    try:
        with os.fdopen(os.open(KEY_NAME, _READ_FLAGS, dir_fd=fd), "rb") as handle:
            status = os.fstat(handle.fileno())
            problem = _foreign(status, path / KEY_NAME, "key file")
            if problem is not None:
                _warn(problem)
                return None
            key = handle.read(KEY_BYTES + 1) if stat.S_ISREG(status.st_mode) else b""
            return key if not status.st_mode & 0o077 and len(key) == KEY_BYTES else "damaged"
    except FileNotFoundError:
        return "absent"
    except OSError:  # a link (ELOOP) is damaged: replaced by a file of ours, the link target untouched
        return "damaged" if os.path.islink(path / KEY_NAME) else None


def _foreign(status: os.stat_result, path: Path, what: str) -> str | None:
    if status.st_uid != os.geteuid():
        return (f"the {what} {path} belongs to user id {status.st_uid}, not to you (delete it, or set "
                f"ARCHLINT_CACHE_DIR to a directory of your own)")
    return None


def _who(mode: int) -> str:
    return "group and others" if mode & 0o020 and mode & 0o002 else "its group" if mode & 0o020 else "others"


def _unlink(name: str, fd: int) -> None:
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass


def _warn(problem: str) -> None:
    """One line on stderr per process: the first reason the cache (or part of it) is not used."""
    if not _warned:
        _warned.append(problem)
        sys.stderr.write(f"archlint: not using the cache: {problem}; this run is not cached\n")
