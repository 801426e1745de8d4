"""Turns CloudResources from any infrastructure-as-code format into model components and dependencies."""

from __future__ import annotations

from archlint.loaders.cloud.facts import Facts, as_int
from archlint.loaders.cloud.instances import lookup
from archlint.loaders.cloud.resource import UNKNOWN, CloudResource
from archlint.loaders.cloud.siblings import Siblings, fold
from archlint.loaders.cloud.types import TYPES, provider_of
from archlint.model import Autoscaling, Component, Dependency, EdgeKind, ModelBuilder, Span, Tier

#: Tags and labels that name who owns a resource.
OWNER_TAGS = ("owner", "Owner", "team", "Team", "owner_team")


def add_resources(resources: list[CloudResource], builder: ModelBuilder) -> dict[str, str]:
    """Add a component for every resource of a known type; return resource address -> node id."""
    ids: dict[str, str] = {}
    resources = _split(resources)
    siblings = Siblings(resources)
    folded = fold(resources, siblings)
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
            for found in siblings.targets(target):  # a block's address stands for each of its for_each instances
                target_id = ids.get(found.address) or ids.get(folded.get(found.address, ""))
                if target_id and target_id != source_id:
                    builder.connect(Dependency(source_id, target_id, EdgeKind.DEPENDS_ON, span, origin="declared",
                                               evidence=f"{resource.address} refers to {found.address}"))
    return ids


def _split(resources: list[CloudResource]) -> list[CloudResource]:
    """Resources that declare another one inside them get it as a resource of its own: an AKS cluster's
    `default_node_pool` is a node pool like any `azurerm_kubernetes_cluster_node_pool` (address
    `<cluster>.default_node_pool`, its attributes and spans those of the block), referring to its cluster."""
    found = list(resources)
    for resource in resources:
        if resource.type != "azurerm_kubernetes_cluster" or not isinstance(resource.props.get("default_node_pool"), dict):
            continue
        prefix = "default_node_pool."
        spans = {k[len(prefix):]: v for k, v in resource.prop_spans.items() if k.startswith(prefix)}
        pool = CloudResource("azurerm_kubernetes_cluster_node_pool", f"{resource.name}.default_node_pool",
                             f"{resource.address}.default_node_pool", resource.source,
                             resource.at("default_node_pool"), props=dict(resource.props["default_node_pool"]),
                             prop_spans=spans, count=resource.count,
                             references=[(resource.address, resource.at("default_node_pool"))],
                             region=resource.region, tags=dict(resource.tags))
        found.append(pool)
    return found


class _Pending:
    """A span not worked out yet (a component's replicas or autoscaler span): the resource and the attribute path
    it is at."""

    __slots__ = ("resource", "path")

    def __init__(self, resource: CloudResource, path: str) -> None:
        self.resource, self.path = resource, path

    def resolve(self) -> Span:
        return self.resource.at(self.path)


class Points(dict):
    """A component's points (fact -> Span) whose spans are worked out when first read: tracing a value through
    module calls costs more than the rest of its mapping, and most points are never reported. Until then a point
    holds the resource's attribute path it is at."""

    __slots__ = ("resource",)

    def __init__(self, resource: CloudResource, paths: dict[str, str]) -> None:
        super().__init__(paths)
        self.resource = resource

    def __getitem__(self, key: str) -> Span:
        value = dict.__getitem__(self, key)
        if type(value) is str:
            value = self.resource.at(value)
            dict.__setitem__(self, key, value)
        return value

    def get(self, key: str, default=None):
        return self[key] if key in self else default

    def setdefault(self, key: str, default=None):
        if key in self:
            return self[key]
        dict.__setitem__(self, key, default)
        return default

    def pop(self, key: str, *default):
        if key in self:
            value = self[key]
            dict.__delitem__(self, key)
            return value
        return dict.pop(self, key, *default)

    def __iter__(self):  # not dict's own iterator: dict(points) and {**points} then read through __getitem__
        return iter(list(dict.keys(self)))

    def items(self):
        return [(key, self[key]) for key in list(dict.keys(self))]

    def values(self):
        return [self[key] for key in list(dict.keys(self))]

    def copy(self) -> dict:
        return dict(self.items())

    def __eq__(self, other) -> bool:
        return dict(self.items()) == (dict(other.items()) if isinstance(other, dict) else other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        return (dict, (dict(self.items()),))


#: Where a resource's tags or labels are written, in the order the readers take them.
_TAG_PATHS = ("tags", "labels", "settings.user_labels")


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
    # worked out when a rule reads them (most are never reported), as the points are
    replicas_path = "count" if resource.count is not None else facts.points.get("replicas", "count")
    scaling_path = facts.points["autoscaling"] if scaling else ""
    component = Component(
        id=builder.unique_id(f"{resource.source}:{resource.address}", resource.span.file),
        name=resource.name, kind=spec.kind, span=resource.span, source=resource.source,
        tier=Tier.AI if machine and machine.gpus else spec.tier,
        provider=provider, region=resource.region, zones=values.get("zones"), replicas=replicas,
        replicas_span=_Pending(resource, replicas_path),
        autoscaling=Autoscaling(scaling[0], scaling[1], resource.address, _Pending(resource, scaling_path),
                                label=resource.props.get("__scaling_label"),
                                min_span=_Pending(resource, scaling_path)) if scaling else None,
        cpu=machine.vcpu if machine else values.get("task_vcpu"),  # an ECS task's size, from its task definition
        memory=machine.memory_gib * 2**30 if machine else (values["task_memory_mib"] * 2**20
                                                             if "task_memory_mib" in values else None),
        gpu=machine.gpus or None if machine else None,
        owner=next((resource.tags[t] for t in OWNER_TAGS if t in resource.tags), None), entrypoint=spec.entrypoint,
        labels=dict(resource.tags),
        points=Points(resource, facts.points),
        attrs={"resource_type": resource.type, "address": resource.address, "managed_redundancy": spec.managed_redundancy,
               **{k: v for k, v in values.items() if k not in ("replicas", "autoscaling", "zones")}},
    )
    if provisioned_span:
        component.points["provisioned_concurrency"] = provisioned_span
    tagged = next((p for p in _TAG_PATHS if p in resource.prop_spans), None)
    if tagged is not None:  # where a missing owner or team tag is added (a rule asks for "metadata")
        dict.__setitem__(component.points, "metadata", tagged)
    if machine and machine.accelerator:
        component.attrs["accelerator"] = machine.accelerator
    if facts.unknown:
        component.attrs["unknown"] = sorted(set(facts.unknown))
    return component
