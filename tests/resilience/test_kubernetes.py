"""Kubernetes manifests: journeys derived from exposed Services, pods rescheduled after eviction, StatefulSets
that wait for a person, bare Pods that nothing recreates, zone pins and spread constraints, node pools, the
cluster itself."""

from __future__ import annotations

from archlint.resilience import FAILS, SURVIVED

from tests.resilience.helpers import assessed, cell

FRONT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: front, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: front}}
  template:
    metadata: {labels: {app: front}}
    spec:
      containers:
        - name: front
          image: ghcr.io/shop/front:1.4
          env:
            - {name: CART_URL, value: "http://cart:8080"}
            - {name: DATABASE_URL, value: "postgres://db:5432/shop"}
---
apiVersion: v1
kind: Service
metadata: {name: front, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: front}
  ports: [{port: 80}]
"""


def _workload(name: str, kind: str = "Deployment", replicas: int = 1, image: str = "ghcr.io/shop/cart:2",
              extra: str = "", port: int = 8080) -> str:
    claims = ("  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], "
              "resources: {requests: {storage: 10Gi}}}\n") if kind == "StatefulSet" else ""
    if kind == "Pod":
        return (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: shop, labels: {{app: {name}}}}}\n"
                f"spec:\n  containers:\n    - {{name: {name}, image: {image}}}\n---\n" + _service(name, port))
    mounts = ", volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]" \
        if kind == "StatefulSet" and image.startswith("postgres") else ""
    return (f"apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n"
            f"  replicas: {replicas}\n" + (f"  serviceName: {name}\n" if kind == "StatefulSet" else "") +
            f"  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n"
            f"    spec:\n{extra}      containers:\n        - {{name: {name}, image: {image}{mounts}}}\n{claims}---\n"
            + _service(name, port))


def _service(name: str, port: int) -> str:
    return (f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: shop}}\n"
            f"spec:\n  selector: {{app: {name}}}\n  ports: [{{port: {port}}}]\n")


def test_a_journey_per_exposed_service_reaching_what_it_calls(tmp_path):
    _, assessment = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2),
                                        "db.yaml": _workload("db", "StatefulSet", image="postgres:16", port=5432)})
    journey = assessment.journeys[0]
    assert journey.name == "front" and sorted(journey.required()) == ["shop/cart", "shop/db", "shop/front"]


def test_a_single_replica_deployment_is_rescheduled_after_the_default_eviction(tmp_path):
    _, assessment = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart"),
                                        "db.yaml": _workload("db", replicas=2)})
    found = cell(assessment, "front", "node=shop/cart")
    assert found.outcome == FAILS and found.recovery.mechanism == "pod-rescheduling"
    assert found.rto.text() == "at least 5 min 40 s"  # 40-50 s to mark the node unreachable + 300 s toleration
    assert {f.mechanism for f in found.figures} == {"kubernetes-pod-eviction"}
    assert found.recovery.span.line == 5  # its replicas line


def test_a_single_statefulset_pod_waits_for_a_person_and_a_zone_outage_keeps_its_volume(tmp_path):
    _, assessment = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2),
                                        "db.yaml": _workload("db", "StatefulSet", image="postgres:16", port=5432)})
    node = cell(assessment, "front", "node=shop/db")
    assert node.recovery.mechanism == "kubernetes-statefulset-node-loss" and not node.rto.known
    assert node.rpo.text() == "none"  # the persistent volume survives the node
    zone = cell(assessment, "front", "zone=any")
    assert zone.outcome == FAILS and zone.decider == "shop/db" and zone.rto.unbounded and zone.rpo.unbounded
    assert any("zonal persistent volume" in a for a in zone.assumptions)


def test_a_bare_pod_is_recreated_by_nothing(tmp_path):
    _, assessment = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", "Pod"),
                                        "db.yaml": _workload("db", replicas=2)})
    assert cell(assessment, "front", "node=shop/cart").rto.unbounded


def test_replicas_without_a_zone_spread_survive_a_zone_with_the_assumption_said(tmp_path):
    spread = ("      topologySpreadConstraints:\n        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
              "whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: cart}}}\n")
    _, loose = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2),
                                   "db.yaml": _workload("db", replicas=2)})
    found = cell(loose, "front", "zone=any")
    assert found.outcome == SURVIVED and any("default scheduler spreads them" in a for a in found.assumptions)
    _, strict = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2, extra=spread),
                                    "db.yaml": _workload("db", replicas=2, extra=spread.replace("cart", "db"))})
    assert not [a for a in cell(strict, "front", "zone=any").assumptions if a.startswith("cart")]


def test_a_zone_pin_keeps_the_pods_from_moving(tmp_path):
    pin = "      nodeSelector: {topology.kubernetes.io/zone: eu-west-1a}\n"
    _, assessment = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2, extra=pin),
                                        "db.yaml": _workload("db", replicas=2)})
    found = cell(assessment, "front", "zone=eu-west-1a")
    assert found.outcome == FAILS and found.rto.unbounded and "pinned to zone eu-west-1a" in found.recovery.says
    assert found.recovery.span.line == 10  # the nodeSelector line


def test_node_pool_and_cluster_disruptions(tmp_path):
    pool = "      nodeSelector: {cloud.google.com/gke-nodepool: pool-a}\n"
    _, assessment = assessed(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2, extra=pool),
                                        "db.yaml": _workload("db", replicas=2)})
    assert cell(assessment, "front", "node-pool=pool-a").through == ("shop/cart",)
    cluster = cell(assessment, "front", "cluster=kubernetes")
    assert cluster.outcome == FAILS and cluster.rto.text() == "at least 1 h"  # rebuilt, manifests applied again


def test_data_on_an_emptydir_is_lost_with_the_pod_at_the_volume_line(tmp_path):
    """The Kubernetes loader says where a store's data directory lives (`attrs["state"]`); the assessment takes the
    data loss from it: everything, for storage that does not outlive the pod, decided at the volume's line."""
    from archlint.model import Span
    from archlint.resilience import assess

    from tests.resilience.helpers import model_of

    model = model_of(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2),
                                "db.yaml": _workload("db", image="postgres:16", port=5432)})
    db = model.component("shop/db")
    db.attrs["state"] = {"on": "emptyDir", "where": "an emptyDir volume"}
    db.points["state"] = Span("db.yaml", 12)
    found = cell(assess(model), "front", "node=shop/db")
    assert found.rpo.unbounded and found.rpo_recovery.rpo_span == Span("db.yaml", 12)
    assert "its data is on an emptyDir volume, lost with the pod" in found.rpo_recovery.says


