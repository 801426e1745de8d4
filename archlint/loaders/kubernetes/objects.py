"""Kubernetes objects as found in the files: identity, namespace defaulting, `List` expansion, pod templates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from archlint.loaders.kubernetes.selectors import string_map
from archlint.loaders.yamlsource import Document
from archlint.model import Span

#: What archlint calls a Knative Service (`serving.knative.dev`), to tell it from a core Service.
KNATIVE = "KnativeService"
WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
                            "Job", "CronJob", "Pod", "Rollout", "DeploymentConfig", KNATIVE})
#: Controllers whose `spec.replicas` the API server (or Argo Rollouts) defaults to 1 when absent.
REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"})


@dataclass(frozen=True, slots=True)
class K8sObject:
    """One object: kind, namespace (defaulted as kubectl does), name, labels, its data and its span."""

    api_version: str
    kind: str
    namespace: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    data: dict
    span: Span

    def line_of(self, mapping: Any, key: str) -> Span:
        """The span of `key` inside `mapping`: its origin when the mapping was rendered from several files (a
        kustomize overlay's patch, with the base as a related place), else its line in the object's file (a
        LineDict from the YAML reader); the object's span otherwise."""
        origin = getattr(mapping, "origin", None)
        if origin is not None:
            return origin(key)
        line_of = getattr(mapping, "line_of", None)
        return Span(self.span.file, line_of(key)) if line_of else self.span

    def at(self, mapping: Any) -> Span:
        """The span where `mapping` starts."""
        span = getattr(mapping, "span", None)
        if isinstance(span, Span):
            return span
        line = getattr(mapping, "line", None)
        return Span(self.span.file, line) if line else self.span


def mapping(value: Any) -> dict:
    """`value` if it is a mapping, else an empty one: real manifests have nulls where maps belong."""
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list:
    return value if isinstance(value, list) else []


def objects(documents: list[Document]) -> Iterator[K8sObject]:
    """Every object in the documents, with `List` kinds expanded."""
    for document in documents:
        yield from _expand(document.data, document.file, document.line)


def _expand(data: Any, file: str, line: int) -> Iterator[K8sObject]:
    if not isinstance(data, dict):
        return
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list):
        for item in data["items"]:
            yield from _expand(item, file, getattr(item, "line", line))
        return
    api_version = data.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(api_version, str):
        return
    metadata = mapping(data.get("metadata"))
    name = metadata.get("name") or metadata.get("generateName") or ""
    namespace = metadata.get("namespace")
    yield K8sObject(
        api_version=api_version,
        kind=kind,
        namespace=str(namespace) if namespace else "default",
        name=str(name),
        labels=string_map(metadata.get("labels")),
        annotations=string_map(metadata.get("annotations")),
        data=data,
        span=data.span if isinstance(getattr(data, "span", None), Span) else Span(file, getattr(data, "line", line)),
    )


def controller(obj: K8sObject) -> str:
    """The object's kind, with a Knative Service told from a core Service by its API group."""
    if obj.kind == "Service" and obj.api_version.startswith("serving.knative.dev/"):
        return KNATIVE
    return obj.kind


def pod_template(obj: K8sObject) -> tuple[dict[str, str], dict]:
    """The pod labels and pod spec a workload creates."""
    spec = mapping(obj.data.get("spec"))
    if obj.kind == "Pod":
        return obj.labels, spec
    if obj.kind == "CronJob":
        spec = mapping(mapping(spec.get("jobTemplate")).get("spec"))
    template = mapping(spec.get("template"))
    labels = string_map(mapping(template.get("metadata")).get("labels"))
    if controller(obj) == KNATIVE:  # Knative labels every pod of the Service with its name
        labels = {**labels, "serving.knative.dev/service": obj.name}
    return labels, mapping(template.get("spec"))


def pod_annotations(obj: K8sObject) -> dict[str, str]:
    """The annotations of the pods a workload creates (a Pod's own)."""
    if obj.kind == "Pod":
        return obj.annotations
    spec = mapping(obj.data.get("spec"))
    if obj.kind == "CronJob":
        spec = mapping(mapping(spec.get("jobTemplate")).get("spec"))
    return string_map(mapping(mapping(spec.get("template")).get("metadata")).get("annotations"))
