"""Jaeger's service dependencies (`/api/dependencies`): calls observed in traces between named services."""

from __future__ import annotations

from typing import Any

from archlint.finding import Finding
from archlint.loaders.yamlsource import Document
from archlint.model import Component, Dependency, EdgeKind, ModelBuilder, NodeKind, Span

FORMAT = "jaeger"


def claims(data: Any, name: str = "") -> bool:
    """A non-empty list (bare or under `data`) whose every item has string `parent` and `child`."""
    return bool(_links(data))


def _links(data: Any) -> list[dict]:
    items = data.get("data") if isinstance(data, dict) and "apiVersion" not in data else data
    if not isinstance(items, list) or not items:
        return []
    links = all(isinstance(i, dict) and isinstance(i.get("parent"), str) and isinstance(i.get("child"), str)
                for i in items)
    return items if links else []


def load(documents: list[Document], builder: ModelBuilder, problems: list[Finding]) -> None:
    """One component per service name (merged by the builder with what other formats say), one edge per pair."""
    services: dict[str, Component] = {}
    for document in documents:
        for item in _links(document.data):
            line_of = getattr(item, "line_of", None)  # the `parent` key: in JSON the item's own line is a lone `{`
            span = Span(document.file, line_of("parent") if line_of else document.line)
            parent, child = (_service(item[key], span, services, builder) for key in ("parent", "child"))
            count = item.get("callCount")
            counted = isinstance(count, int) and not isinstance(count, bool)
            evidence = f"observed {count} call{'s' if count != 1 else ''}" if counted else "observed"
            if item.get("source"):
                evidence += f" (source: {item['source']})"
            builder.connect(Dependency(parent.id, child.id, EdgeKind.CALLS, span, origin="observed", evidence=evidence))


def _service(name: str, span: Span, services: dict[str, Component], builder: ModelBuilder) -> Component:
    """The service of that name, created at its first mention; a guess of kind, so any other format's kind wins."""
    if name not in services:
        services[name] = Component(id=builder.unique_id(f"jaeger:{name}", span.file), name=name, kind=NodeKind.SERVICE,
                                   span=span, source=FORMAT, attrs={"kind_reason": "a service seen in traces"})
        builder.add(services[name])
    return services[name]
