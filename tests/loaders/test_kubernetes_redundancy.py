"""Redundancy where the traffic goes: pods behind each Service, autoscaler minimums (HPA, KEDA), missing targets."""

from __future__ import annotations

from pathlib import Path

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.rules import all_rules
from archlint.rules import facts

FIXTURES = Path(__file__).parent.parent / "fixtures" / "kubernetes"


def deployment(name: str, app: str, replicas: int | None = None, version: str = "v1") -> str:
    count = f"replicas: {replicas}" if replicas is not None else ""
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  {count}
  selector: {{matchLabels: {{app: {app}, version: {version}}}}}
  template:
    metadata: {{labels: {{app: {app}, version: {version}}}}}
    spec:
      containers: [{{name: main, image: "ghcr.io/acme/{app}:1.0.0", ports: [{{containerPort: 8080}}]}}]
"""


def service(name: str, app: str) -> str:
    return f"""
apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  selector: {{app: {app}}}
  ports: [{{port: 80, targetPort: 8080}}]
"""


def findings(loaded, *rules):
    return [(f.rule, f.file, f.line, f.message) for f in analyze(loaded, Config(), all_rules()).findings
            if f.rule in rules]


def test_the_pods_behind_a_service_are_summed_over_every_workload_it_selects(load_yaml):
    files = {"a.yaml": "---".join([deployment("web-v1", "web"), deployment("web-v2", "web", version="v2"),
                                   service("web", "web"), deployment("admin", "admin"), service("admin", "admin")])}
    loaded = load_yaml(files)
    web = loaded.model.component("default/web-v1")
    assert web.attrs["pods_behind"] == {"web": 2} and facts.redundancy(web) == 2
    assert [f[3] for f in findings(loaded, "FI001")] == [
        "admin serves traffic with 1 replica (`replicas` not set: Kubernetes runs 1) and no autoscaler"]


def test_a_workload_behind_two_services_counts_the_one_with_fewest_pods(load_yaml):
    both = deployment("api", "api").replace("app: api, version: v1}}", "app: api, version: v1, role: api}}")
    files = {"a.yaml": "---".join([both, deployment("api-v2", "api", version="v2"), service("api", "api"),
                                   service("api-admin", "api").replace("{app: api}", "{role: api}")])}
    api = load_yaml(files).model.component("default/api")
    assert api.attrs["pods_behind"] == {"api": 2, "api-admin": 1} and facts.redundancy(api) == 1


def test_copies_of_one_workload_from_two_files_are_not_extra_pods(load_yaml):
    files = {"dev/a.yaml": deployment("web", "web") + "---" + service("web", "web"),
             "prod/a.yaml": deployment("web", "web") + "---" + service("web", "web")}
    model = load_yaml(files).model
    assert [facts.redundancy(c) for c in model.components() if c.name == "web"] == [1, 1]


def test_an_hpa_minimum_of_one_is_one_pod_and_the_finding_points_at_it(load_yaml):
    hpa = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 10
"""
    loaded = load_yaml({"a.yaml": deployment("web", "web") + "---" + service("web", "web"), "hpa.yaml": hpa})
    assert findings(loaded, "FI001") == [("FI001", "hpa.yaml", 7, "web serves traffic with 1 pod at quiet times "
                                          "(HorizontalPodAutoscaler web has a minimum of 1)")]


def test_a_keda_scaled_object_is_an_autoscaler_and_scales_to_zero_unless_told(load_yaml):
    scaled = """
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: worker}
spec:
  scaleTargetRef: {name: web}
  maxReplicaCount: 20
  triggers: [{type: rabbitmq, metadata: {queueName: orders}}]
"""
    loaded = load_yaml({"a.yaml": deployment("web", "web") + "---" + service("web", "web"), "so.yaml": scaled})
    web = loaded.model.component("default/web")
    assert (web.autoscaling.min_replicas, web.autoscaling.max_replicas, web.autoscaling.metrics) == (0, 20, ("rabbitmq",))
    assert findings(loaded, "FI001") == [("FI001", "so.yaml", 5, "web serves traffic with no pod at quiet times "
                                          "(ScaledObject worker scales it to zero)")]
    two = scaled.replace("maxReplicaCount: 20", "minReplicaCount: 2\n  maxReplicaCount: 20")
    assert findings(load_yaml({"so.yaml": two}), "FI001") == []


def test_an_autoscaler_whose_target_is_missing_is_marked_at_the_autoscaler(load_yaml):
    hpa = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-deployment}
  minReplicas: 2
  maxReplicas: 10
"""
    model = load_yaml({"a.yaml": deployment("web", "web"), "hpa.yaml": hpa}).model
    scaler = model.component("default/hpa/web")
    assert scaler.attrs["target_missing"] is True and scaler.at("target").line == 6
    assert model.component("default/web").autoscaling is None


def _real(folder: str):
    root = FIXTURES / folder
    return load(discover([root], root))


def test_bookinfo_reviews_is_three_pods_not_three_single_replicas():
    loaded = _real("bookinfo")
    reviews = [c for c in loaded.model.components() if c.name.startswith("reviews-")]
    assert sorted(c.name for c in reviews) == ["reviews-v1", "reviews-v2", "reviews-v3"]
    assert all(c.replicas == 1 and facts.redundancy(c) == 3 for c in reviews)
    flagged = {f[3].split()[0] for f in findings(loaded, "FI001", "FI010")}
    assert flagged == {"details-v1", "ratings-v1", "productpage-v1"}


def test_an_autoscaler_kept_apart_from_every_workload_of_its_namespace_is_not_judged(load_yaml):
    hpa = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
"""
    model = load_yaml({"a.yaml": deployment("admin", "admin"), "hpa.yaml": hpa}).model
    assert "target_missing" not in model.component("shop/hpa/web").attrs
