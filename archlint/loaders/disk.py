"""Read-only access to files beyond the ones a loader is handed (a module directory a Terraform call names outside
the scanned paths), recorded so that their suppression comments count and the run can say what it read."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

#: Files larger than this are not read (the pipeline's limit for scanned files).
MAX_BYTES = 20 * 1024 * 1024


class Disk:
    """Where the scanned files are on disk, by the names findings show; and the extra files read, by name."""

    def __init__(self, located: dict[str, Path]) -> None:
        self._directories: dict[str, str] = {}
        for name, path in located.items():
            self._directories.setdefault(posixpath.dirname(name), os.path.dirname(os.path.abspath(path)))
        #: Files read beyond the scanned ones: name -> content.
        self.extra: dict[str, bytes] = {}

    def directory(self, name: str) -> str | None:
        """The directory on disk of a scanned directory, by its name ("" for the scan root), or None."""
        return self._directories.get(name)

    def name_of(self, path: str) -> str | None:
        """The name findings give a directory on disk: relative to the scan root, like the scanned files' names
        (`../../modules/db` when it lies above); None when no scanned directory tells where the root is."""
        if not self._directories:
            return None
        name, disk = min(self._directories.items(), key=lambda item: (item[0].count("/"), item[0]))
        relative = os.path.relpath(os.path.abspath(path), disk).replace(os.sep, "/")
        joined = posixpath.normpath(posixpath.join(name, relative)) if name else posixpath.normpath(relative)
        return "" if joined == "." else joined

    def listing(self, directory: str, endings: tuple[str, ...]) -> list[str]:
        """File names in `directory` with one of `endings`, regular files only (a symbolic link is not followed)."""
        try:
            with os.scandir(directory) as entries:
                return sorted(e.name for e in entries if e.name.endswith(endings) and e.is_file(follow_symlinks=False))
        except OSError:
            return []

    def read(self, name: str, path: str) -> bytes | None:
        """Read a file outside the scan once (None when it cannot be read or is too large)."""
        if name in self.extra:
            return self.extra[name]
        try:
            if os.path.getsize(path) > MAX_BYTES:
                return None
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        self.extra[name] = data
        return data
