"""Strategic merge patch, as kustomize applies it: merge keys, `$patch: delete|replace`, nulls that delete.

Lists of the Kubernetes API merge by the key the API declares for them (containers and volumes by `name`, volume
mounts by `mountPath`, container ports by `containerPort`, Service ports by `port`); other lists of a built-in kind
are replaced whole. Lists of other kinds (custom resources, without a schema here) merge by the first key every
element has among kyaml's associative keys, as kustomize does without an OpenAPI schema."""

from __future__ import annotations

from typing import Any

from archlint.loaders.kustomize.origin import Sourced, adopt, copy
from archlint.model import Span

#: List fields of the Kubernetes API and the key their elements merge by (`patchMergeKey`).
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
    "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath", "imagePullSecrets": "name",
    "hostAliases": "ip", "topologySpreadConstraints": "topologyKey", "conditions": "type",
    "resourceClaims": "name", "ownerReferences": "uid", "readinessGates": "conditionType",
}
#: kyaml's keys for lists with no schema, in the order it tries them.
ASSOCIATIVE_KEYS = ("mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort")

DELETE = object()


class PatchError(ValueError):
    """A patch that cannot be applied; carries the span of the patch value at fault."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message, self.span = message, span


def merge(target: Sourced, patch: Any, builtin: bool) -> Any:
    """`patch` (Sourced, from the patch file) merged into `target` in place; DELETE when the patch deletes it.

    A value the patch replaces keeps the patch's origin, with the value it replaced as a related place."""
    directive = patch.get("$patch") if isinstance(patch, dict) else None
    if directive == "delete":
        return DELETE
    if directive == "replace":
        return _clean(patch)
    for key, value in patch.items():
        if isinstance(key, str) and key.startswith("$"):
            continue
        if value is None:
            target.drop(key)
            continue
        span = patch.origin(key)
        if key not in target:
            cleaned = _clean(value)
            if cleaned is not DELETE:
                target.put(key, cleaned, span)
            continue
        current = target[key]
        if isinstance(current, dict) and isinstance(value, dict) and isinstance(current, Sourced):
            merged = merge(current, value, builtin)
            if merged is DELETE:
                target.drop(key)
            elif merged is not current:
                target.put(key, merged, span.through(_replaced(target, key)))
        elif isinstance(current, list) and isinstance(value, list):
            merged_list, replaced = merge_list(str(key), current, value, builtin)
            target[key] = merged_list
            if replaced:
                target.key_spans[key] = span.through(_replaced(target, key))
                target.key_lines[key] = span.line
        else:
            target.put(key, _clean(value), span.through(_replaced(target, key)))
    return target


def merge_list(field: str, current: list, patch: list, builtin: bool) -> tuple[list, bool]:
    """The merged list, and whether the patch replaced it whole."""
    if any(isinstance(item, dict) and item.get("$patch") == "replace" and len(item) == 1 for item in patch):
        return [_clean(item) for item in patch if not (isinstance(item, dict) and item.get("$patch") == "replace")], True
    key = merge_key(field, current + patch, builtin)
    if key is None:
        return [_clean(item) for item in patch], True
    # kustomize's order: the patch's elements first, in the patch's order (merged into the ones they match), then
    # the elements the patch does not name, in their order
    named, result = set(), []
    for item in patch:
        wanted = item.get(key)
        named.add(_hashable(wanted))
        old = next((o for o in current if o.get(key) == wanted), None)
        directive = item.get("$patch")
        if directive == "delete":
            continue
        if old is None or directive == "replace":
            cleaned = _clean(item)
            if cleaned is not DELETE:
                result.append(cleaned)
            continue
        merged = merge(old, item, builtin)
        if merged is not DELETE:
            result.append(merged)
    result += [old for old in current if _hashable(old.get(key)) not in named]
    return result, False


def merge_key(field: str, items: list, builtin: bool) -> str | None:
    """The key the elements of list `field` merge by, or None when the list is replaced whole."""
    if not items or not all(isinstance(item, Sourced) for item in items):
        return None
    if field == "ports":
        known = "containerPort" if any("containerPort" in item for item in items) else "port"
        return known if all(known in item for item in items) else None
    known = MERGE_KEYS.get(field)
    if known is not None:
        return known if all(known in item for item in items) else None
    if builtin:
        return None
    return next((key for key in ASSOCIATIVE_KEYS if all(key in item for item in items)), None)


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _replaced(target: Sourced, key: Any) -> Span:
    old = target.origin(key)
    return Span(old.file, old.line, old.via, old.note or "value it replaces")


def _clean(value: Any) -> Any:
    """A patch value as it lands in the object: `$` directives removed, deleted elements dropped."""
    if isinstance(value, Sourced):
        if value.get("$patch") == "delete":
            return DELETE
        result = copy(value)
        for key in [k for k in result if isinstance(k, str) and k.startswith("$")]:
            result.drop(key)
        for key in list(result):
            cleaned = _clean(result[key])
            if cleaned is DELETE or cleaned is None:
                result.drop(key)
            else:
                result[key] = cleaned
        return result
    if isinstance(value, list):
        return [item for item in (_clean(item) for item in value) if item is not DELETE]
    if isinstance(value, dict):  # a plain mapping (never from the YAML reader): give it the origin of nothing
        return _clean(adopt(value, "", 0))
    return value
