"""Terraform plan JSON (`terraform show -json plan`) into the model: planned values, unknowns, actions, references."""

from __future__ import annotations

import re
from typing import Any

from archlint.finding import Finding
from archlint.loaders.yamlsource import Document
from archlint.model import ModelBuilder

FORMAT = "terraform-plan"
#: An instance key in an address: `[0]`, `["eu-west-1"]` (strings may hold brackets and dots).
_INDEX = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]')
#: Reference roots that are not resources of the plan.
_NOT_RESOURCES = frozenset({"var", "local", "count", "each", "path", "terraform", "self", "data"})
#: A GCP zone (europe-west1-b) names its region (europe-west1).
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")
_GONE = frozenset({"delete", "forget"})
_ABSENT = object()
_MAX_DEPTH = 16


def claims(data: Any, name: str = "") -> bool:
    """`format_version` with planned values, resource changes or a prior state."""
    return (isinstance(data, dict) and "format_version" in data and "apiVersion" not in data
            and any(key in data for key in ("planned_values", "resource_changes", "prior_state")))


def load(documents: list[Document], builder: ModelBuilder, problems: list[Finding]) -> None:
    """Each plan is its own namespace of addresses: its resources are mapped (and linked) together."""
    from archlint.loaders.cloud import add_resources

    for document in documents:
        add_resources(read(document.data, document.file), builder)


def read(plan: dict, file: str) -> list:
    """One CloudResource per resource block: `count`/`for_each` instances grouped, deleted resources left out."""
    from archlint.loaders.cloud import UNKNOWN, CloudResource
    from archlint.model import Span

    changes = {c["address"]: c for c in _items(plan.get("resource_changes")) if isinstance(c.get("address"), str)}
    config = _Configuration(plan)
    groups: dict[str, list[tuple[dict, Any, dict]]] = {}
    seen = set()
    root = plan.get("planned_values", {}).get("root_module") if isinstance(plan.get("planned_values"), dict) else None
    for item in _module_resources(root, 0):
        seen.add(item.get("address"))
        _add(groups, item, item.get("values"), changes.get(item.get("address")))
    for address, change in changes.items():
        body = change.get("change") if isinstance(change.get("change"), dict) else {}
        if address not in seen and isinstance(body.get("after"), dict):
            _add(groups, change, body["after"], change)
    resources = []
    for address, instances in groups.items():
        item, _, _ = instances[0]
        kind, line_of = str(item.get("type")), getattr(item, "line_of", None)
        span = Span(file, line_of("address") if line_of else 1)
        configured = config.resource(address)
        props = _merge([_props(values, change, configured, UNKNOWN) for _, values, change in instances],
                       configured, UNKNOWN)
        actions: list[str] = []
        for _, _, change in instances:
            for action in _actions(change):
                if action not in actions:
                    actions.append(action)
        if actions:
            props["__actions"] = actions
        spans: dict[str, Any] = {}
        _spans(instances[0][1], "", file, spans, 0)
        indexed = any(_INDEX.search(str(i.get("address", ""))) for i, _, _ in instances)
        references = [(target, span) for target in config.references(address) if target != address]
        resources.append(CloudResource(
            kind, str(item.get("name", address.rsplit(".", 1)[-1])), address, FORMAT, span, props=props,
            prop_spans=spans, count=len(instances) if indexed else None, references=references,
            region=_region(props, config.provider_region(address, kind)), tags=_tags(props)))
    return resources


def _add(groups: dict, item: dict, values: Any, change: Any) -> None:
    if item.get("mode", "managed") != "managed" or not isinstance(item.get("type"), str):
        return
    actions = _actions(change)
    if actions and set(actions) <= _GONE:
        return  # only being destroyed: not part of the system the plan leads to
    address = _INDEX.sub("", str(item.get("address", "")))
    if address:
        groups.setdefault(address, []).append((item, values if isinstance(values, dict) else {}, change))


def _actions(change: Any) -> list[str]:
    body = change.get("change") if isinstance(change, dict) else None
    actions = body.get("actions") if isinstance(body, dict) else None
    return [a for a in actions if isinstance(a, str)] if isinstance(actions, list) else []


