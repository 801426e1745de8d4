"""One finding per problem: pairwise rules report per shared resource, messages name each member once and cut
long lists."""

from __future__ import annotations

import json

from archlint.rules.base import listing
from tests.conftest import run_cli


def _workload(kind: str, name: str, image: str, pool: str) -> str:
    spec = (f"      nodeSelector: {{cloud.google.com/gke-nodepool: {pool}}}\n"
            f"      containers:\n        - name: main\n          image: {image}\n"
            "          resources: {limits: {nvidia.com/gpu: 1}}\n")
    if kind == "Job":
        return (f"apiVersion: batch/v1\nkind: Job\nmetadata: {{name: {name}}}\nspec:\n  template:\n    spec:\n"
                "      restartPolicy: Never\n" + spec)
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  replicas: 2\n"
            f"  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n"
            "    spec:\n" + spec)


def test_training_beside_serving_is_one_finding_per_shared_pool(tmp_path):
    docs = [_workload("Deployment", f"server-{i}", "vllm/vllm-openai:v0.6.3", "a100") for i in range(4)]
    docs += [_workload("Job", f"finetune-{i}", "ghcr.io/acme/finetune:1.0", "a100") for i in range(3)]
    docs += [_workload("Deployment", "other-server", "vllm/vllm-openai:v0.6.3", "l4"),
             _workload("Job", "other-train", "ghcr.io/acme/trainer:1.0", "l4")]
    (tmp_path / "ml.yaml").write_text("---\n".join(docs))
    done = run_cli("check", str(tmp_path), "--format", "json", "--root", str(tmp_path))
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "FI034"]
    assert [f["key"] for f in found] == ["node pool a100", "node pool l4"]  # not 4 x 3 + 1 findings
    a100 = found[0]
    assert a100["message"] == ("node pool a100 runs model serving (server-0, server-1, server-2, server-3) beside "
                               "training (finetune-0, finetune-1, finetune-2): a training run takes the GPUs serving "
                               "needs to scale out")
    assert a100["node"] == "default/server-0" and len(a100["nodes"]) == 6


def test_a_list_names_each_member_once_and_cuts_after_five():
    assert listing(["a", "b", "a", "c"]) == "a, b, c"
    assert listing([f"s{i}" for i in range(6)]) == "s0, s1, s2, s3, s4, s5"  # "and 1 more" would be no shorter
    assert listing(["llm-service"] * 50 + [f"s{i}" for i in range(52)]) == "llm-service, s0, s1, s2, s3 and 48 more"


_ORDERS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: order-service
spec:
  replicas: 1
  selector:
    matchLabels: {app: order-service}
  template:
    metadata:
      labels: {app: order-service}
    spec:
      containers:
        - name: order-service
          image: ghcr.io/azure-samples/aks-store-demo/order-service:2.1.0
          IMAGE_EXTRA
          ports: [{containerPort: 3000}]
---
apiVersion: v1
kind: Service
metadata:
  name: order-service
spec:
  selector: {app: order-service}
  ports: [{port: 3000, targetPort: 3000}]
"""


def _aks_like(tmp_path):
    """aks-store-demo, trimmed: a kustomize base rendered by an overlay, and an all-in-one manifest beside it that
    copies the Deployment with other limits (not an identical copy: loaded as its own system)."""
    (tmp_path / "kustomize" / "base").mkdir(parents=True)
    (tmp_path / "kustomize" / "overlays" / "dev").mkdir(parents=True)
    (tmp_path / "kustomize" / "base" / "order-service.yaml").write_text(_ORDERS.replace("          IMAGE_EXTRA\n", ""))
    (tmp_path / "kustomize" / "base" / "kustomization.yaml").write_text("resources:\n  - order-service.yaml\n")
    (tmp_path / "kustomize" / "overlays" / "dev" / "kustomization.yaml").write_text(
        "resources:\n  - ../../base\ncommonAnnotations: {team: store}\n")
    limits = "          resources: {limits: {cpu: 50m, memory: 128Mi}}\n"
    products = _ORDERS.replace("order-service", "product-service").replace("          IMAGE_EXTRA\n", limits)
    (tmp_path / "aks-store-all-in-one.yaml").write_text("# the whole store in one file\n" + _ORDERS.replace(
        "          IMAGE_EXTRA\n", limits) + "---\n" + products)
    (tmp_path / ".git").mkdir()


def test_the_same_object_copied_into_another_file_is_one_finding_listing_the_copy(tmp_path):
    _aks_like(tmp_path)
    done = run_cli("check", str(tmp_path), "--format", "json", "--root", str(tmp_path))
    findings = json.loads(done.stdout)["findings"]
    replicas = [f for f in findings if f["rule"] == "FI001" and f["message"].startswith("order-service")]
    assert len(replicas) == 1, [(f["file"], f["line"]) for f in replicas]
    one = replicas[0]
    # at the base (what the overlay renders), the all-in-one's line among the related places
    assert (one["file"], one["line"]) == ("kustomize/base/order-service.yaml", 6)
    assert {"file": "aks-store-all-in-one.yaml", "line": 7, "note": "the same object copied here"} in one["related"]
    assert "aks-store-all-in-one.yaml" in one["instances"]
    # what differs between the copies stays apart: the base's container has no memory limit, the copy's has one
    assert [f["file"] for f in findings if f["rule"] == "FI038"] == ["kustomize/base/order-service.yaml"]
    assert [f["line"] for f in findings if f["rule"] == "FI001" and f["file"] == "aks-store-all-in-one.yaml"] == [33]


def test_a_check_of_the_copy_alone_shows_the_finding_at_the_copy(tmp_path):
    """The pre-commit hook (`--model-root .` and the staged files): a commit touching only the all-in-one file
    sees the problem at its own line, the base among the related places."""
    _aks_like(tmp_path)
    done = run_cli("check", "--model-root", str(tmp_path), str(tmp_path / "aks-store-all-in-one.yaml"),
                   "--format", "json")
    replicas = [f for f in json.loads(done.stdout)["findings"]
                if f["rule"] == "FI001" and f["message"].startswith("order-service")]
    assert [(f["file"], f["line"]) for f in replicas] == [("aks-store-all-in-one.yaml", 7)]
    assert {"file": "kustomize/base/order-service.yaml", "line": 6, "note": "the same object copied here"} in \
        replicas[0]["related"]


def test_terraform_root_modules_are_deployments_of_their_own_never_copies(tmp_path):
    rds = ('resource "aws_db_instance" "db" {\n  engine = "postgres"\n  instance_class = "db.t3.micro"\n'
           '  allocated_storage = 20\n}\n')
    for example in ("one", "two"):
        (tmp_path / "examples" / example).mkdir(parents=True)
        (tmp_path / "examples" / example / "main.tf").write_text(rds)
    done = run_cli("check", str(tmp_path), "--format", "json", "--root", str(tmp_path))
    findings = json.loads(done.stdout)["findings"]
    by_rule: dict[str, set] = {}
    for f in findings:
        by_rule.setdefault(f["rule"], set()).add(f["file"])
    assert any(files == {"examples/one/main.tf", "examples/two/main.tf"} for files in by_rule.values()), by_rule
