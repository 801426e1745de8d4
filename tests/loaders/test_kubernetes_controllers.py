"""Controllers beyond the core ones (Argo Rollouts, OpenShift DeploymentConfigs, Knative Services), and objects
without a name."""

from __future__ import annotations

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.model import EdgeKind, NodeKind
from archlint.rules import all_rules

SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
"""

ROLLOUT = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  strategy:
    canary: {steps: [{setWeight: 20}, {pause: {}}]}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "ghcr.io/acme/web:1.0.0", ports: [{containerPort: 8080}]}]
"""


def rules(loaded, *ids):
    return [(f.rule, f.file, f.line) for f in analyze(loaded, Config(), all_rules()).findings if f.rule in ids]


def test_an_argo_rollout_is_a_workload_whose_replicas_default_to_one(load_yaml):
    loaded = load_yaml({"r.yaml": ROLLOUT, "s.yaml": SERVICE})
    web = loaded.model.component("default/web")
    assert (web.workload_kind, web.kind, web.replicas, web.attrs["replicas_defaulted"]) == (
        "Rollout", NodeKind.SERVICE, 1, True)
    assert rules(loaded, "FI001") == [("FI001", "r.yaml", 5)]


def test_a_rollout_with_a_workload_ref_runs_its_deployments_pods(load_yaml):
    rollout = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 3
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web-template}
"""
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-template}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "ghcr.io/acme/web:1.0.0"}]
"""
    model = load_yaml({"r.yaml": rollout, "d.yaml": deployment, "s.yaml": SERVICE}).model
    web = model.component("default/web")
    assert web.containers[0].image == "ghcr.io/acme/web:1.0.0" and web.attrs["services"] == ["web"]
    assert web.attrs["pods_behind"] == {"web": 3}


def test_an_hpa_can_scale_a_rollout(load_yaml):
    hpa = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web}
  minReplicas: 3
  maxReplicas: 9
"""
    model = load_yaml({"r.yaml": ROLLOUT, "h.yaml": hpa}).model
    assert model.component("default/web").autoscaling.min_replicas == 3


def test_an_openshift_deployment_config_is_a_workload(load_yaml):
    config = """
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: web}
spec:
  replicas: 1
  selector: {app: web}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "ghcr.io/acme/web:1.0.0", ports: [{containerPort: 8080}]}]
"""
    loaded = load_yaml({"dc.yaml": config, "s.yaml": SERVICE})
    web = loaded.model.component("default/web")
    assert (web.workload_kind, web.replicas) == ("DeploymentConfig", 1)
    assert rules(loaded, "FI001") == [("FI001", "dc.yaml", 6)]
    unset = load_yaml({"dc.yaml": config.replace("  replicas: 1\n", ""), "s.yaml": SERVICE}).model
    assert unset.component("default/web").replicas is None  # OpenShift's default is not the API server's


KNATIVE = """
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: rate}
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "2"
        autoscaling.knative.dev/max-scale: "10"
    spec:
      containers: [{name: rate, image: "ghcr.io/acme/rate:1.7.0", ports: [{name: h2c, containerPort: 8084}]}]
"""


def test_a_knative_service_is_a_workload_scaled_by_its_annotations_and_reachable_by_name(load_yaml):
    caller = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: front}
spec:
  selector: {matchLabels: {app: front}}
  template:
    metadata: {labels: {app: front}}
    spec:
      containers:
        - name: front
          image: ghcr.io/acme/front:1.0.0
          env: [{name: RATE_URL, value: "rate.default.svc.cluster.local"}]
"""
    model = load_yaml({"k.yaml": KNATIVE, "f.yaml": caller}).model
    rate = model.component("default/rate")
    assert (rate.workload_kind, rate.kind, rate.entrypoint) == ("KnativeService", NodeKind.SERVICE, True)
    assert (rate.autoscaling.min_replicas, rate.autoscaling.max_replicas, rate.autoscaling.min_span.line) == (2, 10, 9)
    (call,) = model.outgoing("default/front", [EdgeKind.CALLS])
    assert (call.target, call.mode) == ("default/rate", "sync")
    assert call.evidence.endswith("a Knative Service answers HTTP requests")


def test_a_knative_service_scales_to_zero_by_default_and_a_cluster_local_one_is_no_entrypoint(load_yaml):
    text = KNATIVE.replace("metadata: {name: rate}", "metadata:\n  name: rate\n  labels: "
                           "{networking.knative.dev/visibility: cluster-local}")
    text = text.replace('        autoscaling.knative.dev/min-scale: "2"\n', "")
    loaded = load_yaml({"k.yaml": text})
    rate = loaded.model.component("default/rate")
    assert (rate.autoscaling.min_replicas, rate.entrypoint) == (0, None)
    # Knative's activator holds requests while a pod starts, and it gives a TCP readiness probe to every container
    assert rules(loaded, "FI001", "FI005", "FI010") == []


def test_an_object_without_a_name_is_an_input_finding_not_a_node(load_yaml):
    nameless = ROLLOUT.replace("metadata: {name: web}", "metadata: {labels: {app: web}}")
    loaded = load_yaml({"r.yaml": nameless, "s.yaml": SERVICE})
    assert [c.id for c in loaded.model.components()] == []
    assert [(f.rule, f.file, f.line, f.message) for f in loaded.findings if f.rule == "IN015"] == [
        ("IN015", "r.yaml", 2, "Rollout has no metadata.name (nor generateName): the API server refuses it, and "
                               "archlint leaves it out of the model")]
