"""archlint's own service-graph YAML: tiers, locations, SLOs, traffic and dependencies that manifests cannot say."""

from __future__ import annotations

from typing import Any

from archlint.finding import Finding
from archlint.loaders.yamlsource import Document
from archlint.model import Autoscaling, Component, Dependency, EdgeKind, ModelBuilder, NodeKind, Span, Tier
from archlint.model.resilience import DeclaredJourney
from archlint.model.units import duration_ms, percent, quantity, size_bytes

FORMAT = "service-graph"
SCHEMA = "service-graph.schema.json"
INVALID = "IN002"


def claims(data: Any, name: str = "") -> bool:
    return isinstance(data, dict) and str(data.get("apiVersion", "")).startswith("archlint.dev/")


def load(documents: list[Document], builder: ModelBuilder, problems: list[Finding]) -> None:
    """Validate each document against the schema (all errors at once), then add its components and dependencies."""
    from archlint.validation import validate

    for document in documents:
        errors = validate(document.data, SCHEMA, document.line)
        for error in errors:
            problems.append(Finding(INVALID, f"service graph: {error.path}: {error.message}", document.file,
                                    error.line, key=error.path, fix="Correct the document against schemas/service-graph.schema.json."))
        if not errors:
            _load_document(document, builder)


def _load_document(document: Document, builder: ModelBuilder) -> None:
    spec = document.data["spec"]
    defaults = spec.get("defaults", {})
    for item in spec.get("components", []):
        component = _component(item, defaults, document.file, builder)
        builder.add(component)
        for dep in item.get("dependencies", []):
            builder.connect(_dependency(component.id, dep, document.file))
    for item in spec.get("journeys", []):
        builder.journeys.append(_journey(item, document.file))


def _journey(item: dict, file: str) -> DeclaredJourney:
    """A declared user journey; its entry and calls stay names until the assessment resolves them."""
    calls = item.get("calls")
    return DeclaredJourney(
        name=item["name"], entry=item["entry"], span=Span(file, getattr(item, "line", 1)),
        calls=tuple(calls) if calls is not None else None, availability=percent(item.get("availability")),
        criticality=item.get("criticality"), call_spans=tuple(_at(file, item, "calls") for _ in calls or ()),
        entry_span=_at(file, item, "entry"))


def _component(item: dict, defaults: dict, file: str, builder: ModelBuilder) -> Component:
    span = Span(file, getattr(item, "line", 1))
    location = _location(defaults.get("location", {}), item.get("location", {}))
    resources, slo, traffic = item.get("resources", {}), item.get("slo", {}), item.get("traffic", {})
    scaling = item.get("autoscaling")
    kind = item.get("kind")
    tier = item.get("tier") or defaults.get("tier")
    component = Component(
        id=builder.unique_id(item["name"], file), name=item["name"], span=span, source=FORMAT,
        kind=NodeKind(kind) if kind else NodeKind.SERVICE, tier=Tier(tier) if tier else Tier.UNKNOWN,
        namespace=item.get("namespace"), provider=location.get("provider"), region=location.get("region"),
        zones=tuple(location["zones"]) if "zones" in location else None, replicas=item.get("replicas"),
        autoscaling=Autoscaling(scaling["min"], scaling["max"], item["name"], _at(file, item, "autoscaling"))
        if scaling else None,
        cpu=quantity(resources.get("cpu")), memory=size_bytes(resources.get("memory")), gpu=resources.get("gpu"),
        availability=percent(slo.get("availability")), latency_ms=duration_ms(slo.get("latency")),
        criticality=item.get("criticality"), entrypoint=item.get("entrypoint"), user_facing=item.get("user_facing"),
        rps=traffic.get("rps"), monthly_active_users=traffic.get("monthly_active_users"),
        data_bytes=size_bytes(item.get("data", {}).get("size")), owner=item.get("owner") or defaults.get("owner"),
        labels=dict(item.get("labels", {})),
        points={key: _at(file, item, key) for key in ("replicas", "autoscaling", "slo", "location", "dependencies", "tier", "data",
                                                      "replica_of")
                if key in item},
        attrs={"kind_declared": True} if kind else {},
    )
    if "replicas" in item:
        component.replicas_span = component.points["replicas"]
    data = item.get("data", {})
    extra = {"source_dir": _relative(file, item["source"]) if "source" in item else None,
             "peak_to_average": traffic.get("peak_to_average"), "data_role": data.get("role"),
             "data_extensions": list(data["extensions"]) if "extensions" in data else None,
             "data_classification": data.get("classification"),
             "data_residency": tuple(data["residency"]) if "residency" in data else None,
             "model": dict(item["model"]) if "model" in item else None,
             "replica_of": item.get("replica_of")}
    component.attrs.update({k: v for k, v in extra.items() if v is not None})
    if "observability" in item:
        declared = item["observability"]
        names = {"metrics": "metrics", "tracing": "tracing", "structured_logs": "logs"}
        component.attrs["telemetry"] = {names[k]: "declared in the service graph" for k, v in declared.items() if v}
    return component


def _location(default: dict, own: dict) -> dict:
    """The component's location over the defaults. The fields narrow each other: a component that names another
    provider does not take the default region and zones, one that names another region not the default zones."""
    inherited = dict(default)
    if "provider" in own and own["provider"] != default.get("provider"):
        inherited.pop("region", None)
        inherited.pop("zones", None)
    elif "region" in own and own["region"] != default.get("region"):
        inherited.pop("zones", None)
    return {**inherited, **own}


def _relative(file: str, directory: str) -> str:
    """A directory named in a service graph, relative to the scan root (forward slashes)."""
    import posixpath

    base = posixpath.dirname(file)
    return posixpath.normpath(posixpath.join(base, directory)) if base else posixpath.normpath(directory)


def _dependency(source: str, dep: dict, file: str) -> Dependency:
    retries = dep.get("retries")
    return Dependency(
        source=source, target=dep["target"], kind=EdgeKind(dep.get("kind", "calls")), span=Span(file, getattr(dep, "line", 1)),
        mode=dep.get("mode"), rate_rps=dep.get("rate"), bytes_per_call=size_bytes(dep.get("payload")),
        bytes_per_day=size_bytes(dep.get("volume_per_day")), timeout_ms=duration_ms(dep.get("timeout")),
        retries=retries, backoff=dep.get("backoff"), circuit_breaker=dep.get("circuit_breaker"),
    )


def _at(file: str, mapping: Any, key: str) -> Span:
    line_of = getattr(mapping, "line_of", None)
    return Span(file, line_of(key) if line_of else getattr(mapping, "line", 1))
