"""The engine: runs the enabled rules over the model, applies configuration and suppressions, stamps findings."""

from archlint.engine.run import Analysis, analyze

__all__ = ["Analysis", "analyze"]
