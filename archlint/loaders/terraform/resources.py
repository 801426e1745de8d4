"""Builds a CloudResource from each `resource` block of a module instance, and of the local modules it calls."""

from __future__ import annotations

import re
from typing import Any

from archlint.loaders.cloud import UNKNOWN, CloudResource
from archlint.loaders.terraform.evaluate import Evaluator
from archlint.loaders.terraform.functions import Unsupported, string
from archlint.loaders.terraform.modules import Instance, arguments, instance_count
from archlint.loaders.terraform.syntax import Block, attribute_name, attribute_value, children_of, items, line, text
from archlint.model import Span

#: Meta-arguments: they say how Terraform manages the resource, they are not attributes of it.
RESOURCE_META = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
#: A GCP zone (europe-west1-b) names its region (europe-west1).
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


def expand(instance: Instance, stats: dict[str, int]) -> list[CloudResource]:
    """The resources of an instance, then those of every local module it calls, depth first."""
    found = []
    if instance.multiplier == 0:
        return found
    for block in instance.module.resources.values():
        resource = build(instance, block)
        if resource is None:
            stats["skipped.terraform-zero-count"] += 1
        else:
            found.append(resource)
    for call in instance.module.calls:
        child = instance.child(call)
        if child is not None:
            found.extend(expand(child, stats))
    return found


def build(instance: Instance, block: Block) -> CloudResource | None:
    """The resource a block declares, or None when `count` or `for_each` makes zero instances of it."""
    kind, name = block.labels
    address = f"{instance.prefix}{kind}.{name}"
    args = arguments(block)
    evaluator = Evaluator(instance, block.file)
    spans: dict[str, Span] = {}
    count = instance_count(instance, args, block.file)
    multiplier = instance.multiplier
    if UNKNOWN in (count, multiplier):
        count = UNKNOWN
    elif count is not None or multiplier != 1:
        count = (1 if count is None else count) * multiplier
    if count == 0:
        return None
    if count == 1:  # `count = var.create ? 1 : 0`: one instance, as without count; replicas keep their own line
        count = None
    for meta in ("count", "for_each"):
        if meta in args:  # replicas point at whatever sets the number of instances
            spans["count"] = Span(block.file, line(args[meta]))
    for meta in ("depends_on", "for_each"):
        if meta in args:
            evaluator.attribute(args[meta])  # only their references matter
    try:
        props = _body(block.body, "", evaluator, spans, top=True)
    except RecursionError:  # blocks nested deeper than Python's stack: the resource, without its attributes
        props = {}
    provider_key = _provider_key(args.get("provider"), kind)
    provider = instance.provider(provider_key)
    references: dict[str, Span] = {}
    for target, span in evaluator.refs:
        if target != address:
            references.setdefault(target, span)
    return CloudResource(kind, name, address, "terraform", Span(block.file, block.line), props=props,
                         prop_spans=spans, count=count, references=list(references.items()),
                         region=_region(props, provider.region, provider_key), tags=_tags(props, provider.default_tags))


def _body(body: Any, path: str, evaluator: Evaluator, spans: dict[str, Span], top: bool = False) -> dict[str, Any]:
    """A block body as a dict: attributes by name, a block as a dict, a repeated block as a list of dicts."""
    props: dict[str, Any] = {}
    for node in items(body):
        if node.type == "attribute":
            key = attribute_name(node)
            if top and key in RESOURCE_META:
                continue
            props[key] = evaluator.attribute(node)
            spans.setdefault(path + key, Span(evaluator.file, line(node)))
            _object_spans(attribute_value(node), f"{path}{key}.", evaluator, spans)
            continue
        kind = text(node.children[0])
        if top and kind in META_BLOCKS:
            continue
        inner = next((c for c in node.children if c.type == "body"), None)
        if kind == "dynamic":
            label = next((text(c).strip('"') for c in node.children[1:] if c.type in ("string_lit", "identifier")), "")
            iterator = _iterator(inner) or label
            evaluator.scan(node, {iterator: UNKNOWN})
            props[label] = UNKNOWN
            continue
        value = _body(inner, f"{path}{kind}.", evaluator, spans)
        if kind not in props:
            props[kind] = value
        elif isinstance(props[kind], list):
            props[kind].append(value)
        elif isinstance(props[kind], dict):
            props[kind] = [props[kind], value]
    return props


def _object_spans(expression: Any, path: str, evaluator: Evaluator, spans: dict[str, Span]) -> None:
    """Spans of the keys of an object literal (`tags = { Name = ... }`, `scaling = { min = 1 }`), nested too."""
    if expression is None or not expression.children or expression.children[0].type != "collection_value":
        return
    value = expression.children[0].children[0]
    if value.type != "object":
        return
    for element in value.children:
        if element.type != "object_elem":
            continue
        key_node = element.child_by_field_name("key")
        children = children_of(key_node) if key_node is not None else []
        only = children[0] if len(children) == 1 else None
        if only is not None and only.type == "variable_expr":
            key = text(only)
        elif only is not None and only.type == "literal_value" and only.children[0].type == "string_lit":
            key = text(only)[1:-1]
        else:
            continue
        spans.setdefault(path + key, Span(evaluator.file, line(element)))
        _object_spans(element.child_by_field_name("val"), f"{path}{key}.", evaluator, spans)


def _iterator(body: Any) -> str | None:
    for node in items(body):
        if node.type == "attribute" and attribute_name(node) == "iterator":
            expression = attribute_value(node)
            return text(expression).strip() if expression is not None else None
    return None


def _provider_key(node: Any, kind: str) -> str:
    """`provider = aws.west` names a provider configuration; otherwise the type's prefix (aws_instance: aws)."""
    expression = attribute_value(node) if node is not None else None
    return text(expression).strip() if expression is not None else kind.split("_", 1)[0]


def _region(props: dict[str, Any], configured: str | None, provider: str) -> str | None:
    """The resource's own `region` or `location` (Azure, GCP, AWS provider 6), else its provider's region."""
    for key in ("region", "location"):
        value = props.get(key)
        if isinstance(value, str) and value:
            if provider.startswith("google"):
                zone = _GCP_ZONE.match(value)
                return zone.group(1) if zone else value
            return value
    return configured


def _tags(props: dict[str, Any], defaults: tuple[tuple[str, Any], ...]) -> dict[str, str]:
    """Provider default tags, then the resource's `tags` (AWS, Azure), `labels` (GCP) or `tag { key value }` blocks
    (AWS autoscaling groups); unknown values are left out."""
    tags: dict[str, str] = {}
    own = props.get("tags") if isinstance(props.get("tags"), dict) else props.get("labels")
    blocks = props.get("tag") if isinstance(props.get("tag"), list) else [props.get("tag")]
    pairs = [(b.get("key"), b.get("value")) for b in blocks if isinstance(b, dict) and isinstance(b.get("key"), str)]
    for key, value in [*defaults, *(own.items() if isinstance(own, dict) else ()), *pairs]:
        try:
            tags[key] = string(value)
        except Unsupported:
            continue
    return tags
