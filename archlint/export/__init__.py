"""Exports of the model itself (graph JSON, Graphviz DOT, Mermaid): each a module with `render(model) -> str`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archlint.model import SystemModel

#: Format name -> module that renders it. Explicit: a new format is one line here.
FORMATS: dict[str, str] = {
    "json": "archlint.export.graph_json",
    "dot": "archlint.export.dot",
    "mermaid": "archlint.export.mermaid",
}


def exporter(name: str) -> Callable[["SystemModel"], str]:
    """The render function of an export format, imported only when asked for."""
    return importlib.import_module(FORMATS[name]).render


__all__ = ["FORMATS", "exporter"]