def _module_resources(module: Any, depth: int):
    if not isinstance(module, dict) or depth > _MAX_DEPTH:
        return
    yield from _items(module.get("resources"))
    for child in _items(module.get("child_modules")):
        yield from _module_resources(child, depth + 1)


def _items(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _props(values: dict, change: Any, configured: dict | None, unknown: Any) -> dict:
    """Known values without nulls (unset), with what the plan marks `after_unknown` as UNKNOWN. An attribute
    the configuration does not set is computed by the provider: left absent, so its documented default applies."""
    props = _clean(values)
    body = change.get("change") if isinstance(change, dict) else None
    marks = body.get("after_unknown") if isinstance(body, dict) else None
    if isinstance(marks, dict):
        for key, mark in marks.items():
            if configured is not None and key not in configured:
                continue
            if mark is True:
                props[key] = unknown
            elif key in props:
                _overlay(props[key], mark, unknown)
    return props


def _overlay(value: Any, marks: Any, unknown: Any) -> None:
    pairs = (marks.items() if isinstance(marks, dict) and isinstance(value, dict) else
             enumerate(marks[:len(value)]) if isinstance(marks, list) and isinstance(value, list) else ())
    for key, mark in pairs:
        if mark is True:
            value[key] = unknown
        elif isinstance(value, dict) and key in value or isinstance(value, list):
            _overlay(value[key], mark, unknown)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value if v is not None]
    return value


def _merge(instances: list[dict], configured: dict | None, unknown: Any) -> dict:
    """One set of attributes for the instances of a block: where they disagree, the value is UNKNOWN. An attribute
    the configuration leaves to the provider is known for existing instances only: the others do not count."""
    merged: dict = {}
    for key in dict.fromkeys(k for values in instances for k in values):
        computed = configured is not None and key not in configured
        values = [i.get(key, _ABSENT) for i in instances if key in i or not computed]
        value = _agree(values, unknown)
        if value is not _ABSENT:
            merged[key] = value
    return merged


def _agree(values: list, unknown: Any) -> Any:
    if len(values) > 1 and all(isinstance(v, dict) for v in values):  # tags differing by one key keep the others
        keys = dict.fromkeys(k for v in values for k in v)
        return {k: _agree([v.get(k, _ABSENT) for v in values], unknown) for k in keys}
    return values[0] if all(v == values[0] for v in values) else unknown


def _spans(values: Any, prefix: str, file: str, spans: dict, depth: int) -> None:
    from archlint.model import Span

    line_of = getattr(values, "line_of", None)
    if line_of is None or depth > 3:
        return
    for key, value in values.items():
        spans.setdefault(prefix + str(key), Span(file, line_of(key)))
        inner = value[0] if isinstance(value, list) and value else value
        if isinstance(inner, dict):
            _spans(inner, f"{prefix}{key}.", file, spans, depth + 1)


def _region(props: dict, configured: str | None) -> str | None:
    """The resource's own `region` or `location`, a GCP zone's region, else its provider's region."""
    for key in ("region", "location"):
        if isinstance(props.get(key), str) and props[key]:
            zone = _GCP_ZONE.match(props[key])
            return zone.group(1) if zone else props[key]
    zone = props.get("zone")
    match = _GCP_ZONE.match(zone) if isinstance(zone, str) else None
    return match.group(1) if match else configured


def _tags(props: dict) -> dict[str, str]:
    for key in ("tags_all", "tags", "labels"):
        if isinstance(props.get(key), dict):
            return {str(k): str(v) for k, v in props[key].items() if isinstance(v, (str, int, float))}
    return {}


