"""CloudFormation and SAM templates (YAML or JSON) into the model, through the shared cloud resource mapping."""

from __future__ import annotations

from typing import Any

from archlint.finding import Finding
from archlint.loaders.yamlsource import Document
from archlint.model import ModelBuilder

FORMAT = "cloudformation"
SERVERLESS = "AWS::Serverless-2016-10-31"


def claims(data: Any, name: str = "") -> bool:
    """A template: `AWSTemplateFormatVersion`, the SAM transform, or resources of `AWS::` types."""
    if not isinstance(data, dict) or "apiVersion" in data or "kind" in data:
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    transform = data.get("Transform")
    if transform == SERVERLESS or (isinstance(transform, list) and SERVERLESS in transform):
        return True
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith("AWS::")
        for r in resources.values())


def load(documents: list[Document], builder: ModelBuilder, problems: list[Finding]) -> None:
    """Each template is its own namespace of logical ids: its resources are mapped (and linked) together."""
    from archlint.loaders.cloud import add_resources
    from archlint.loaders.cloudformation import template

    for document in documents:
        add_resources(template.read(document.data, document.file), builder)
