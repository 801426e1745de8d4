"""Turns CloudResources from any infrastructure-as-code format into model components and dependencies."""

from __future__ import annotations

from archlint.loaders.cloud.facts import Facts, as_int
from archlint.loaders.cloud.instances import lookup
from archlint.loaders.cloud.resource import UNKNOWN, CloudResource
from archlint.loaders.cloud.types import TYPES, provider_of
from archlint.model import Autoscaling, Component, Dependency, EdgeKind, ModelBuilder, Tier

#: Tags and labels that name who owns a resource.
OWNER_TAGS = ("owner", "Owner", "team", "Team", "owner_team")


def add_resources(resources: list[CloudResource], builder: ModelBuilder) -> dict[str, str]:
    """Add a component for every resource of a known type; return resource address -> node id."""
    ids: dict[str, str] = {}
    folded = _fold(resources)
    for resource in resources:
        spec = TYPES.get(resource.type)
        if spec is None or resource.address in folded:
            continue
        component = _component(resource, spec, builder)
        ids[resource.address] = component.id
        builder.add(component)
    for resource in resources:
        source_id = ids.get(resource.address) or ids.get(folded.get(resource.address, ""))
        if source_id is None:
            continue
        for target, span in resource.references:
            target_id = ids.get(target)
            if target_id and target_id != source_id:
                builder.connect(Dependency(source_id, target_id, EdgeKind.DEPENDS_ON, span, origin="declared",
                                           evidence=f"{resource.address} refers to {target}"))
    return ids


def _fold(resources: list[CloudResource]) -> dict[str, str]:
    """Resources that describe another one (Aurora instances, provisioned concurrency): address -> owner address.

    Their facts are merged into the owner, which keeps a single node."""
    by_address = {r.address: r for r in resources}
    folded: dict[str, str] = {}
    for resource in resources:
        if resource.type == "aws_rds_cluster_instance":
            owner = next((t for t, _ in resource.references if by_address.get(t, _NONE).type == "aws_rds_cluster"), None)
            if owner:
                folded[resource.address] = owner
                cluster = by_address[owner]
                count = resource.count if resource.count is not None else 1
                current = cluster.props.get("__instances", 0)
                cluster.props["__instances"] = UNKNOWN if UNKNOWN in (count, current) else current + count
        elif resource.type == "aws_lambda_provisioned_concurrency_config":
            owner = next((t for t, _ in resource.references if by_address.get(t, _NONE).type == "aws_lambda_function"), None)
            if owner:
                folded[resource.address] = owner
                function = by_address[owner]
                function.props["__provisioned_concurrency"] = resource.props.get("provisioned_concurrent_executions")
                function.prop_spans.setdefault("__provisioned_concurrency", resource.at("provisioned_concurrent_executions"))
    return folded


class _NoResource:
    type = ""


_NONE = _NoResource()


def _component(resource: CloudResource, spec, builder: ModelBuilder) -> Component:
    facts = Facts(resource)
    spec.read(facts)
    values = facts.values
    if "__instances" in resource.props:
        instances = resource.props["__instances"]
        if instances is UNKNOWN:
            facts.unknown.append("cluster instances")
        else:
            values["replicas"] = instances
            values["high_availability"] = instances >= 2
            facts.points["high_availability"] = "engine"
    provisioned_span = None
    if "__provisioned_concurrency" in resource.props:
        value = as_int(resource.props["__provisioned_concurrency"])
        if value is not None:
            values["provisioned_concurrency"] = value
            provisioned_span = resource.prop_spans.get("__provisioned_concurrency")
    replicas = values.get("replicas")
    if resource.count is UNKNOWN:
        facts.unknown.append("count")
        replicas = None
    elif isinstance(resource.count, int):
        replicas = (replicas if replicas is not None else 1) * resource.count
    machine = lookup(values["instance_type"]) if isinstance(values.get("instance_type"), str) else None
    scaling = values.get("autoscaling")
    provider = provider_of(resource.type)
    component = Component(
        id=builder.unique_id(f"{resource.source}:{resource.address}", resource.span.file),
        name=resource.name, kind=spec.kind, span=resource.span, source=resource.source,
        tier=Tier.AI if machine and machine.gpus else spec.tier,
        provider=provider, region=resource.region, zones=values.get("zones"), replicas=replicas,
        replicas_span=resource.at("count" if resource.count is not None else facts.points.get("replicas", "count")),
        autoscaling=Autoscaling(scaling[0], scaling[1], resource.address, resource.at(facts.points["autoscaling"]))
        if scaling else None,
        cpu=machine.vcpu if machine else None, memory=machine.memory_gib * 2**30 if machine else None,
        gpu=machine.gpus or None if machine else None,
        owner=next((resource.tags[t] for t in OWNER_TAGS if t in resource.tags), None),
        labels=dict(resource.tags),
        points={fact: resource.at(path) for fact, path in facts.points.items()},
        attrs={"resource_type": resource.type, "address": resource.address, "managed_redundancy": spec.managed_redundancy,
               **{k: v for k, v in values.items() if k not in ("replicas", "autoscaling", "zones")}},
    )
    if provisioned_span:
        component.points["provisioned_concurrency"] = provisioned_span
    if machine and machine.accelerator:
        component.attrs["accelerator"] = machine.accelerator
    if facts.unknown:
        component.attrs["unknown"] = sorted(set(facts.unknown))
    return component
