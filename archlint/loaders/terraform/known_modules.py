"""What the arguments of a well-known registry module say when its code was not read (IN006 says it was not).

Only facts its documented interface fixes are taken, from the call's own arguments: the terraform-aws-modules VPC
module makes one NAT gateway when `single_nat_gateway = true`, whatever the number of zones (`azs`) and private
subnets it serves. Once `terraform init` has run, the module's own resources are read instead."""

from __future__ import annotations

from typing import Any

from archlint.loaders.cloud import UNKNOWN, CloudResource
from archlint.loaders.terraform.evaluate import Evaluator
from archlint.loaders.terraform.modules import Instance, arguments
from archlint.loaders.terraform.origins import hop, where
from archlint.loaders.terraform.sources import classify
from archlint.loaders.terraform.syntax import Block, attribute_value, line
from archlint.model import Span

VPC = "terraform-aws-modules/vpc/aws"


def facts(instance: Instance, call: str, block: Block) -> list[CloudResource]:
    """Resources the call's arguments describe, for a module whose code was not read."""
    source = classify(block, instance.module.directory)
    if source.kind != "registry" or source.text.removeprefix("registry.terraform.io/").split("//")[0] != VPC:
        return []
    if "//" in source.text:  # a submodule of the VPC module (vpc-endpoints, ...): not the VPC itself
        return []
    args = arguments(block)
    value = {name: instance.evaluate(args.get(name), block.file)[0] if name in args else None
             for name in ("enable_nat_gateway", "single_nat_gateway", "one_nat_gateway_per_az", "azs",
                          "private_subnets", "count", "for_each", "create_vpc", "tags", "nat_gateway_tags")}
    if value["count"] is not None or value["for_each"] is not None or value["create_vpc"] is False:
        return []  # how many VPCs the call makes is its own question
    if value["enable_nat_gateway"] is not True or value["single_nat_gateway"] is not True:
        return []
    zones, subnets = value["azs"], value["private_subnets"]
    if not isinstance(zones, list) or not isinstance(subnets, list) or len(subnets) < 2:
        return []
    here = _argument_span(instance, block, args["single_nat_gateway"], f'module "{call}" argument single_nat_gateway')
    address = f"{instance.prefix}module.{call}.aws_nat_gateway.this"
    return [CloudResource("aws_nat_gateway", address, address, "terraform", Span(block.file, block.line,
                                                                                    instance.calls, instance.note(
                                                                                        f'module "{call}"')),
                          props={"__subnets": len(subnets), "__subnet_zones": min(len(zones), len(subnets))
                                 if zones else UNKNOWN, "__from_arguments": VPC},
                          prop_spans={"count": here}, tags=_tags(value["tags"], value["nat_gateway_tags"]))]


def _tags(*maps: Any) -> dict[str, str]:
    """The module's `tags` and `nat_gateway_tags`, as it merges them onto its NAT gateways (known values only)."""
    found: dict[str, str] = {}
    for mapping in maps:
        if isinstance(mapping, dict):
            found.update({k: v for k, v in mapping.items() if isinstance(v, str)})
    return found


def _argument_span(instance: Instance, block: Block, node: Any, note: str) -> Span:
    place = Span(block.file, line(node), note=instance.note(note))
    expression = attribute_value(node)
    origin = hop(where(Evaluator(instance, block.file), expression), place) if expression is not None else place
    return origin.through(*instance.calls) if instance.calls else origin
