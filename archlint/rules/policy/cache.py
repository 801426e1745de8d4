"""A cache of validated built-in policy documents (JSON, keyed by content): no YAML parsing or schema run per start."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from typing import Any

from archlint import __version__
from archlint.resources import cache_dir as directory, data_dir


def key(raw: bytes, schema: str) -> str:
    """Changes with the file, the schema that validated it and archlint's version."""
    digest = hashlib.sha256(raw)
    digest.update(_salt(schema))
    return digest.hexdigest()[:40]


@lru_cache(maxsize=None)
def _salt(schema: str) -> bytes:
    return __version__.encode() + hashlib.sha256((data_dir("schemas") / schema).read_bytes()).digest()


def get(name: str) -> Any:
    """The cached document, or None (absent, unreadable or corrupt: the caller reads the file again)."""
    where = directory()
    if where is None:
        return None
    try:
        with open(where / f"policy-{name}.json", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def put(name: str, document: Any) -> None:
    """Store a document that validated and compiled cleanly; a cache that cannot be written is skipped silently."""
    where = directory()
    if where is None:
        return
    target = where / f"policy-{name}.json"
    try:
        text = json.dumps(document)
        if json.loads(text) != document:  # a YAML date or a non-string key would come back different
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        pass
