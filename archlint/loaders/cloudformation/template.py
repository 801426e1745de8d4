"""One CloudFormation or SAM template to CloudResources: conditions, intrinsics, SAM's additions, references."""

from __future__ import annotations

from typing import Any

from archlint.loaders.cloud import UNKNOWN, CloudResource
from archlint.loaders.cloudformation import links, sam
from archlint.loaders.cloudformation.intrinsics import NO_VALUE, Resolver
from archlint.loaders.cloudformation.translate import (
    DEFAULTS,
    ONLY_WITH,
    TYPES,
    translate,
)
from archlint.model import Span

SOURCE = "cloudformation"
FUNCTION = "AWS::Serverless::Function"
DB_INSTANCE, DB_CLUSTER = "AWS::RDS::DBInstance", "AWS::RDS::DBCluster"
#: An RDS instance with one of these is an Aurora cluster member or a read replica: no default backups of its own.
_NOT_STANDALONE = ("DBClusterIdentifier", "SourceDBInstanceIdentifier")


def read(template: dict, file: str) -> list[CloudResource]:
    """The template's resources of the types archlint maps, skipping those whose Condition is false."""
    declared = template.get("Resources")
    if not isinstance(declared, dict):
        return []
    bodies = {str(k): v for k, v in declared.items() if isinstance(v, dict) and isinstance(v.get("Type"), str)}
    resolver = Resolver(template, set(bodies))
    line_of = getattr(declared, "line_of", lambda _: 1)
    types: dict[str, str] = {}
    refs: dict[str, list[links.Hop]] = {}
    sides: dict[str, tuple[list[links.Hop], list[links.Hop]]] = {}
    raws: dict[str, Any] = {}
    found: dict[str, CloudResource] = {}
    for logical_id, body in bodies.items():
        exists = resolver.condition(body["Condition"]) if "Condition" in body else True
        if exists is False:
            continue
        kind = types[logical_id] = body["Type"]
        line = _line(body, "Properties", line_of(logical_id))
        raw = raws[logical_id] = sam.with_globals(template, kind, body.get("Properties", {}))
        resolver.refs = []
        props = resolver.resolve(raw, line)
        refs[logical_id] = resolver.refs + _depends_on(body, line_of(logical_id))
        if kind in links.GLUE:
            sides[logical_id] = tuple(_references(resolver, raw, names, line) for names in links.GLUE[kind])
        resource = _resource(logical_id, kind, props, Span(file, line_of(logical_id)), exists)
        if resource is not None and kind in (DB_INSTANCE, DB_CLUSTER):
            _deletion_policy(resource, body, file)
        if resource is not None:
            found[logical_id] = resource
    hops = links.routes(types, refs, sides)
    for logical_id, resource in found.items():
        hops_out = refs.get(logical_id, []) + links.reach(logical_id, hops, set(found))
        resource.references.extend((target, Span(file, line)) for target, line in hops_out)
    _cluster_members(found, types)
    resources = list(found.values()) + _serverless(found, types, raws, file)
    for resource in resources:
        unique = {}
        for target, span in resource.references:
            if target != resource.address:
                unique.setdefault(target, span)
        resource.references[:] = unique.items()
    return resources


def _resource(logical_id: str, kind: str, props: Any, span: Span, exists: Any) -> CloudResource | None:
    if kind not in TYPES or (kind in ONLY_WITH and (not isinstance(props, dict) or ONLY_WITH[kind] not in props)):
        return None
    resource_type, table = TYPES[kind]
    standalone = not (isinstance(props, dict) and any(key in props for key in _NOT_STANDALONE))
    if kind == DB_INSTANCE and isinstance(props, dict) and "DBClusterIdentifier" in props:
        resource_type = "aws_rds_cluster_instance"
    spans: dict[str, Span] = {}
    attributes = translate(table, props if props is not NO_VALUE else {}, span.file, {}, spans)
    if standalone and props is not UNKNOWN:
        for key, value in DEFAULTS.get(kind, {}).items():
            attributes.setdefault(key, value)
    tags = _tags(props.get("Tags") if isinstance(props, dict) else None)
    if tags:
        attributes["tags"] = tags
    return CloudResource(resource_type, logical_id, logical_id, SOURCE, span, props=attributes, prop_spans=spans,
                         count=None if exists is True else UNKNOWN, tags=tags)