def test_the_loader_says_a_store_keeps_its_data_on_an_emptydir_and_the_fix_is_a_persistent_volume(tmp_path):
    from archlint.model.resilience import Objective
    from archlint.resilience import remedies

    from tests.resilience.helpers import model_of

    volume = ("      volumes:\n        - {name: data, emptyDir: {}}\n")
    db = _workload("db", image="postgres:16", port=5432, extra=volume).replace(
        "        - {name: db, image: postgres:16}\n",
        "        - name: db\n          image: postgres:16\n          volumeMounts:\n"
        "            - {name: data, mountPath: /var/lib/postgresql/data}\n")
    model = model_of(tmp_path, {"front.yaml": FRONT, "cart.yaml": _workload("cart", replicas=2), "db.yaml": db},
                     "resilience:\n  policies: {strict: {node: {rpo: 0}}}\n  default: strict\n")
    from archlint.resilience import assess

    found = cell(assess(model), "front", "node=shop/db")
    assert found.rpo.unbounded and found.breaches == ("rpo",)
    assert found.rpo_recovery.rpo_span.file == "db.yaml" and found.rpo_recovery.rpo_span.line == 11  # emptyDir
    fix, meets = remedies(model).best(model.component("shop/db"), "node", Objective(None, 0.0))
    assert fix.change.startswith("keep its data on a PersistentVolumeClaim") and meets is True


def test_a_tracing_back_end_is_not_a_dependency_of_the_journey(tmp_path):
    """Online Boutique's services export spans to `opentelemetrycollector:4317`: the SDK exports in the background
    and drops spans while the collector is down, so no journey waits on it (the call is asynchronous)."""
    front = FRONT.replace('            - {name: CART_URL, value: "http://cart:8080"}\n',
                          '            - {name: CART_URL, value: "http://cart:8080"}\n'
                          '            - {name: COLLECTOR_SERVICE_ADDR, value: "collector:4317"}\n')
    model, assessment = assessed(tmp_path, {
        "front.yaml": front, "cart.yaml": _workload("cart", replicas=2),
        "db.yaml": _workload("db", "StatefulSet", image="postgres:16", port=5432),
        "collector.yaml": _workload("collector", image="otel/opentelemetry-collector-contrib:0.108.0", port=4317)})
    journey = assessment.journeys[0]
    assert "shop/collector" not in journey.required() and "shop/collector" not in journey.reach
    calls = [d for d in model.dependencies() if d.target == "shop/collector"]
    assert [d.mode for d in calls] == ["async"] and "tracing back-end itself" in calls[0].evidence
    assert assessment.cell("front", "node=shop/collector") is None or \
        assessment.cell("front", "node=shop/collector").outcome == SURVIVED