class _Configuration:
    """The plan's `configuration`: what each resource sets, the references of its expressions, provider regions."""

    def __init__(self, plan: dict) -> None:
        section = plan.get("configuration") if isinstance(plan.get("configuration"), dict) else {}
        self.providers = section.get("provider_config") if isinstance(section.get("provider_config"), dict) else {}
        variables = plan.get("variables") if isinstance(plan.get("variables"), dict) else {}
        self.variables = {k: v.get("value") for k, v in variables.items() if isinstance(v, dict)}
        self.modules: dict[tuple[str, ...], dict] = {}
        self.calls: dict[tuple[str, ...], dict] = {}
        self._walk(section.get("root_module"), ())

    def _walk(self, module: Any, path: tuple[str, ...]) -> None:
        if not isinstance(module, dict) or len(path) > _MAX_DEPTH:
            return
        self.modules[path] = module
        calls = module.get("module_calls")
        for name, call in calls.items() if isinstance(calls, dict) else ():
            if isinstance(call, dict):
                self.calls[path + (name,)] = call
                self._walk(call.get("module"), path + (name,))

    def _find(self, address: str) -> tuple[tuple[str, ...], dict | None]:
        parts = address.split(".")
        path: tuple[str, ...] = ()
        while len(parts) > 2 and parts[0] == "module":
            path, parts = path + (parts[1],), parts[2:]
        local = ".".join(parts)
        module = self.modules.get(path, {})
        found = next((r for r in _items(module.get("resources")) if r.get("address") == local), None)
        return path, found

    def resource(self, address: str) -> dict | None:
        """The expressions a resource's configuration sets, None when the plan has no configuration for it."""
        _, found = self._find(address)
        expressions = found.get("expressions") if found is not None else None
        return expressions if isinstance(expressions, dict) else None

    def references(self, address: str) -> list[str]:
        """Addresses (instance keys removed) of the resources a resource's expressions and depends_on name."""
        path, found = self._find(address)
        if found is None:
            return []
        names = list(_references(found.get("expressions"), 0))
        for meta in ("count_expression", "for_each_expression"):
            names += _references(found.get(meta), 0)
        names += [d for d in found.get("depends_on") or () if isinstance(d, str)]
        targets: dict[str, None] = {}
        for name in names:
            for target in self._resolve(name, path, 0):
                targets.setdefault(target)
        return list(targets)

    def _resolve(self, name: str, path: tuple[str, ...], depth: int) -> list[str]:
        parts = _INDEX.sub("", name).split(".")
        if depth > _MAX_DEPTH or len(parts) < 2:
            return []
        found: list[str] = []
        if parts[0] == "var" and path:  # a module's variable: what its caller passes
            expressions = self.calls.get(path, {}).get("expressions")
            expression = expressions.get(parts[1]) if isinstance(expressions, dict) else None
            for inner in _references(expression, 0):
                found += self._resolve(inner, path[:-1], depth + 1)
        elif parts[0] == "module":  # a module's output: what its expression names inside the module
            child = path + (parts[1],)
            outputs = self.modules.get(child, {}).get("outputs")
            outputs = outputs if isinstance(outputs, dict) else {}
            for key in [parts[2]] if len(parts) > 2 else list(outputs):
                output = outputs.get(key)
                for inner in _references(output.get("expression") if isinstance(output, dict) else None, 0):
                    found += self._resolve(inner, child, depth + 1)
        elif parts[0] not in _NOT_RESOURCES:
            found.append("".join(f"module.{p}." for p in path) + f"{parts[0]}.{parts[1]}")
        return found

    def provider_region(self, address: str, kind: str) -> str | None:
        _, found = self._find(address)
        key = str(found.get("provider_config_key", "")) if found is not None else ""
        provider = (self.providers.get(key) or self.providers.get(key.rsplit(":", 1)[-1])
                    or self.providers.get(kind.split("_", 1)[0]))
        expressions = provider.get("expressions") if isinstance(provider, dict) else None
        region = expressions.get("region") if isinstance(expressions, dict) else None
        if not isinstance(region, dict):
            return None
        value = region.get("constant_value")
        refs = region.get("references") or []
        if value is None and refs and isinstance(refs[0], str) and refs[0].startswith("var."):
            value = self.variables.get(refs[0][4:])
        return value if isinstance(value, str) else None


def _references(expression: Any, depth: int):
    """Every `references` entry in an expression tree (nested blocks are mappings or lists of them)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(expression, dict):
        for key, value in expression.items():
            if key == "references" and isinstance(value, list):
                yield from (r for r in value if isinstance(r, str))
            elif key != "constant_value":  # data, not expressions
                yield from _references(value, depth + 1)
    elif isinstance(expression, list):
        for value in expression:
            yield from _references(value, depth + 1)
