"""What kind of component a Kubernetes workload is, from its controller, accelerators and images."""

from __future__ import annotations

import re

from archlint.model import NodeKind, image_base

#: Image base names (registry and tag removed) of well-known software, by the kind of component they make.
_IMAGES: tuple[tuple[NodeKind, re.Pattern[str]], ...] = (
    (NodeKind.VECTOR_STORE, re.compile(r"^(qdrant|weaviate|milvus(db)?|chroma(db)?|pgvector|vespa|marqo)$")),
    (NodeKind.CACHE, re.compile(r"^(redis|redis-stack(-server)?|valkey|memcached|keydb|dragonfly|varnish)$")),
    (NodeKind.QUEUE, re.compile(r"^(rabbitmq|kafka|cp-kafka|nats|nats-streaming|activemq|pulsar|redpanda|zookeeper|"
                                r"emqx|mosquitto|eclipse-mosquitto)$")),
    (NodeKind.DATASTORE, re.compile(r"^(postgres(ql)?|mysql|mariadb|mongo(db)?|cassandra|cockroach(db)?|couchdb|"
                                    r"couchbase|elasticsearch|opensearch|neo4j|influxdb|clickhouse(-server)?|"
                                    r"minio|etcd|scylla|timescaledb|yugabyte|tidb|spanner-emulator|dynamodb-local|"
                                    r"cloud-sql-proxy|cloudsql-proxy)$")),
    (NodeKind.MODEL_SERVING, re.compile(r"^(vllm|vllm-openai|tritonserver|text-generation-inference|tgi|ollama|"
                                        r"torchserve|tensorflow-serving|serving|kserve|seldon.*|ray-ml|llama.*server|"
                                        r"triton.*|tei|text-embeddings-inference)$")),
    (NodeKind.GATEWAY, re.compile(r"^(nginx-ingress|ingress-nginx.*|controller|envoy|kong|traefik|haproxy|"
                                  r"istio-proxy|proxyv2|contour|emissary|ambassador|api-gateway)$")),
)

#: Executables that start the server of a store's image: a `command` naming none of them runs something else
#: in that image (`sleep 3600`, `psql ...`, `redis-cli ...`: a client pod, not a store).
_SERVERS = re.compile(r"(redis-server|valkey-server|keydb-server|postgres|docker-entrypoint|mysqld|mariadbd|mongod\b|"
                      r"rabbitmq-server|kafka-server-start|zookeeper-server-start|zkServer|elasticsearch|opensearch|"
                      r"cassandra|memcached|etcd|minio|cockroach|couchdb|neo4j|influxd|clickhouse|qdrant|weaviate|"
                      r"milvus|mosquitto|redpanda|nats-server|pulsar|activemq|artemis|scylla|run\.sh|entrypoint|start)")


def runs_server(container: dict) -> bool:
    """Whether a container runs its image's own server: no `command` (the image's entrypoint), or one that
    names a server executable (also inside `sh -c "..."`)."""
    command = container.get("command")
    if not isinstance(command, list) or not command:
        return True
    return _SERVERS.search(" ".join(str(part) for part in command)) is not None


#: Load generators by image base name or workload name: they send requests, they do not serve them.
_LOAD_GENERATORS = re.compile(r"^(locust(io)?|k6|grafana-k6|loadgenerator|load-generator|loadgen|vegeta|hey|wrk2?|"
                              r"artillery|gatling|jmeter|tsung|siege|ghz)$|(^|[-_])(loadgenerator|load-generator|"
                              r"loadgen|load-?test(er)?|locust)([-_]|$)")


def load_generator(name: str, images: list[str]) -> str | None:
    """Why the workload is a load generator (its image or its name), or None."""
    for image in images:
        if _LOAD_GENERATORS.search(image_base(image)):
            return f"runs the load generator {image_base(image)}"
    if _LOAD_GENERATORS.search(name.lower()):
        return f"named {name}: a load generator"
    return None


GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu", "google.com/tpu", "intel.com/gpu", "habana.ai/gaudi")


def classify(controller: str, images: list[str | None], gpu: float | None, backed_by_service: bool) -> tuple[NodeKind, str]:
    """The component kind and the reason archlint gives for it."""
    if controller == "CronJob":
        return NodeKind.SCHEDULED_JOB, "a CronJob"
    if controller == "Job":
        if gpu:
            return NodeKind.TRAINING_JOB, "a Job that requests accelerators"
        return NodeKind.BATCH_JOB, "a Job"
    for image in images:
        base = image_base(image)
        for kind, pattern in _IMAGES:
            if pattern.match(base):
                return kind, f"runs the image {base}"
    if gpu:
        return NodeKind.MODEL_SERVING, "a long-running workload that requests accelerators"
    if backed_by_service:
        return NodeKind.SERVICE, "selected by a Service"
    return NodeKind.WORKER, "a long-running workload that no Service selects"
