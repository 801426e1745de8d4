"""Kubernetes workloads priced at the rates of the cloud their cluster runs on, accelerators by their type."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.catalog import catalog
from archlint.cost import compute
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.model.economics import Economics


def pods(selector: str = "{}", limits: str = "{cpu: 2, memory: 8Gi}", tolerations: str = "[]") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: infer}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: infer}}}}
  template:
    metadata: {{labels: {{app: infer}}}}
    spec:
      nodeSelector: {selector}
      tolerations: {tolerations}
      containers:
        - name: server
          image: ghcr.io/acme/infer:1.0.0
          resources: {{requests: {{cpu: 2, memory: 8Gi}}, limits: {limits}}}
"""


def _load(tmp_path: Path, files: dict[str, str]):
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        paths.append(SourcePath(tmp_path / name, name))
    return load(paths).model


def _hourly(tmp_path: Path, files: dict[str, str], economics: Economics = Economics()):
    model = _load(tmp_path, files)
    (node,) = [n for n in compute(model, economics).nodes if n.name == "infer"]
    (line,) = node.lines
    return model.component("default/infer"), line


def _rate(provider, item):
    return catalog().unit_rate(item, provider).usd


def test_gke_node_labels_price_the_pods_at_google_cloud_rates(tmp_path):
    component, line = _hourly(tmp_path, {"a.yaml": pods("{cloud.google.com/gke-nodepool: serving}")})
    assert (component.provider, component.attrs["provider_evidence"]) == ("gcp", "node label cloud.google.com/gke-nodepool")
    assert line.low == pytest.approx((2 * _rate("gcp", "vcpu-hour") + 8 * _rate("gcp", "gib-hour")) * 730.5, rel=1e-6)


def test_a_gpu_is_priced_as_the_type_its_accelerator_label_names(tmp_path):
    text = pods("{cloud.google.com/gke-accelerator: nvidia-tesla-t4}", "{nvidia.com/gpu: 1}")
    component, line = _hourly(tmp_path, {"a.yaml": text})
    assert (component.attrs["accelerator"], component.provider) == ("t4", "gcp")
    assert "1 x t4 $0.35" in line.formula
    l4 = pods("{cloud.google.com/gke-accelerator: nvidia-l4}", "{nvidia.com/gpu: 1}")
    assert "(a g2-standard-4 less its 4 vCPU and 16 GiB)" in _hourly(tmp_path, {"a.yaml": l4})[1].formula


def test_an_aws_instance_type_names_the_cloud_and_the_gpu(tmp_path):
    text = pods("{node.kubernetes.io/instance-type: g5.2xlarge}", "{nvidia.com/gpu: 1}")
    component, line = _hourly(tmp_path, {"a.yaml": text})
    assert (component.provider, component.attrs["accelerator"]) == ("aws", "a10g")
    assert "a g5.xlarge less its 4 vCPU and 16 GiB" in line.formula


def test_a_tpu_is_a_tpu_not_a_gpu(tmp_path):
    text = pods("{cloud.google.com/gke-tpu-accelerator: tpu-v5-lite-podslice, cloud.google.com/gke-tpu-topology: 2x2}",
                "{google.com/tpu: 4}")
    component, line = _hourly(tmp_path, {"a.yaml": text})
    assert (component.provider, component.attrs["accelerator"]) == ("gcp", "tpu-v5e")
    assert "4 x tpu-v5e $1.2" in line.formula
    unknown = pods(limits="{google.com/tpu: 4}")
    component, line = _hourly(tmp_path, {"a.yaml": unknown})
    assert (component.provider, component.attrs["accelerator"]) == ("gcp", "tpu")
    assert "4 tpu (no price for it on gcp: left out)" in line.formula
    assert line.low == pytest.approx((2 * _rate("gcp", "vcpu-hour") + 8 * _rate("gcp", "gib-hour")) * 730.5, rel=1e-6)


def test_the_configuration_names_the_cloud_when_the_files_do_not(tmp_path):
    component, line = _hourly(tmp_path, {"a.yaml": pods()}, Economics(kubernetes_provider="gcp"))
    assert component.provider is None
    assert f"${_rate('gcp', 'vcpu-hour'):g}" in line.formula


def test_the_terraform_cluster_of_the_same_system_names_the_cloud(tmp_path):
    cluster = """
resource "google_container_cluster" "main" {
  name               = "shop"
  location           = "us-central1"
  initial_node_count = 1
}
"""
    model = _load(tmp_path, {"a.yaml": pods(), "main.tf": cluster})
    assert {c.system for c in model.components()} == {None}  # one directory: one system
    (node,) = [n for n in compute(model, Economics()).nodes if n.name == "infer"]
    (line,) = node.lines
    assert f"2 vCPU x ${_rate('gcp', 'vcpu-hour'):g} + 8 GiB x ${_rate('gcp', 'gib-hour'):g}" in line.formula
