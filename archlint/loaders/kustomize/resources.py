"""A resource while a kustomization renders it: its data (with origins) and the names and ids it has had."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.loaders.kustomize.origin import Sourced
from archlint.loaders.kustomize.select import group_version, same_namespace
from archlint.model import Span

#: API groups of the Kubernetes API itself (their lists merge by the keys the API declares).
BUILTIN_GROUPS = frozenset({
    "", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io", "extensions",
    "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io",
    "admissionregistration.k8s.io", "apiextensions.k8s.io", "certificates.k8s.io", "events.k8s.io"})


@dataclass
class Problem:
    """Something a kustomization asks for that archlint did not do: `rule` IN012 (could not render) or IN006 (not
    read: remote, outside the tree, a plugin), with the place in the kustomization and how to make it readable."""

    rule: str
    message: str
    span: Span
    fix: str
    what: str = ""
    #: depends on the objects it applies to (a patch's target): not a problem of a component rendered alone
    contextual: bool = False


@dataclass
class Resource:
    data: Sourced
    #: (apiVersion, kind, name, namespace) as first read
    original: tuple[str, str, str, str]
    ids: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    #: generated: its name gets the content hash at the end of the build
    hashed: bool = False
    affixes: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, data: Sourced) -> "Resource":
        meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        resource = cls(data, (str(data.get("apiVersion", "")), str(data.get("kind", "")), str(meta.get("name", "")),
                              str(meta.get("namespace") or "")))
        resource.refresh()
        return resource

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def name(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("name", "")) if isinstance(meta, dict) else ""

    @property
    def namespace(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("namespace") or "") if isinstance(meta, dict) else ""

    @property
    def builtin(self) -> bool:
        return group_version(self.data.get("apiVersion"))[0] in BUILTIN_GROUPS

    def current_id(self) -> tuple[str, str, str, str, str]:
        group, version = group_version(self.data.get("apiVersion"))
        return group, version, self.kind, self.namespace or "default", self.name

    def refresh(self) -> None:
        """Remember the current id and name (after a transformer or a patch changed them)."""
        current = self.current_id()
        if current not in self.ids:
            self.ids.append(current)
        if self.name not in self.names:
            self.names.append(self.name)

    def has_id(self, group: str, version: str, kind: str, namespace: str, name: str) -> bool:
        return any(g == group and v == version and k == kind and same_namespace(ns, namespace) and n == name
                   for g, v, k, ns, n in self.ids)

    def describe(self) -> str:
        return f"{self.kind} {self.name}"
