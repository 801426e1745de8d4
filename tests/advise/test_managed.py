"""Which cloud a self-hosted store belongs to: its own, its neighbours', or the system's only one; never a guess
across clouds (a repository that mixes them, or a corpus of unrelated projects)."""

from __future__ import annotations

from archlint.advise import advise
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load

STORE = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: orders-db}
spec:
  replicas: 1
  selector: {matchLabels: {app: orders-db}}
  template:
    metadata: {labels: {app: orders-db}}
    spec:
      containers: [{name: postgres, image: "postgres:16", resources: {requests: {cpu: "1", memory: 2Gi}}}]
"""


def _offerings(tmp_path, services: str) -> list[str]:
    (tmp_path / "db.yaml").write_text(STORE)
    (tmp_path / "graph.yaml").write_text("apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: t}\n"
                                         "spec:\n  components:\n" + services)
    loaded = load([SourcePath(tmp_path / n, n) for n in ("db.yaml", "graph.yaml")])
    return [s.offering for s in advise(loaded.model).simplifications if s.kind == "managed-service"]


def test_the_cloud_of_the_services_that_use_the_store(tmp_path):
    assert _offerings(tmp_path, """
    - {name: orders, kind: service, location: {provider: gcp, region: europe-west1},
       dependencies: [{target: orders-db, kind: reads, mode: sync}]}
    - {name: billing, kind: service, location: {provider: aws, region: eu-west-1}}
    - {name: ledger, kind: service, location: {provider: aws, region: eu-west-1}}
""") == ["Cloud SQL for PostgreSQL"]


def test_the_only_cloud_of_the_system(tmp_path):
    assert _offerings(tmp_path, """
    - {name: billing, kind: service, location: {provider: azure, region: westeurope}}
""") == ["Azure Database for PostgreSQL flexible server"]


def test_no_guess_when_unconnected_and_the_system_mixes_clouds(tmp_path):
    assert _offerings(tmp_path, """
    - {name: billing, kind: service, location: {provider: aws, region: eu-west-1}}
    - {name: ledger, kind: service, location: {provider: aws, region: eu-west-1}}
    - {name: search, kind: service, location: {provider: gcp, region: europe-west1}}
""") == []
