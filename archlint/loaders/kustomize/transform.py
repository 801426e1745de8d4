"""kustomize's built-in transformers on rendered resources: namespace, name prefix and suffix, labels,
annotations, images and replicas, each value set keeping the kustomization line that set it."""

from __future__ import annotations

from typing import Any, Iterable

from archlint.loaders.kustomize.origin import Sourced, sourced
from archlint.loaders.kustomize.select import group_version
from archlint.model import Span

#: Kinds without a namespace: the namespace transformer leaves them alone.
CLUSTER_SCOPED = frozenset({
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
    "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    "APIService", "CSIDriver", "CSINode", "RuntimeClass", "IngressClass", "VolumeSnapshotClass", "Node",
    "PodSecurityPolicy", "ClusterIssuer", "ComponentStatus", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "FlowSchema", "PriorityLevelConfiguration", "CertificateSigningRequest",
    "VolumeAttachment", "ClusterRoleBindingList", "GatewayClass", "ClusterPolicy", "ClusterSecretStore"})
#: Kinds that keep their name under namePrefix / nameSuffix.
NOT_RENAMED = frozenset({"CustomResourceDefinition", "APIService", "Namespace"})

_WORKLOADS = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job")
#: Where commonLabels (and `labels` with includeSelectors) go besides metadata.labels: (kind, path, create).
SELECTOR_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("Service", "spec/selector", True),
    ("ReplicationController", "spec/selector", True),
    ("ReplicationController", "spec/template/metadata/labels", True),
    *((kind, "spec/selector/matchLabels", kind != "Job") for kind in _WORKLOADS),
    *((kind, "spec/template/metadata/labels", True) for kind in _WORKLOADS),
    *((kind, f"spec/template/spec/affinity/{affinity}/{term}/labelSelector/matchLabels", False)
      for kind in ("Deployment", "StatefulSet") for affinity in ("podAffinity", "podAntiAffinity")
      for term in ("preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm",
                   "requiredDuringSchedulingIgnoredDuringExecution")),
    ("Deployment", "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", False),
    ("StatefulSet", "spec/volumeClaimTemplates/metadata/labels", True),
    ("CronJob", "spec/jobTemplate/spec/selector/matchLabels", False),
    ("CronJob", "spec/jobTemplate/metadata/labels", True),
    ("CronJob", "spec/jobTemplate/spec/template/metadata/labels", True),
    ("PodDisruptionBudget", "spec/selector/matchLabels", False),
    ("NetworkPolicy", "spec/podSelector/matchLabels", False),
    ("NetworkPolicy", "spec/ingress/from/podSelector/matchLabels", False),
    ("NetworkPolicy", "spec/egress/to/podSelector/matchLabels", False),
)
#: Pod template labels only (`labels` with includeTemplates).
TEMPLATE_FIELDS = tuple(f for f in SELECTOR_FIELDS if f[1].endswith("metadata/labels") and "volumeClaim" not in f[1])
#: Where commonAnnotations go besides metadata.annotations.
ANNOTATION_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("ReplicationController", "spec/template/metadata/annotations", True),
    *((kind, "spec/template/metadata/annotations", True) for kind in _WORKLOADS),
    ("CronJob", "spec/jobTemplate/metadata/annotations", True),
    ("CronJob", "spec/jobTemplate/spec/template/metadata/annotations", True),
)
REPLICATED = frozenset({"Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"})


def metadata(data: Sourced, span: Span) -> Sourced:
    """The object's metadata mapping, created at `span` when absent."""
    meta = data.get("metadata")
    if not isinstance(meta, Sourced):
        meta = sourced(span)
        data.put("metadata", meta, span)
    return meta


def set_namespace(resource: Any, namespace: str, span: Span) -> None:
    data = resource.data
    kind = str(data.get("kind", ""))
    if kind in CLUSTER_SCOPED:
        return
    meta = metadata(data, span)
    old = meta.existing("namespace")
    meta.put("namespace", namespace, span.through(_was(old)) if old else span)
    if kind in ("RoleBinding", "ClusterRoleBinding"):
        for subject in data.get("subjects") or ():
            if isinstance(subject, Sourced) and subject.get("kind") == "ServiceAccount" \
                    and subject.get("namespace") in (None, "", "default"):
                subject.put("namespace", namespace, span)


