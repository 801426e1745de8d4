"""Which cloud a workload's cluster runs on, and which accelerator its pods get, from the node labels it asks for."""

from __future__ import annotations

import re

from archlint.loaders.kubernetes.objects import mapping, sequence

#: Node label prefixes that only one provider's nodes carry.
_PREFIXES = (("cloud.google.com/", "gcp"), ("eks.amazonaws.com/", "aws"), ("karpenter.k8s.aws/", "aws"),
             ("k8s.amazonaws.com/", "aws"), ("kubernetes.azure.com/", "azure"))
_INSTANCE_KEYS = ("node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type")
#: Instance type names by provider: `m5.large`, `n2-standard-4`, `Standard_D4s_v3`.
_INSTANCE_NAMES = ((re.compile(r"^[a-z][a-z0-9-]*\.\d*[a-z0-9]*large$|^[a-z][a-z0-9]*\.(nano|micro|small|medium|metal)"),
                    "aws"),
                   (re.compile(r"^[a-z][a-z0-9]*-(standard|highmem|highcpu|highgpu|ultragpu|megagpu|ultramem|"
                               r"megamem|custom)(-\d+[a-z]*)?"), "gcp"),
                   (re.compile(r"^Standard_[A-Z]"), "azure"))
#: Accelerator labels and how their values read as archlint's accelerator names.
_ACCELERATOR_KEYS = ("cloud.google.com/gke-accelerator", "cloud.google.com/gke-tpu-accelerator",
                     "karpenter.k8s.aws/instance-gpu-name", "nvidia.com/gpu.product")
_ACCELERATORS = ((re.compile(r"tpu-?v6e|trillium"), "tpu-v6e"), (re.compile(r"tpu-?v5p"), "tpu-v5p"),
                 (re.compile(r"tpu-?v5-?lite|tpu-?v5e"), "tpu-v5e"), (re.compile(r"tpu-?v4"), "tpu-v4"),
                 (re.compile(r"h200"), "h200"), (re.compile(r"h100"), "h100"),
                 (re.compile(r"a100.*80|a100-80gb"), "a100-80gb"), (re.compile(r"a100"), "a100"),
                 (re.compile(r"l40s"), "l40s"), (re.compile(r"\bl4\b|-l4$|^l4$|nvidia-l4"), "l4"),
                 (re.compile(r"a10g"), "a10g"), (re.compile(r"\ba10\b|-a10$|^a10$"), "a10"),
                 (re.compile(r"t4"), "t4"), (re.compile(r"v100"), "v100"), (re.compile(r"p100"), "p100"),
                 (re.compile(r"\bp4\b|tesla-p4$"), "p4"), (re.compile(r"k80"), "k80"))
#: GPU instance families by what they carry.
_FAMILIES = ((re.compile(r"^g4dn\."), "t4"), (re.compile(r"^g5\."), "a10g"), (re.compile(r"^g6e\."), "l40s"),
             (re.compile(r"^g6\."), "l4"), (re.compile(r"^p3\."), "v100"), (re.compile(r"^p4de\."), "a100-80gb"),
             (re.compile(r"^p4d\."), "a100"), (re.compile(r"^p5\."), "h100"), (re.compile(r"^g2-"), "l4"),
             (re.compile(r"^a2-ultragpu"), "a100-80gb"), (re.compile(r"^a2-"), "a100"), (re.compile(r"^a3-"), "h100"),
             (re.compile(r"^Standard_NC\d+as_T4"), "t4"), (re.compile(r"^Standard_NC\d+ads_A100"), "a100"),
             (re.compile(r"H100"), "h100"), (re.compile(r"^Standard_NV\d+ads_A10"), "a10"))


def node_labels(pod_spec: dict) -> dict[str, list[str]]:
    """The node labels the pod asks for: nodeSelector, and node affinity terms (required and preferred)."""
    found: dict[str, list[str]] = {str(k): [str(v)] for k, v in mapping(pod_spec.get("nodeSelector")).items()}
    affinity = mapping(mapping(pod_spec.get("affinity")).get("nodeAffinity"))
    terms = list(sequence(mapping(affinity.get("requiredDuringSchedulingIgnoredDuringExecution")).get("nodeSelectorTerms")))
    terms += [mapping(p).get("preference") for p in sequence(affinity.get("preferredDuringSchedulingIgnoredDuringExecution"))]
    for term in terms:
        for expression in sequence(mapping(term).get("matchExpressions")):
            expression = mapping(expression)
            if expression.get("operator") in ("In", "Exists"):
                found.setdefault(str(expression.get("key")), []).extend(str(v) for v in sequence(expression.get("values")))
    for toleration in sequence(pod_spec.get("tolerations")):  # GKE taints its TPU and spot nodes with these keys
        key = mapping(toleration).get("key")
        if isinstance(key, str) and key.startswith("cloud.google.com/"):
            found.setdefault(key, [])
    return found


def provider(labels: dict[str, list[str]]) -> tuple[str, str] | None:
    """(provider, evidence) from node labels only one cloud's nodes carry, or instance type names."""
    for key in sorted(labels):
        for prefix, cloud in _PREFIXES:
            if key.startswith(prefix):
                return cloud, f"node label {key}"
    for key in _INSTANCE_KEYS:
        for value in labels.get(key, ()):
            for pattern, cloud in _INSTANCE_NAMES:
                if pattern.search(value):
                    return cloud, f"instance type {value}"
    return None


def accelerator(labels: dict[str, list[str]], tpu: bool) -> tuple[str, str] | None:
    """(accelerator, evidence): its type from an accelerator label, or from a GPU instance type; a TPU request
    without a generation is `tpu`."""
    for key in _ACCELERATOR_KEYS:
        for value in labels.get(key, ()):
            lowered = value.lower()
            for pattern, name in _ACCELERATORS:
                if pattern.search(lowered) and name.startswith("tpu") == tpu:
                    return name, f"{key}: {value}"
    for key in _INSTANCE_KEYS:
        for value in labels.get(key, ()):
            for pattern, name in _FAMILIES:
                if pattern.search(value) and not tpu:
                    return name, f"instance type {value}"
    return ("tpu", "a google.com/tpu request") if tpu else None
