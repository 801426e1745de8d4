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
