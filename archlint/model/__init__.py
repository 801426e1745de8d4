"""The model of the system: components, dependencies, locations and the spans they came from.

Its names are imported from their modules when first used (PEP 562): a module that needs one part of the model
(the configuration's preferences) does not import the rest, so that a first run begins parsing (on two cores)
before the model, the loaders and the rules are imported (archlint.cli.wiring)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archlint.model.build import ModelBuilder
    from archlint.model.component import (
        CONTROL_KINDS, LONG_RUNNING, TRAFFIC_EDGES, Autoscaling, Component, Container, Dependency, EdgeKind, NodeKind,
        Probe, Span, Tier, image_base,
    )
    from archlint.model.graph import SystemModel

_WHERE = {"ModelBuilder": "build", "SystemModel": "graph",
          **dict.fromkeys(("CONTROL_KINDS", "Autoscaling", "Component", "Container", "Dependency", "EdgeKind",
                           "NodeKind", "Probe", "Span", "Tier", "LONG_RUNNING", "TRAFFIC_EDGES", "image_base"),
                          "component")}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found at once next time
    return value
