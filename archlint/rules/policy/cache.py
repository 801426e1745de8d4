"""A cache of validated built-in policy documents (JSON, keyed by content): no YAML parsing or schema run per start."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from archlint import __version__
from archlint.resources import data_dir


def directory() -> Path:
    """`$ARCHLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/archlint`, else `~/.cache/archlint`."""
    if os.environ.get("ARCHLINT_CACHE_DIR"):
        return Path(os.environ["ARCHLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archlint"


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
    try:
        with open(directory() / f"policy-{name}.json", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def put(name: str, document: Any) -> None:
    """Store a document that validated and compiled cleanly; a cache that cannot be written is skipped silently."""
    target = directory() / f"policy-{name}.json"
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