def _deletion_policy(resource: CloudResource, body: Any, file: str) -> None:
    """`DeletionPolicy` (default Snapshot for a database): Delete is Terraform's `skip_final_snapshot = true`;
    Snapshot keeps a final snapshot, Retain keeps the database itself."""
    policy = body.get("DeletionPolicy", "Snapshot") if isinstance(body, dict) else "Snapshot"
    if resource.type == "aws_rds_cluster_instance" or not isinstance(policy, str):
        return
    resource.props["skip_final_snapshot"] = policy == "Delete"
    if "DeletionPolicy" in body:
        resource.prop_spans["skip_final_snapshot"] = Span(file, body.line_of("DeletionPolicy")
                                                          if hasattr(body, "line_of") else resource.span.line)


def _cluster_members(found: dict[str, CloudResource], types: dict[str, str]) -> None:
    """An Aurora instance naming its cluster by identifier rather than with Ref still belongs to it."""
    clusters = {r.props.get("__identifier"): a for a, r in found.items() if types[a] == DB_CLUSTER}
    clusters.pop(None, None)
    for resource in found.values():
        name = resource.props.pop("__cluster", None)
        if resource.type == "aws_rds_cluster_instance" and isinstance(name, str) and name in clusters:
            resource.references.append((clusters[name], resource.span))
    for address in clusters.values():
        found[address].props.pop("__identifier", None)


def _serverless(found: dict[str, CloudResource], types: dict[str, str], raws: dict[str, Any], file: str) \
        -> list[CloudResource]:
    """SAM: APIs route to the functions whose events name them (the implicit APIs are created), and a function's
    provisioned concurrency configures its published alias."""
    extra: dict[str, CloudResource] = {}
    for logical_id, kind in types.items():
        function = found.get(logical_id)
        if kind != FUNCTION or function is None:
            continue
        for event, target, implicit, line in sam.api_events(raws[logical_id]):
            span = Span(file, line)
            if target is not None:
                function.references[:] = [(t, s) for t, s in function.references if t != target]
                api = found.get(target)
            else:
                api = found.get(implicit) or extra.get(implicit)
                if api is None and implicit not in types:
                    resource_type = TYPES[sam.API_EVENTS[event][2]][0]
                    api = extra[implicit] = CloudResource(resource_type, implicit, implicit, SOURCE, span)
            if api is not None:
                api.references.append((logical_id, span))
        concurrency = function.props.get("__provisioned")
        if concurrency is not None:
            name = sam.alias(raws[logical_id])
            address = f"{logical_id}Alias{name if isinstance(name, str) else ''}"
            extra[address] = CloudResource("aws_lambda_provisioned_concurrency_config", address, address, SOURCE,
                                           function.span, props={"provisioned_concurrent_executions": concurrency},
                                           prop_spans={"provisioned_concurrent_executions": function.at("__provisioned")},
                                           references=[(logical_id, function.span)])
    for resource in found.values():
        resource.props.pop("__provisioned", None)
    return list(extra.values())


def _references(resolver: Resolver, raw: Any, names: tuple[str, ...], line: int) -> list[links.Hop]:
    resolver.refs = []
    for name in names:
        if isinstance(raw, dict) and name in raw:
            resolver.resolve(raw[name], _line(raw, name, line))
    return resolver.refs


def _depends_on(body: dict, line: int) -> list[links.Hop]:
    depends = body.get("DependsOn")
    names = [depends] if isinstance(depends, str) else depends if isinstance(depends, list) else []
    return [(name, _line(body, "DependsOn", line)) for name in names if isinstance(name, str)]


def _tags(value: Any) -> dict[str, str]:
    """`Tags: [{Key, Value}]` (most resources) or a plain mapping (SAM, some newer types); unknown values left out."""
    if isinstance(value, dict):
        pairs = value.items()
    elif isinstance(value, list):
        pairs = [(t.get("Key"), t.get("Value")) for t in value if isinstance(t, dict)]
    else:
        return {}
    return {str(k): str(v) for k, v in pairs if isinstance(k, str) and isinstance(v, (str, int, float))}


def _line(mapping: Any, key: str, default: int) -> int:
    return mapping.line_of(key) if hasattr(mapping, "line_of") and key in mapping else default
