"""Where the package data lives: inside the installed package, or beside it in a source checkout."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
#: Installed wheels carry data under archlint/_data; a source checkout keeps it at the top level.
_LOCATIONS = {"schemas": ("_data/schemas", "../schemas"), "policies": ("_data/policies", "../policies"),
              "demo": ("_data/demo", "../examples/demo")}


def data_dir(kind: str) -> Path:
    """The directory of one kind of package data (schemas, policies, demo)."""
    for relative in _LOCATIONS[kind]:
        candidate = (_PACKAGE / relative).resolve()
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"archlint's {kind} are missing from the installation")


@lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with archlint, by file name."""
    with open(data_dir("schemas") / name, encoding="utf-8") as handle:
        return json.load(handle)


def cache_dir() -> Path | None:
    """Where archlint keeps what it can compute again (parsed files, kustomize renderings): `$ARCHLINT_CACHE_DIR`,
    else `$XDG_CACHE_HOME/archlint`, else `~/.cache/archlint`; None when `ARCHLINT_NO_CACHE` is set (to anything
    but empty or 0)."""
    if os.environ.get("ARCHLINT_NO_CACHE", "") not in ("", "0"):
        return None
    if os.environ.get("ARCHLINT_CACHE_DIR"):
        return Path(os.environ["ARCHLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archlint"
