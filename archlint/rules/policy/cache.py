"""A cache of validated built-in policy documents (JSON, keyed by content): no YAML parsing or schema run per start.

The files are in the user's private cache directory with a keyed digest (`archlint.cachestore`): a policy document
someone else wrote there is never taken for a validated one."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from archlint import __version__
from archlint.cachestore import Store, open_store
from archlint.resources import cache_dir, data_dir


def key(raw: bytes, schema: str) -> str:
    """Changes with the file, the schema that validated it and archlint's version."""
    digest = hashlib.sha256(raw)
    digest.update(_salt(schema))
    return digest.hexdigest()[:40]


@lru_cache(maxsize=None)
def _salt(schema: str) -> bytes:
    return __version__.encode() + hashlib.sha256((data_dir("schemas") / schema).read_bytes()).digest()


def _store() -> Store | None:
    where = cache_dir()
    return open_store(where) if where is not None else None


def get(name: str) -> Any:
    """The cached document, or None (absent, unreadable, corrupt or not ours: the caller reads the file again)."""
    store = _store()
    raw = store.read(f"policy-{name}.json") if store is not None else None
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def put(name: str, document: Any) -> None:
    """Store a document that validated and compiled cleanly; a cache that cannot be written is skipped silently."""
    store = _store()
    if store is None:
        return
    try:
        text = json.dumps(document)
        if json.loads(text) != document:  # a YAML date or a non-string key would come back different
            return
    except (TypeError, ValueError):
        return
    store.write(f"policy-{name}.json", text.encode("utf-8"))
