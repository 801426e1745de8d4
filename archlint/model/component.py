"""The values the model holds: components (nodes), dependencies (edges) and where they came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class NodeKind(str, enum.Enum):
    """What a component is; auxiliary kinds (autoscaler, disruption-budget) carry controls, not traffic."""

    SERVICE = "service"
    WORKER = "worker"
    FUNCTION = "function"
    BATCH_JOB = "batch-job"
    SCHEDULED_JOB = "scheduled-job"
    DATASTORE = "datastore"
    CACHE = "cache"
    QUEUE = "queue"
    VECTOR_STORE = "vector-store"
    MODEL_SERVING = "model-serving"
    TRAINING_JOB = "training-job"
    GATEWAY = "gateway"
    EXTERNAL = "external"
    CLIENT = "client"
    CLUSTER = "cluster"
    NODE_POOL = "node-pool"
    AUTOSCALER = "autoscaler"
    DISRUPTION_BUDGET = "disruption-budget"


class Tier(str, enum.Enum):
    """The infrastructure model a component runs on."""

    GRID = "grid"
    CLOUD = "cloud"
    EDGE = "edge"
    AI = "ai"
    UNKNOWN = "unknown"


class EdgeKind(str, enum.Enum):
    """What a dependency means."""

    CALLS = "calls"
    READS = "reads"
    WRITES = "writes"
    ROUTES = "routes"
    PUBLISHES = "publishes"
    CONSUMES = "consumes"
    SCALES = "scales"
    PROTECTS = "protects"
    DEPENDS_ON = "depends-on"


#: Edge kinds along which a request or its data travels (as opposed to control relations).
TRAFFIC_EDGES = frozenset({EdgeKind.CALLS, EdgeKind.READS, EdgeKind.WRITES, EdgeKind.ROUTES,
                           EdgeKind.PUBLISHES, EdgeKind.CONSUMES, EdgeKind.DEPENDS_ON})

#: Component kinds that carry controls over other components (scaling, disruption), not traffic.
CONTROL_KINDS = frozenset({NodeKind.AUTOSCALER, NodeKind.DISRUPTION_BUDGET})

#: Component kinds that run long-lived processes which may or may not serve traffic.
LONG_RUNNING = frozenset({NodeKind.SERVICE, NodeKind.WORKER, NodeKind.DATASTORE, NodeKind.CACHE, NodeKind.QUEUE,
                          NodeKind.VECTOR_STORE, NodeKind.MODEL_SERVING, NodeKind.GATEWAY})


@dataclass(frozen=True, slots=True)
class Span:
    """A place in an input file: path relative to the scan root (forward slashes) and 1-based line.

    A value's origin is a Span too. `file` and `line` are where the user edits it (the caller's argument, the
    overlay's patch, the tfvars line); `via` lists the other places the value passed through, nearest first (the
    module attribute it lands in, the base it patches), each with a `note` saying what that place is. Loaders
    record origins; rules hand spans to findings and never work out lines themselves."""

    file: str
    line: int
    via: tuple["Span", ...] = ()
    note: str = ""

    def through(self, *places: "Span") -> "Span":
        """This span with `places` added to the end of its chain (each keeps its note; its own chain is flattened)."""
        chain = list(self.via)
        for place in places:
            chain.append(Span(place.file, place.line, note=place.note) if place.via else place)
            chain.extend(place.via)
        return Span(self.file, self.line, tuple(chain), self.note)


@dataclass(frozen=True, slots=True)
class Probe:
    """A health probe as declared; `kind` is http, tcp, grpc or exec. `check` says what it asks, the same text for
    the same check (`http GET /healthz on 8080`); `port` is the port it names, and `port_declared` whether the
    container declares a port of that name (None: the port is a number, probed whether declared or not)."""

    kind: str
    line: int
    check: str | None = None
    port: str | None = None
    port_declared: bool | None = None
    span: Span | None = None


def image_base(image: str | None) -> str:
    """An image's base name: `gcr.io/x/redis:7-alpine@sha256:..` -> `redis`."""
    return (image or "").split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0].lower()


