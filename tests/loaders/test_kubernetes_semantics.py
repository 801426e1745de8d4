"""Kubernetes' own semantics where they decide a finding: defaulted requests, probes, spreading, target ports,
disruption budgets."""

from __future__ import annotations

import pytest

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.rules import all_rules


def pod(containers: str, spec: str = "", replicas: int = 3, labels: str = "{app: api}") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {labels}}}
  template:
    metadata: {{labels: {labels}}}
    spec:
{spec}
      containers:
{containers}
"""


def rules(loaded, *ids):
    return [(f.rule, f.line, f.message) for f in analyze(loaded, Config(), all_rules()).findings if f.rule in ids]


def test_a_request_that_is_not_set_is_its_limit(load_yaml):
    text = pod("        - {name: api, image: a:1, resources: {limits: {cpu: 500m, memory: 256Mi}}}")
    (container,) = load_yaml({"a.yaml": text}).model.component("default/api").containers
    assert (container.cpu_request, container.memory_request) == (0.5, 256 * 2**20)


def test_init_containers_need_no_requests_of_their_own(load_yaml):
    text = pod("        - {name: api, image: a:1, resources: {requests: {cpu: 1, memory: 1Gi}}}",
               spec="      initContainers: [{name: wait, image: busybox:1.37}]")
    assert rules(load_yaml({"a.yaml": text}), "CO001") == []


def test_a_probe_says_what_it_checks_and_whether_its_named_port_exists(load_yaml):
    text = pod("""        - name: api
          image: a:1
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http, httpHeaders: [{name: X, value: "1"}]}}
          livenessProbe: {tcpSocket: {port: metrics}}""")
    (container,) = load_yaml({"a.yaml": text}).model.component("default/api").containers
    assert (container.readiness.check, container.readiness.port_declared) == ("http HTTP /ready on http with X=1", True)
    assert (container.liveness.check, container.liveness.port_declared) == ("tcp :metrics", False)


@pytest.mark.parametrize(("spec", "spreads"), [
    ("      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
     "[{labelSelector: {matchLabels: {app: api}}, topologyKey: kubernetes.io/hostname}]}}", True),
    ("      affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
     "[{labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}]}}", False),
    ("      affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1, podAffinityTerm: "
     "{labelSelector: {matchLabels: {app: api}}, namespaces: [other], topologyKey: kubernetes.io/hostname}}]}}", False),
    ("      topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
     "whenUnsatisfiable: DoNotSchedule}]", False),
    ("      topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
     "whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: app, operator: In, values: [api]}]}}]",
     True),
])
def test_spreading_counts_only_when_it_spreads_these_pods(load_yaml, spec, spreads):
    loaded = load_yaml({"a.yaml": pod("        - {name: api, image: a:1}", spec=spec)})
    found = rules(loaded, "FI004")
    assert (found == []) is spreads
    if not spreads:
        assert "spreads nothing" in found[0][2]


def test_an_autoscaler_that_allows_two_pods_is_judged_for_spread(load_yaml):
    hpa = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 1
  maxReplicas: 6
"""
    text = pod("        - {name: api, image: a:1}").replace("  replicas: 3\n", "")
    assert [f[2] for f in rules(load_yaml({"a.yaml": text, "h.yaml": hpa}), "FI004")] == [
        "api can run 6 replicas with no pod anti-affinity or topology spread: they may share one node or zone"]


def test_readiness_is_asked_of_the_container_that_serves_the_target_port(load_yaml):
    service = """
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: web}]
"""
    text = pod("""        - {name: api, image: a:1, ports: [{name: web, containerPort: 8080}]}
        - {name: proxy, image: b:1, ports: [{containerPort: 15000}]}""")
    loaded = load_yaml({"a.yaml": text, "s.yaml": service})
    assert loaded.model.component("default/api").attrs["serving_containers"] == ["api"]
    assert [f[2].split()[1] for f in rules(loaded, "FI005")] == ["api"]


@pytest.mark.parametrize(("budget", "blocks"), [
    ("minAvailable: 90%", True), ("minAvailable: 80%", False), ("minAvailable: 5", True), ("minAvailable: 4", False),
    ("maxUnavailable: 0%", True), ("maxUnavailable: 10%", False), ("maxUnavailable: 0", True),
])
def test_a_budget_percentage_rounds_up_as_the_disruption_controller_does(load_yaml, budget, blocks):
    pdb = f"""
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: api}}
spec:
  {budget}
  selector: {{matchLabels: {{app: api}}}}
"""
    text = pod("        - {name: api, image: a:1}", replicas=5)
    assert bool(rules(load_yaml({"a.yaml": text, "p.yaml": pdb}), "FI003")) is blocks


def test_a_budget_counts_the_pods_of_every_workload_it_selects(load_yaml):
    pdb = """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: shop}
spec:
  minAvailable: 2
  selector: {matchLabels: {tier: shop}}
"""
    one = pod("        - {name: api, image: a:1}", replicas=2, labels="{app: api, tier: shop}")
    two = one.replace("name: api}", "name: web}").replace("app: api", "app: web")
    assert rules(load_yaml({"a.yaml": one, "b.yaml": two, "p.yaml": pdb}), "FI003") == []  # 2 of 4 may go
