"""Name references: when kustomize renames an object (namePrefix, nameSuffix, a generated name's hash), the
fields that name it in other objects follow (pod volumes and env sources, service accounts, Ingress backends,
autoscaler targets, role bindings), as kustomize's name reference transformer does for the built-in kinds."""

from __future__ import annotations

from typing import Any, Iterator

from archlint.loaders.kustomize import generate, transform
from archlint.loaders.kustomize.origin import Sourced
from archlint.loaders.kustomize.resources import Resource

_POD_HOLDERS = {"Pod": ("spec",), "CronJob": ("spec", "jobTemplate", "spec", "template", "spec")}
_TEMPLATE = ("spec", "template", "spec")


def pod_spec(data: dict) -> Any:
    path = _POD_HOLDERS.get(str(data.get("kind")), _TEMPLATE)
    node: Any = data
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node if isinstance(node, Sourced) else None


def _items(node: Any, *keys: str) -> Iterator[Sourced]:
    """The mappings under `keys` (through lists) of `node`."""
    if isinstance(node, list):
        for item in node:
            yield from _items(item, *keys)
        return
    if not keys:
        if isinstance(node, Sourced):
            yield node
        return
    if isinstance(node, dict):
        yield from _items(node.get(keys[0]), *keys[1:])


def _containers(spec: Sourced) -> Iterator[Sourced]:
    for key in ("containers", "initContainers", "ephemeralContainers"):
        yield from _items(spec, key)


def references(data: dict) -> Iterator[tuple[str, Sourced, str]]:
    """(referenced kind, mapping, key) for every field of `data` that names another object by name."""
    kind = str(data.get("kind", ""))
    spec = pod_spec(data)
    if spec is not None:
        for volume in _items(spec, "volumes"):
            yield from _at("ConfigMap", _items(volume, "configMap"), "name")
            yield from _at("Secret", _items(volume, "secret"), "secretName")
            yield from _at("PersistentVolumeClaim", _items(volume, "persistentVolumeClaim"), "claimName")
            yield from _at("ConfigMap", _items(volume, "projected", "sources", "configMap"), "name")
            yield from _at("Secret", _items(volume, "projected", "sources", "secret"), "name")
        for container in _containers(spec):
            yield from _at("ConfigMap", _items(container, "env", "valueFrom", "configMapKeyRef"), "name")
            yield from _at("Secret", _items(container, "env", "valueFrom", "secretKeyRef"), "name")
            yield from _at("ConfigMap", _items(container, "envFrom", "configMapRef"), "name")
            yield from _at("Secret", _items(container, "envFrom", "secretRef"), "name")
        yield from _at("Secret", _items(spec, "imagePullSecrets"), "name")
        for key in ("serviceAccountName", "serviceAccount"):
            if key in spec:
                yield "ServiceAccount", spec, key
        if "priorityClassName" in spec:
            yield "PriorityClass", spec, "priorityClassName"
    if kind == "StatefulSet":
        yield from _at("Service", _items(data, "spec"), "serviceName")
        yield from _at("StorageClass", _items(data, "spec", "volumeClaimTemplates", "spec"), "storageClassName")
    if kind == "Ingress":
        for backend in (*_items(data, "spec", "defaultBackend"), *_items(data, "spec", "backend"),
                        *_items(data, "spec", "rules", "http", "paths", "backend")):
            yield from _at("Service", _items(backend, "service"), "name")
            yield from _at("Service", (backend,), "serviceName")
        yield from _at("Secret", _items(data, "spec", "tls"), "secretName")
    if kind == "HorizontalPodAutoscaler":
        for ref in _items(data, "spec", "scaleTargetRef"):
            if isinstance(ref.get("kind"), str) and "name" in ref:
                yield ref["kind"], ref, "name"
    if kind in ("RoleBinding", "ClusterRoleBinding"):
        for ref in _items(data, "roleRef"):
            if isinstance(ref.get("kind"), str) and "name" in ref:
                yield ref["kind"], ref, "name"
        for subject in _items(data, "subjects"):
            if subject.get("kind") == "ServiceAccount" and "name" in subject:
                yield "ServiceAccount", subject, "name"
    if kind == "PersistentVolumeClaim":
        yield from _at("StorageClass", _items(data, "spec"), "storageClassName")
    if kind == "ServiceAccount":
        yield from _at("Secret", _items(data, "secrets"), "name")
        yield from _at("Secret", _items(data, "imagePullSecrets"), "name")
    if kind == "PodDisruptionBudget" or kind == "NetworkPolicy":
        return


def _at(kind: str, mappings: Any, key: str) -> Iterator[tuple[str, Sourced, str]]:
    for mapping in mappings:
        if isinstance(mapping.get(key), str):
            yield kind, mapping, key


def add_hashes(resources: list[Resource]) -> None:
    """Generated objects renamed with kustomize's hash of their content (`app-4h2mbtbbt6`)."""
    for resource in resources:
        if resource.hashed:
            meta = resource.data["metadata"]
            meta["name"] = f"{resource.name}-{generate.content_hash(resource.data)}"
            resource.refresh()


def follow_renames(resources: list[Resource]) -> None:
    """Every reference to a renamed object (a prefix, a suffix, a hash) made to name it again, preferring an object
    of the referrer's namespace and then of its own affixes when several had the old name."""
    by_kind: dict[str, list[Resource]] = {}
    for resource in resources:
        by_kind.setdefault(resource.kind, []).append(resource)
    for referrer in resources:
        for kind, mapping, key in references(referrer.data):
            value = mapping[key]
            candidates = by_kind.get(kind, [])
            if not candidates or any(c.name == value for c in candidates if _near(c, referrer)):
                continue
            renamed = [c for c in candidates if value in c.names]
            if len(renamed) > 1:
                renamed = [c for c in renamed if _near(c, referrer)] or renamed
            if len(renamed) > 1:
                renamed = [c for c in renamed if c.affixes == referrer.affixes] or renamed
            if renamed:
                mapping[key] = renamed[0].name


def _near(candidate: Resource, referrer: Resource) -> bool:
    return candidate.kind in transform.CLUSTER_SCOPED or candidate.namespace == referrer.namespace
