"""Which resources a kustomization entry targets: kustomize's selectors (regular expressions on group, version,
kind, name and namespace; label and annotation selectors in the `a=b,c in (x,y),!d` syntax)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from archlint import regex


def group_version(api_version: Any) -> tuple[str, str]:
    """("apps", "v1") for "apps/v1", ("", "v1") for "v1"."""
    text = str(api_version or "")
    group, _, version = text.rpartition("/")
    return group, version


def same_namespace(a: str | None, b: str | None) -> bool:
    """kustomize treats an empty namespace and `default` as the same one."""
    return (a or "default") == (b or "default")


@dataclass(frozen=True)
class Selector:
    """A `target:` of a patch (or a replacement's `select`); empty fields select anything."""

    group: str | None = None
    version: str | None = None
    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    labels: Callable[[dict], bool] | None = field(default=None, compare=False)
    annotations: Callable[[dict], bool] | None = field(default=None, compare=False)

    def matches(self, resource: Any) -> bool:
        """`resource` (a kustomize Resource) is selected, by its original or its current name and namespace."""
        data = resource.data
        group, version = group_version(data.get("apiVersion"))
        if self.group is not None and not _full(self.group, group):
            return False
        if self.version is not None and not _full(self.version, version):
            return False
        if self.kind is not None and not _full(self.kind, str(data.get("kind", ""))):
            return False
        if self.name is not None and not any(_full(self.name, name) for name in (resource.original[2], resource.name)):
            return False
        if self.namespace is not None and not any(
                _full(self.namespace, ns or "default") or (not ns and self.namespace == "")
                for ns in (resource.original[3], resource.namespace)):
            return False
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        if self.labels is not None and not self.labels(_strings(metadata.get("labels"))):
            return False
        if self.annotations is not None and not self.annotations(_strings(metadata.get("annotations"))):
            return False
        return True


def selector(spec: Any) -> Selector:
    """The Selector a `target:` mapping describes; ValueError for a malformed one."""
    if not isinstance(spec, dict):
        raise ValueError("a target must be a mapping")

    def text(key: str) -> str | None:
        value = spec.get(key)
        return None if value in (None, "") else str(value)

    labels, annotations = text("labelSelector"), text("annotationSelector")
    return Selector(text("group"), text("version"), text("kind"), text("name"), text("namespace"),
                    parse_selector(labels) if labels else None, parse_selector(annotations) if annotations else None)


_SET = re.compile(r"^\s*([^\s!=,()]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def parse_selector(text: str) -> Callable[[dict], bool]:
    """A label selector string (`app=web,tier!=db,env in (a,b),!legacy,release`) as a test on a label map."""
    tests: list[Callable[[dict], bool]] = []
    for term in _terms(text):
        found = _SET.match(term)
        if found:
            key, op, values = found.group(1), found.group(2), {v.strip() for v in found.group(3).split(",")}
            tests.append((lambda k, vs: lambda m: m.get(k) in vs)(key, values) if op == "in"
                         else (lambda k, vs: lambda m: m.get(k) not in vs)(key, values))
        elif "!=" in term:
            key, value = (part.strip() for part in term.split("!=", 1))
            tests.append((lambda k, v: lambda m: m.get(k) != v)(key, value))
        elif "=" in term:
            key, value = (part.strip() for part in term.replace("==", "=").split("=", 1))
            tests.append((lambda k, v: lambda m: m.get(k) == v)(key, value))
        elif term.strip().startswith("!"):
            tests.append((lambda k: lambda m: k not in m)(term.strip()[1:].strip()))
        elif term.strip():
            tests.append((lambda k: lambda m: k in m)(term.strip()))
    return lambda labels: all(test(labels) for test in tests)


def _terms(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    terms, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    return [*terms, current]


def _full(pattern: str, value: str) -> bool:
    """kustomize matches a target's fields as Go regular expressions (RE2), anchored: so does archlint, in time
    linear in the name (a backtracking `(a+)+` in a repository's kustomization would take minutes)."""
    try:
        return regex.compile(pattern).fullmatch(value)
    except regex.RegexError:
        return pattern == value


def _strings(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
