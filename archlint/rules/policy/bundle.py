"""The built-in policies' documents, read and validated once, when they are written, and shipped beside them
(`policies/bundle.json`): a run takes each from there while its file is the one the bundle was made from, so that
no start reads their YAML or imports the schema validator, on a first run (CI) as on any other.

A file whose bytes (or the schema) changed since is read and validated as any policy is, through the cache of
cache.py: a stale bundle costs time, never a wrong rule. `python -m archlint.rules.policy.bundle` writes it again,
and a test says when it is out of date."""

from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

NAME = "bundle.json"


def key(raw: bytes, schema_digest: bytes) -> str:
    """What a bundled document stands for: its file's bytes and the schema's (`schema_digest`, its SHA-256)."""
    return hashlib.sha256(hashlib.sha256(raw).digest() + schema_digest).hexdigest()[:40]


def document(directory: Path, path: Path, raw: bytes) -> Any:
    """The bundled document of the policy file `path` (bytes `raw`), or None when the bundle has none for it."""
    entry = _entries(directory).get(path.relative_to(directory).as_posix())
    if not isinstance(entry, dict) or entry.get("key") != key(raw, _schema_digest()):
        return None
    return entry.get("document")


@lru_cache(maxsize=4)
def _entries(directory: Path) -> dict:
    try:
        entries = json.loads((directory / NAME).read_bytes())
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}


@lru_cache(maxsize=1)
def _schema_digest() -> bytes:
    """The policy schema's SHA-256, read and hashed once per process."""
    from archlint.resources import data_dir
    from archlint.rules.policy.load import SCHEMA

    return hashlib.sha256((data_dir("schemas") / SCHEMA).read_bytes()).digest()


def made(directory: Path) -> str:
    """The bundle of every policy file of `directory`, as text; a file with problems is a PolicyError."""
    from archlint.rules.policy.load import PolicyError, policy_files, read

    entries, errors = {}, []
    for path in policy_files(directory):
        name = path.relative_to(directory).as_posix()
        data, problems = read(path, name)
        errors += problems
        if data is None or problems or json.loads(json.dumps(data)) != data:
            continue  # a document JSON cannot carry exactly (a YAML date) is read from its file
        entries[name] = {"key": key(path.read_bytes(), _schema_digest()), "document": data}
    if errors:
        raise PolicyError(errors)
    return json.dumps(entries, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def main() -> None:
    from archlint.resources import data_dir

    directory = data_dir("policies")
    (directory / NAME).write_text(made(directory), encoding="utf-8")
    sys.stdout.write(f"wrote {directory / NAME}\n")


if __name__ == "__main__":
    main()