@dataclass(frozen=True, slots=True)
class Container:
    """One container of a workload, with what the files say about it (None: not given)."""

    name: str
    image: str | None
    span: Span
    cpu_request: float | None = None
    memory_request: float | None = None
    cpu_limit: float | None = None
    memory_limit: float | None = None
    gpu: float | None = None
    readiness: Probe | None = None
    liveness: Probe | None = None
    ports: tuple[int, ...] = ()
    init: bool = False
    resources_span: Span | None = None
    #: Where the image is set: its `image:` line, or the kustomization's `images:` entry that changed it.
    image_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Autoscaling:
    """Autoscaling bounds and the object that declares them. `label` names that object for messages
    (`HorizontalPodAutoscaler web`); `min_span` is where its minimum is set (or would be, when it is defaulted)."""

    min_replicas: int | None
    max_replicas: int | None
    source: str
    span: Span
    metrics: tuple[str, ...] = ()
    label: str | None = None
    min_span: Span | None = None


@dataclass(slots=True)
class Component:
    """A node of the model. Any field a file does not give stays None (unknown), never a guess."""

    id: str
    name: str
    kind: NodeKind
    span: Span
    source: str
    tier: Tier = Tier.UNKNOWN
    namespace: str | None = None
    workload_kind: str | None = None
    provider: str | None = None
    region: str | None = None
    zones: tuple[str, ...] | None = None
    replicas: int | None = None
    replicas_span: Span | None = None
    autoscaling: Autoscaling | None = None
    cpu: float | None = None
    memory: float | None = None
    gpu: float | None = None
    containers: tuple[Container, ...] = ()
    availability: float | None = None
    latency_ms: float | None = None
    criticality: str | None = None
    entrypoint: bool | None = None
    user_facing: bool | None = None
    rps: float | None = None
    monthly_active_users: float | None = None
    data_bytes: float | None = None
    owner: str | None = None
    #: The deployable this component belongs to (a kustomization, a Helm chart, a directory of manifests, or a
    #: system `.archlint.yaml` declares); None when the input is one system. Lookups stay inside one system.
    system: str | None = None
    #: The variant of its system it was rendered in (a kustomize overlay, a values file); None when the system
    #: has one. The same problem in several variants is one finding listing them (Finding.instances).
    variant: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    points: dict[str, Span] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)

    def at(self, point: str) -> Span:
        """The span of a named point of this component (`replicas`, `anti-affinity`, ...), else its own span."""
        return self.points.get(point, self.span)

    @property
    def min_replicas(self) -> int | None:
        """The fewest replicas this component can run with: autoscaler minimum if any, else its replicas."""
        if self.autoscaling and self.autoscaling.min_replicas is not None:
            return self.autoscaling.min_replicas
        return self.replicas


class _WorkedOutWhenRead:
    """A span slot that may hold what a loader works out only when it is read (anything with `resolve()` giving
    the Span, as Terraform's origins traced through module calls): the first read resolves and keeps it, so most
    replicas and autoscaler spans, which no finding reports, are never traced. Every other read is the slot's."""

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self.slot
        value = self.slot.__get__(instance, owner)
        if value is not None and type(value) is not Span:
            value = value.resolve()
            self.slot.__set__(instance, value)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        self.slot.__set__(instance, value)


Autoscaling.span = _WorkedOutWhenRead(Autoscaling.span)  # type: ignore[assignment]
Autoscaling.min_span = _WorkedOutWhenRead(Autoscaling.min_span)  # type: ignore[assignment]
Component.replicas_span = _WorkedOutWhenRead(Component.replicas_span)  # type: ignore[assignment]


@dataclass(slots=True)
class Dependency:
    """An edge of the model. `mode` is sync, async or None (unknown); `origin` says how archlint knows it."""

    source: str
    target: str
    kind: EdgeKind
    span: Span
    origin: str = "declared"
    mode: str | None = None
    rate_rps: float | None = None
    bytes_per_call: float | None = None
    bytes_per_day: float | None = None
    timeout_ms: float | None = None
    retries: int | None = None
    backoff: str | None = None
    circuit_breaker: bool | None = None
    evidence: str | None = None
    #: Where the timeout, retries and circuit breaker are configured when not on the dependency itself (a mesh
    #: route: an Istio VirtualService, a Linkerd ServiceProfile): rules judge those settings as declared there.
    resilience: Span | None = None

    @property
    def sync(self) -> bool:
        return self.mode == "sync"