def rename(resource: Any, prefix: str, suffix: str, span: Span) -> None:
    data = resource.data
    if str(data.get("kind", "")) in NOT_RENAMED or not (prefix or suffix):
        return
    meta = metadata(data, span)
    name = str(meta.get("name", ""))
    old = meta.existing("name")
    meta.put("name", f"{prefix}{name}{suffix}", span.through(_was(old)) if old else span)


def add_fields(resource: Any, pairs: Iterable[tuple[str, str, Span]], fields: Iterable[tuple[str, str, bool]],
               key: str) -> None:
    """Put each (name, value, origin) in metadata.<key> and in each field of `fields` the resource's kind has."""
    pairs = list(pairs)
    if not pairs:
        return
    data = resource.data
    kind = str(data.get("kind", ""))
    group, _ = group_version(data.get("apiVersion"))
    paths = [("metadata/" + key, True)]
    paths += [(path, create) for field_kind, path, create in fields if field_kind == kind and _group_ok(kind, group)]
    for path, create in paths:
        for target in _walk(data, path.split("/"), create, pairs[0][2]):
            for name, value, span in pairs:
                old = target.existing(name)
                target.put(name, value, span.through(_was(old)) if old and target.get(name) != value else span)


def set_image(resource: Any, entry: dict, span: Span) -> None:
    """The `images:` entry applied to every container and init container whose image has the entry's name."""
    wanted = str(entry.get("name", ""))
    for container in _containers(resource.data):
        image = container.get("image")
        if not isinstance(image, str):
            continue
        name, tag, digest = split_image(image)
        if name != wanted:
            continue
        if entry.get("newName"):
            name = str(entry["newName"])
        if entry.get("digest"):
            tag, digest = "", str(entry["digest"])
        elif entry.get("newTag") not in (None, ""):
            tag, digest = str(entry["newTag"]), ""
        if entry.get("tagSuffix"):
            tag += str(entry["tagSuffix"])
        new = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
        old = container.existing("image")
        container.put("image", new, span.through(_was(old)) if old else span)


def split_image(image: str) -> tuple[str, str, str]:
    """(name, tag, digest) of an image reference; a registry port is part of the name."""
    rest, _, digest = image.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        return rest[:colon], rest[colon + 1:], digest
    return rest, "", digest


def set_replicas(resource: Any, count: Any, span: Span) -> None:
    data = resource.data
    if str(data.get("kind", "")) not in REPLICATED:
        return
    spec = data.get("spec")
    if not isinstance(spec, Sourced):
        spec = sourced(span)
        data.put("spec", spec, span)
    old = spec.existing("replicas")
    spec.put("replicas", count, span.through(_was(old)) if old else span)


def _containers(value: Any) -> Iterable[Sourced]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("containers", "initContainers") and isinstance(item, list):
                yield from (c for c in item if isinstance(c, Sourced))
            elif isinstance(item, (dict, list)):
                yield from _containers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _containers(item)


def _walk(node: Any, parts: list[str], create: bool, span: Span) -> Iterable[Sourced]:
    if not parts:
        if isinstance(node, Sourced):
            yield node
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, parts, create, span)
        return
    if not isinstance(node, Sourced):
        return
    head = parts[0]
    child = node.get(head)
    if child is None:
        if not create:
            return
        child = sourced(span)
        node.put(head, child, span)
    yield from _walk(child, parts[1:], create, span)


def _group_ok(kind: str, group: str) -> bool:
    """The field specs name kinds of the built-in groups; a custom resource of the same kind is not one of them."""
    builtin = {"Service": "", "ReplicationController": "", "Deployment": ("apps", "extensions"),
               "ReplicaSet": ("apps", "extensions"), "DaemonSet": ("apps", "extensions"), "StatefulSet": ("apps",),
               "Job": ("batch",), "CronJob": ("batch",), "PodDisruptionBudget": ("policy",),
               "NetworkPolicy": ("networking.k8s.io", "extensions")}.get(kind)
    return builtin is None or group in (builtin if isinstance(builtin, tuple) else (builtin,))


def _was(span: Span) -> Span:
    return Span(span.file, span.line, span.via, span.note or "value it replaces")
