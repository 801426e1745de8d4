"""Whether a call waits for its answer, from the evidence the manifests give, with the reason kept."""

from __future__ import annotations

from archlint.loaders.kubernetes.objects import K8sObject, mapping, sequence
from archlint.model import NodeKind

#: URL schemes whose calls wait for the answer, and those that hand a message over.
SYNC_SCHEMES = frozenset({"http", "https", "grpc", "grpcs", "h2c", "ws", "wss", "redis", "rediss", "postgres",
                          "postgresql", "mysql", "mongodb", "mongodb+srv", "jdbc", "memcached", "tcp", "cassandra",
                          "elasticsearch", "bolt", "neo4j"})
ASYNC_SCHEMES = frozenset({"amqp", "amqps", "kafka", "nats", "mqtt", "mqtts", "sqs", "pubsub", "pulsar", "stomp"})
#: Protocol names as Istio reads them from a port's name (`grpc-web`, `http2`) or `appProtocol`, and the names of
#: well-known protocols seen in port names (`rabbitmq-amqp`, `tcp-redis`).
_PROTOCOLS = {"http": "sync", "http2": "sync", "https": "sync", "h2c": "sync", "grpc": "sync", "grpc-web": "sync",
              "ws": "sync", "wss": "sync", "kubernetes.io/h2c": "sync", "kubernetes.io/ws": "sync",
              "kubernetes.io/wss": "sync", "redis": "sync", "mongo": "sync", "mongodb": "sync", "mysql": "sync",
              "postgres": "sync", "postgresql": "sync", "memcached": "sync", "cql": "sync", "thrift": "sync",
              "amqp": "async", "amqps": "async", "kafka": "async", "nats": "async", "mqtt": "async",
              "pulsar": "async", "stomp": "async"}
#: Ports that conventionally serve one protocol.
_PORTS = {80: ("sync", "HTTP"), 443: ("sync", "HTTPS"), 50051: ("sync", "gRPC"), 5432: ("sync", "PostgreSQL"),
          3306: ("sync", "MySQL"), 27017: ("sync", "MongoDB"), 6379: ("sync", "Redis"), 11211: ("sync", "memcached"),
          9042: ("sync", "Cassandra"), 9200: ("sync", "Elasticsearch"), 26257: ("sync", "CockroachDB"),
          1433: ("sync", "SQL Server"), 8086: ("sync", "InfluxDB"), 7687: ("sync", "Neo4j"),
          5672: ("async", "AMQP"), 5671: ("async", "AMQP over TLS"), 9092: ("async", "Kafka"),
          4222: ("async", "NATS"), 1883: ("async", "MQTT"), 8883: ("async", "MQTT over TLS"),
          6650: ("async", "Pulsar"), 61613: ("async", "STOMP"), 61616: ("async", "ActiveMQ")}
_KINDS = {NodeKind.QUEUE: "async", NodeKind.DATASTORE: "sync", NodeKind.CACHE: "sync", NodeKind.VECTOR_STORE: "sync",
          NodeKind.MODEL_SERVING: "sync"}


def call_mode(scheme: str | None, port: int | None, service: K8sObject | None, callee_kind: NodeKind,
              callee_pod_spec: dict) -> tuple[str | None, str]:
    """(mode, reason): the URL's scheme, then the Service port's `appProtocol` or name (or its target container
    port's name), then the port's number, then what the callee is; (None, "") when nothing says."""
    if scheme in SYNC_SCHEMES:
        return "sync", f"the URL scheme {scheme} waits for the answer"
    if scheme in ASYNC_SCHEMES:
        return "async", f"the URL scheme {scheme} hands messages over"
    chosen = _service_port(service, port) if service is not None else None
    if chosen is not None:
        protocol = chosen.get("appProtocol")
        if isinstance(protocol, str) and protocol.lower() in _PROTOCOLS:
            return _PROTOCOLS[protocol.lower()], f"Service port {_label(chosen)} has appProtocol {protocol}"
        for name, what in ((chosen.get("name"), "Service port"), (_target_name(chosen, callee_pod_spec), "container port")):
            found = _protocol_in_name(name)
            if found:
                return _PROTOCOLS[found], f"{what} {name} speaks {found}"
        number = chosen.get("port")
        port = number if isinstance(number, int) else port
    if port in _PORTS:
        mode, protocol = _PORTS[port]
        return mode, f"port {port} is {protocol}'s"
    if callee_kind in _KINDS:
        verb = "hands messages over" if _KINDS[callee_kind] == "async" else "answers while the caller waits"
        return _KINDS[callee_kind], f"the callee is a {callee_kind.value}, which {verb}"
    return None, ""


def _service_port(service: K8sObject, port: int | None) -> dict | None:
    """The Service port a reference uses: the one with its number, else the only one."""
    ports = [mapping(p) for p in sequence(mapping(service.data.get("spec")).get("ports")) if isinstance(p, dict)]
    if port is not None:
        return next((p for p in ports if p.get("port") == port), None)
    return ports[0] if len(ports) == 1 else None


def _label(port: dict) -> str:
    return str(port.get("name") or port.get("port"))


def _target_name(port: dict, pod_spec: dict) -> str | None:
    """The name of the container port a Service port forwards to (named in `targetPort`, or found by number)."""
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, str):
        return target
    for container in sequence(pod_spec.get("containers")):
        for declared in sequence(mapping(container).get("ports")):
            if mapping(declared).get("containerPort") == target and mapping(declared).get("name"):
                return str(mapping(declared)["name"])
    return None


def _protocol_in_name(name: object) -> str | None:
    """Istio's convention `<protocol>[-<suffix>]` (`grpc`, `http-web`), or a known protocol as one of the
    dash-separated words (`rabbitmq-amqp`, `tcp-redis`)."""
    if not isinstance(name, str) or not name:
        return None
    lowered = name.lower()
    if lowered in _PROTOCOLS:
        return lowered
    words = lowered.split("-")
    if words[0] in _PROTOCOLS:
        return words[0]
    return next((w for w in words[1:] if w in _PROTOCOLS), None)
