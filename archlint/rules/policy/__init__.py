"""Declarative YAML policies: compiled into the same `Rule` values as the Python rules (see docs/policies.md)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def builtin_rules() -> tuple:
    """The policies that ship with archlint (the package's `policies/` directory), compiled once per process from
    the bundle of their validated documents that ships with them (see bundle.py)."""
    from archlint.resources import data_dir
    from archlint.rules.policy.load import load_dirs

    return load_dirs([data_dir("policies")], bundled=True)


__all__ = ["builtin_rules"]
