"""Builds a CloudResource from each `resource` block of a module instance, and of the local modules it calls."""

from __future__ import annotations

import re
from typing import Any

from archlint.loaders.cloud import UNKNOWN, CloudResource
from archlint.loaders.terraform.evaluate import Binding, Evaluator
from archlint.loaders.terraform.functions import Unsupported, string
from archlint.loaders.terraform.modules import Instance, arguments, instances
from archlint.loaders.terraform.origins import decided, hop, where
from archlint.loaders.terraform.syntax import Block, attribute_name, attribute_value, items, line, text
from archlint.model import Span

#: Meta-arguments: they say how Terraform manages the resource, they are not attributes of it.
RESOURCE_META = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
#: A dynamic block over more elements than this stays unknown.
MAX_DYNAMIC = 256
#: A GCP zone (europe-west1-b) names its region (europe-west1).
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


def expand(instance: Instance, stats: dict[str, int]) -> list[CloudResource]:
    """The resources of an instance, then those of every module it calls, depth first."""
    found: list[CloudResource] = []
    if instance.multiplier == 0:
        return found
    for block in instance.module.resources.values():
        built = build(instance, block)
        if not built:
            stats["skipped.terraform-zero-count"] += 1
        found.extend(built)
    for call, block in instance.module.calls.items():
        children = instance.children(call)
        for child in children:
            found.extend(expand(child, stats))
        if not children:  # not read: what a well-known module's arguments say still counts
            from archlint.loaders.terraform import known_modules

            found.extend(known_modules.facts(instance, call, block))
    return found


def build(instance: Instance, block: Block) -> list[CloudResource]:
    """The resources a block declares: one, one per key of a `for_each` over a known map, none for zero instances."""
    args = arguments(block)
    made = []
    for suffix, binding, count in instances(instance, args, block.file, sets=False):
        resource = _build(instance, block, args, suffix, binding, count)
        if resource is not None:
            made.append(resource)
    return made


def _build(instance: Instance, block: Block, args: dict[str, Any], suffix: str, binding: Binding | None,
           count: Any) -> CloudResource | None:
    kind, name = block.labels
    own = f"{kind}.{name}{suffix}"
    address = instance.prefix + own
    # Places are noted by the block (`module.db: aws_db_instance.this`), the same for each of its for_each keys:
    # the instances of one finding are listed with it, their places once.
    note = instance.note(f"{kind}.{name}")
    evaluator = Evaluator(instance, block.file, binding)
    spans: dict[str, Span] = {}
    multiplier = instance.multiplier
    if UNKNOWN in (count, multiplier):
        count = UNKNOWN
    elif suffix or ("count" not in args and "for_each" not in args):
        count = None if multiplier == 1 else multiplier  # one instance (of each module instance above)
    else:
        count = count * multiplier
    if count == 0:
        return None
    if count == 1:  # `count = var.create ? 1 : 0`: one instance, as without count; replicas keep their own line
        count = None
    for meta in ("count", "for_each"):
        if meta in args:  # replicas point at whatever sets the number of instances
            spans["count"] = Origin(evaluator, args[meta], attribute_value(args[meta]), note, meta)
    for meta in ("depends_on", "for_each"):
        if meta in args:
            evaluator.attribute(args[meta])  # only their references matter
    try:
        props = _body(block.body, "", evaluator, spans, note, top=True)
    except RecursionError:  # blocks nested deeper than Python's stack: the resource, without its attributes
        props = {}
    provider_key = _provider_key(args.get("provider"), kind)
    provider = instance.provider(provider_key)
    references: dict[str, Span] = {}
    for target, span in evaluator.refs:
        if target != address:
            references.setdefault(target, span)
    evaluator.refs.clear()  # the evaluator lives on in the resource's deferred spans: its references are copied
    # A finding at the resource (an attribute it lacks) shows the module calls that made it.
    span = Span(block.file, block.line, instance.calls, note)
    return CloudResource(kind, address, address, "terraform", span, props=props,
                         prop_spans=spans, count=count, references=list(references.items()),
                         region=_region(props, provider.region, provider_key), tags=_tags(props, provider.default_tags))


class Origin:
    """Where an attribute's value is written, worked out when it is asked for: the attribute itself, or (a
    variable set by a caller, a tfvars line, a default) that place, with the attribute first in its chain and the
    module calls that made the resource last; with a path, the same for a key of its object value."""

    __slots__ = ("evaluator", "node", "expression", "note", "key")

    def __init__(self, evaluator: Evaluator, node: Any, expression: Any, note: str, key: str) -> None:
        # the note (`module.db: aws_db_instance.this` and the attribute's dotted key) is only joined when asked for
        self.evaluator, self.node, self.expression, self.note, self.key = evaluator, node, expression, note, key

    def resolve(self, path: tuple[str, ...] = ()) -> Span:
        evaluator = self.evaluator
        here = Span(evaluator.file, line(self.node), note=".".join((self.note, self.key, *path)))
        expression = self.expression
        origin = hop(where(evaluator, expression, path), here) if expression is not None else here
        calls = getattr(evaluator.env, "calls", ())
        return origin.through(*calls) if calls else origin


class Place:
    """A nested block's line (where an attribute it lacks would go), made into a Span when asked for."""

    __slots__ = ("file", "node", "note", "key")

    def __init__(self, file: str, node: Any, note: str, key: str) -> None:
        self.file, self.node, self.note, self.key = file, node, note, key

    def resolve(self, path: tuple[str, ...] = ()) -> Span:
        return Span(self.file, line(self.node), note=f"{self.note}.{self.key}")


