"""What the infrastructure-as-code loaders share: the CloudResource contract, resource types, instance catalog."""

from archlint.loaders.cloud.mapping import add_resources
from archlint.loaders.cloud.resource import UNKNOWN, CloudResource

__all__ = ["UNKNOWN", "CloudResource", "add_resources"]
