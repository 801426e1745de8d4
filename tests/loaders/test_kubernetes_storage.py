"""Where a store keeps its data, and client pods that only borrow a store's image."""

from __future__ import annotations

import pytest

from archlint.model import NodeKind


def store(image: str, container_extra: str = "", pod_extra: str = "", kind: str = "Deployment",
          spec_extra: str = "") -> str:
    return f"""
apiVersion: apps/v1
kind: {kind}
metadata: {{name: db}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: db}}}}
  template:
    metadata: {{labels: {{app: db}}}}
    spec:
      containers:
        - name: main
          image: {image}
{container_extra}
{pod_extra}
{spec_extra}
"""


@pytest.mark.parametrize(("image", "container", "pod", "on", "path"), [
    ("postgres:16", "", "", "container filesystem", "/var/lib/postgresql/data"),
    ("postgres:16", "          env: [{name: PGDATA, value: /pgdata/data}]\n"
                    "          volumeMounts: [{name: d, mountPath: /pgdata}]",
     "      volumes: [{name: d, hostPath: {path: /mnt/pg}}]", "hostPath", "/pgdata/data"),
    ("mongo:7", "          volumeMounts: [{name: d, mountPath: /data/db}]",
     "      volumes: [{name: d, emptyDir: {medium: Memory}}]", "memory", "/data/db"),
    ("docker.io/bitnami/redis:7.2", "          volumeMounts: [{name: d, mountPath: /bitnami}]",
     "      volumes: [{name: d, persistentVolumeClaim: {claimName: redis}}]", "persistent volume", "/bitnami/redis/data"),
    ("mysql:8", "          args: [--datadir=/srv/mysql]\n          volumeMounts: [{name: d, mountPath: /var/lib/mysql}]",
     "      volumes: [{name: d, emptyDir: {}}]", "container filesystem", "/srv/mysql"),
])
def test_the_data_directory_and_the_volume_under_it(load_yaml, image, container, pod, on, path):
    db = load_yaml({"a.yaml": store(image, container, pod)}).model.component("default/db")
    assert (db.attrs["state"]["on"], db.attrs["state"]["path"]) == (on, path)


def test_a_statefulset_volume_claim_template_keeps_the_data(load_yaml):
    text = store("postgres:16", "          volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]",
                 kind="StatefulSet", spec_extra="  serviceName: db\n  volumeClaimTemplates: [{metadata: {name: data}}]")
    db = load_yaml({"a.yaml": text}).model.component("default/db")
    assert db.attrs["state"]["on"] == "volume claim template"


def test_redis_with_persistence_off_keeps_nothing(load_yaml):
    db = load_yaml({"a.yaml": store("redis:7", '          args: ["--save", "", "--appendonly", "no"]')}).model
    assert "state" not in db.component("default/db").attrs


def test_a_pod_that_runs_a_client_in_a_store_image_is_no_store(load_yaml):
    sleeper = store("redis:latest", '          command: ["sleep", "3600"]')
    server = store("redis:7", '          command: ["sh", "-c", "redis-server --appendonly yes"]')
    assert load_yaml({"a.yaml": sleeper}).model.component("default/db").kind is NodeKind.WORKER
    assert load_yaml({"a.yaml": server}).model.component("default/db").kind is NodeKind.CACHE