class Empty:
    """A dynamic block whose `for_each` is empty: an attribute it would hold is decided where the collection is
    (`condition ? [...] : []`: the condition's origin), with the block and the module calls on the way."""

    __slots__ = ("evaluator", "node", "inner", "note", "key")

    def __init__(self, evaluator: Evaluator, node: Any, inner: Any, note: str, key: str) -> None:
        self.evaluator, self.node, self.inner, self.note, self.key = evaluator, node, inner, note, key

    def resolve(self, path: tuple[str, ...] = ()) -> Span:
        evaluator = self.evaluator
        here = Span(evaluator.file, line(self.node), note=f"{self.note}.{self.key} (dynamic, for_each empty)")
        setting = next((n for n in items(self.inner) if n.type == "attribute" and attribute_name(n) == "for_each"),
                       None)
        origin = hop(decided(evaluator, attribute_value(setting)), here) if setting is not None else here
        calls = getattr(evaluator.env, "calls", ())
        return origin.through(*calls) if calls else origin


def _body(body: Any, path: str, evaluator: Evaluator, spans: dict[str, Span], note: str,
          top: bool = False) -> dict[str, Any]:
    """A block body as a dict: attributes by name, a block as a dict, a repeated block as a list of dicts."""
    props: dict[str, Any] = {}
    for node in items(body):
        if node.type == "attribute":
            key = attribute_name(node)
            if top and key in RESOURCE_META:
                continue
            expression = attribute_value(node)
            props[key] = evaluator.attribute(node, expression)
            if path + key not in spans:
                spans[path + key] = Origin(evaluator, node, expression, note, path + key)
            continue
        kind = text(node.children[0])
        if top and kind in META_BLOCKS:
            continue
        inner = next((c for c in node.children if c.type == "body"), None)
        if kind == "dynamic":
            label = next((text(c).strip('"') for c in node.children[1:] if c.type in ("string_lit", "identifier")), "")
            made = _dynamic(node, inner, label, f"{path}{label}.", evaluator, spans, note)
            # a block its for_each left out is decided where that collection is (the caller's argument, a default)
            spans.setdefault(path + label, Empty(evaluator, node, inner, note, path + label) if isinstance(made, list) and not made else
                             Place(evaluator.file, node, note, path + label))
            _add(props, label, made)
            continue
        spans.setdefault(path + kind, Place(evaluator.file, node, note, path + kind))
        _add(props, kind, _body(inner, f"{path}{kind}.", evaluator, spans, note))
    return props


def _add(props: dict[str, Any], kind: str, value: Any) -> None:
    """A nested block: the first is a dict, repeated ones make a list; a dynamic block adds its list (or UNKNOWN)."""
    if value is UNKNOWN or props.get(kind) is UNKNOWN:
        props[kind] = UNKNOWN
        return
    values = value if isinstance(value, list) else [value]
    if not values:
        return
    if kind not in props:
        props[kind] = values[0] if len(values) == 1 else list(values)
    elif isinstance(props[kind], list):
        props[kind].extend(values)
    else:
        props[kind] = [props[kind], *values]


def _dynamic(node: Any, inner: Any, label: str, path: str, evaluator: Evaluator, spans: dict[str, Span],
             note: str) -> Any:
    """A `dynamic` block: its `content` once per element of a known `for_each` (the iterator bound to `.key` and
    `.value`), UNKNOWN when the collection is not known (its references still count)."""
    iterator = _iterator(inner) or label
    settings = {attribute_name(n): n for n in items(inner) if n.type == "attribute"}
    content = next((n for n in items(inner) if n.type == "block" and text(n.children[0]) == "content"), None)
    collection = evaluator.attribute(settings["for_each"]) if "for_each" in settings else UNKNOWN
    if isinstance(collection, list):
        collection = dict(enumerate(collection))
    if not isinstance(collection, dict) or content is None or not collection or len(collection) > MAX_DYNAMIC:
        evaluator.scan(node, {iterator: UNKNOWN})  # its references still count
        return [] if isinstance(collection, dict) and not collection else UNKNOWN
    body = next((c for c in content.children if c.type == "body"), None)
    expression = attribute_value(settings["for_each"])
    made = []
    for key in sorted(collection, key=str):
        def origin(steps: tuple[Any, ...], key: Any = key) -> Span:
            if steps and steps[0] == "value":
                return where(evaluator, expression, (key, *steps[1:]))
            return Span(evaluator.file, line(settings["for_each"]))
        bound = evaluator.within(Binding({iterator: {"key": key, "value": collection[key]}}, {iterator: origin}))
        made.append(_body(body, path, bound, spans, note))
    return made


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
    """Provider default tags, then the resource's `tags` (AWS, Azure), `labels` (GCP; Cloud SQL's
    `settings.user_labels`) or `tag { key value }` blocks
    (AWS autoscaling groups); unknown values are left out."""
    tags: dict[str, str] = {}
    own = props.get("tags") if isinstance(props.get("tags"), dict) else props.get("labels")
    settings = props.get("settings")
    if own is None and isinstance(settings, dict):  # Cloud SQL: settings { user_labels = {...} }
        own = settings.get("user_labels")
    blocks = props.get("tag") if isinstance(props.get("tag"), list) else [props.get("tag")]
    pairs = [(b.get("key"), b.get("value")) for b in blocks if isinstance(b, dict) and isinstance(b.get("key"), str)]
    for key, value in [*defaults, *(own.items() if isinstance(own, dict) else ()), *pairs]:
        try:
            tags[key] = string(value)
        except Unsupported:
            continue
    return tags
