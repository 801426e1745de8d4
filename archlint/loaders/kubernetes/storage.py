"""Where a store keeps its data: the volume under its image's data directory, and whether it outlives the pod."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from archlint.loaders.kubernetes.objects import K8sObject, mapping, sequence
from archlint.model import Span, image_base

#: Where well-known images write their data (official images first, then Bitnami's, which keep it under /bitnami).
_DATA = (
    (re.compile(r"^(postgres(ql)?|timescaledb(-ha)?|postgis|pgvector)$"), "/var/lib/postgresql/data"),
    (re.compile(r"^(mysql|mariadb|percona(-server)?)$"), "/var/lib/mysql"),
    (re.compile(r"^mongo(db)?$"), "/data/db"),
    (re.compile(r"^(redis|redis-stack(-server)?|valkey|keydb)$"), "/data"),
    (re.compile(r"^rabbitmq$"), "/var/lib/rabbitmq"),
    (re.compile(r"^cp-kafka$"), "/var/lib/kafka/data"),
    (re.compile(r"^cp-zookeeper$"), "/var/lib/zookeeper"),
    (re.compile(r"^zookeeper$"), "/data"),
    (re.compile(r"^elasticsearch$"), "/usr/share/elasticsearch/data"),
    (re.compile(r"^opensearch$"), "/usr/share/opensearch/data"),
    (re.compile(r"^cassandra$"), "/var/lib/cassandra"),
    (re.compile(r"^scylla$"), "/var/lib/scylla"),
    (re.compile(r"^couchdb$"), "/opt/couchdb/data"),
    (re.compile(r"^neo4j$"), "/data"),
    (re.compile(r"^influxdb$"), "/var/lib/influxdb2"),
    (re.compile(r"^clickhouse(-server)?$"), "/var/lib/clickhouse"),
    (re.compile(r"^cockroach(db)?$"), "/cockroach/cockroach-data"),
    (re.compile(r"^qdrant$"), "/qdrant/storage"),
    (re.compile(r"^weaviate$"), "/var/lib/weaviate"),
    (re.compile(r"^milvus(db)?$"), "/var/lib/milvus"),
    (re.compile(r"^(eclipse-)?mosquitto$"), "/mosquitto/data"),
    (re.compile(r"^redpanda$"), "/var/lib/redpanda/data"),
    (re.compile(r"^(activemq|artemis)$"), "/opt/activemq/data"),
)
_BITNAMI = {"postgresql": "/bitnami/postgresql", "mysql": "/bitnami/mysql", "mariadb": "/bitnami/mariadb",
            "mongodb": "/bitnami/mongodb", "redis": "/bitnami/redis/data", "rabbitmq": "/bitnami/rabbitmq/mnesia",
            "kafka": "/bitnami/kafka", "zookeeper": "/bitnami/zookeeper", "elasticsearch": "/bitnami/elasticsearch/data",
            "cassandra": "/bitnami/cassandra", "valkey": "/bitnami/valkey/data"}
#: How messages name each kind of storage.
PHRASES = {"container filesystem": "the container's filesystem", "emptyDir": "an emptyDir volume",
           "memory": "an emptyDir in memory", "ephemeral volume": "a generic ephemeral volume",
           "hostPath": "a hostPath volume", "persistent volume": "a PersistentVolumeClaim",
           "volume claim template": "a volume claim template", "other volume": "a volume"}
#: Environment variables that move the data directory.
_DATA_ENV = {"PGDATA", "MYSQL_DATADIR", "REDIS_DIR"}


def state(obj: K8sObject, pod_spec: dict) -> dict[str, Any] | None:
    """Where the first container with a known data directory keeps its data: `{"path", "container", "on",
    "span"}`, with `on` one of persistent volume, volume claim template, emptyDir, hostPath, ephemeral volume,
    memory (emptyDir on tmpfs) or container filesystem; None when no container's image is known or it keeps
    nothing (Redis with persistence off)."""
    templates = {str(mapping(mapping(t).get("metadata")).get("name")): t
                 for t in sequence(mapping(obj.data.get("spec")).get("volumeClaimTemplates"))}
    volumes = {str(mapping(v).get("name")): mapping(v) for v in sequence(pod_spec.get("volumes"))}
    for container in sequence(pod_spec.get("containers")):
        container = mapping(container)
        path = _data_path(container)
        if path is None:
            continue
        mount = _covering(container, path)
        found = {"path": path, "container": str(container.get("name", ""))}
        if mount is None:
            return {**found, "on": "container filesystem", "span": obj.at(container)}
        name = str(mount.get("name"))
        if name in templates:
            return {**found, "on": "volume claim template", "span": obj.at(templates[name])}
        volume = volumes.get(name)
        if volume is None:  # a mount of a volume the pod does not define: the API server refuses it
            return None
        for key, on in (("persistentVolumeClaim", "persistent volume"), ("emptyDir", "emptyDir"),
                        ("hostPath", "hostPath"), ("ephemeral", "ephemeral volume")):
            if key in volume:
                if key == "emptyDir" and mapping(volume.get("emptyDir")).get("medium") == "Memory":
                    on = "memory"
                return {**found, "on": on, "span": obj.line_of(volume, key)}
        return {**found, "on": "other volume", "span": obj.at(volume)}  # NFS, CSI, cloud disks: left alone
    return None


def _data_path(container: dict) -> str | None:
    image = str(container.get("image") or "")
    base = image_base(image)
    env = {str(mapping(e).get("name")): mapping(e).get("value") for e in sequence(container.get("env"))}
    moved = next((str(env[k]) for k in _DATA_ENV if isinstance(env.get(k), str) and env[k].startswith("/")), None)
    args = [str(a) for a in sequence(container.get("command")) + sequence(container.get("args"))]
    if base in ("redis", "valkey", "keydb") and _persistence_off(args):
        return None
    if "bitnami/" in image.lower() and base in _BITNAMI:
        return moved or _BITNAMI[base]
    if base == "minio":  # `minio server /data`
        return next((a for a in args if a.startswith("/")), None)
    for pattern, path in _DATA:
        if pattern.match(base):
            return moved or _flag(args, ("--dir", "--datadir", "--data-dir", "--dbpath")) or path
    return None


def _flag(args: list[str], names: tuple[str, ...]) -> str | None:
    for index, arg in enumerate(args):
        key, _, value = arg.partition("=")
        if key in names:
            value = value or (args[index + 1] if index + 1 < len(args) else "")
            if value.startswith("/"):
                return value
    return None


def _persistence_off(args: list[str]) -> bool:
    """Redis run as a pure cache: no RDB snapshots (`--save ""`) and no append-only file."""
    text = " ".join(args)
    listed = any(a == "--save" and (i + 1 == len(args) or args[i + 1] in ("", "''", '""') or args[i + 1].startswith("--"))
                 for i, a in enumerate(args))
    in_shell = re.search(r"--save\s+(''|\"\")", text) is not None
    return (listed or in_shell) and not re.search(r"--appendonly\s+yes", text)


def _covering(container: dict, path: str) -> dict | None:
    """The volume mount that holds `path`: the deepest mount path equal to it or above it."""
    best, depth = None, -1
    for mount in sequence(container.get("volumeMounts")):
        mount = mapping(mount)
        where = posixpath.normpath(str(mount.get("mountPath", "")))
        if path == where or path.startswith(where.rstrip("/") + "/"):
            if len(where) > depth:
                best, depth = mount, len(where)
    return best


__all__ = ["state", "Span"]
