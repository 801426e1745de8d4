"""The model of the system: components, dependencies, locations and the spans they came from."""

from archlint.model.build import ModelBuilder
from archlint.model.component import (
    CONTROL_KINDS, Autoscaling, Component, Container, Dependency, EdgeKind, NodeKind, Probe, Span, Tier, LONG_RUNNING, TRAFFIC_EDGES,
    image_base,
)
from archlint.model.graph import SystemModel

__all__ = ["CONTROL_KINDS", "Autoscaling", "Component", "Container", "Dependency", "EdgeKind", "ModelBuilder", "NodeKind", "Probe",
           "Span", "SystemModel", "Tier", "LONG_RUNNING", "TRAFFIC_EDGES", "image_base"]
