"""The engine: runs the enabled rules over the model, applies configuration and suppressions, stamps findings.

`analyze` and `Analysis` are imported from archlint.engine.run when first used (PEP 562): reading the
configuration (archlint.engine.config) does not import the engine, the loaders and the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archlint.engine.run import Analysis, analyze

__all__ = ["Analysis", "analyze"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from archlint.engine import run

    value = getattr(run, name)
    globals()[name] = value
    return value
