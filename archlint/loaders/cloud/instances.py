"""Instance types to per-machine resources (vCPU, memory GiB, GPUs) for the common families of AWS, GCP and Azure.

Regular families follow each provider's naming arithmetic (size multiplier x family memory ratio); accelerated
families are listed one by one. Sources: the providers' public instance-type pages (AWS EC2 instance types,
Google Compute Engine machine families, Azure VM sizes), read 2026-11.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Machine:
    """What one machine of an instance type offers; `accelerator` names the GPU or chip model, if any."""

    vcpu: float
    memory_gib: float
    gpus: int = 0
    accelerator: str | None = None


# AWS: family letter(s) -> GiB per vCPU; size -> vCPU.
_AWS_RATIO = {"t": 4, "m": 4, "c": 2, "r": 8, "x": 16, "z": 8, "i": 8, "d": 8, "h": 4}
_AWS_T = {"nano": (2, 0.5), "micro": (2, 1), "small": (2, 2), "medium": (2, 4), "large": (2, 8), "xlarge": (4, 16),
          "2xlarge": (8, 32)}
_AWS_ACCELERATED = {
    "g4dn.xlarge": Machine(4, 16, 1, "T4"), "g4dn.2xlarge": Machine(8, 32, 1, "T4"), "g4dn.4xlarge": Machine(16, 64, 1, "T4"),
    "g4dn.8xlarge": Machine(32, 128, 1, "T4"), "g4dn.12xlarge": Machine(48, 192, 4, "T4"), "g4dn.16xlarge": Machine(64, 256, 1, "T4"),
    "g5.xlarge": Machine(4, 16, 1, "A10G"), "g5.2xlarge": Machine(8, 32, 1, "A10G"), "g5.4xlarge": Machine(16, 64, 1, "A10G"),
    "g5.8xlarge": Machine(32, 128, 1, "A10G"), "g5.12xlarge": Machine(48, 192, 4, "A10G"), "g5.24xlarge": Machine(96, 384, 4, "A10G"),
    "g5.48xlarge": Machine(192, 768, 8, "A10G"), "g6.xlarge": Machine(4, 16, 1, "L4"), "g6.2xlarge": Machine(8, 32, 1, "L4"),
    "g6.12xlarge": Machine(48, 192, 4, "L4"), "g6e.xlarge": Machine(4, 32, 1, "L40S"), "g6e.12xlarge": Machine(48, 384, 4, "L40S"),
    "p3.2xlarge": Machine(8, 61, 1, "V100"), "p3.8xlarge": Machine(32, 244, 4, "V100"), "p3.16xlarge": Machine(64, 488, 8, "V100"),
    "p4d.24xlarge": Machine(96, 1152, 8, "A100"), "p4de.24xlarge": Machine(96, 1152, 8, "A100"),
    "p5.48xlarge": Machine(192, 2048, 8, "H100"), "p5e.48xlarge": Machine(192, 2048, 8, "H200"),
    "inf2.xlarge": Machine(4, 16, 1, "Inferentia2"), "inf2.8xlarge": Machine(32, 128, 1, "Inferentia2"),
    "inf2.24xlarge": Machine(96, 384, 6, "Inferentia2"), "inf2.48xlarge": Machine(192, 768, 12, "Inferentia2"),
    "trn1.2xlarge": Machine(8, 32, 1, "Trainium"), "trn1.32xlarge": Machine(128, 512, 16, "Trainium"),
}
_AWS_NAME = re.compile(r"^(?:db\.|cache\.|ml\.)?([a-z]+)(\d+)([a-z-]*)\.(\d*)(nano|micro|small|medium|large|xlarge|metal)$")

# GCP: series-type-vcpus; GiB per vCPU by type.
_GCP_RATIO = {"standard": 4, "highmem": 8, "highcpu": 1, "megamem": 14.9, "ultramem": 24}
_GCP_SERIES_STANDARD = {"e2": 4, "n1": 3.75, "n2": 4, "n2d": 4, "n4": 4, "c2": 4, "c2d": 4, "c3": 4, "c3d": 4, "t2d": 4,
                        "t2a": 4, "m1": 14.9, "m2": 28.3, "m3": 15.25}
_GCP_SHARED = {"e2-micro": Machine(2, 1), "e2-small": Machine(2, 2), "e2-medium": Machine(2, 4), "f1-micro": Machine(1, 0.6),
               "g1-small": Machine(1, 1.7)}
_GCP_ACCELERATED = {
    "a2-highgpu-1g": Machine(12, 85, 1, "A100"), "a2-highgpu-2g": Machine(24, 170, 2, "A100"),
    "a2-highgpu-4g": Machine(48, 340, 4, "A100"), "a2-highgpu-8g": Machine(96, 680, 8, "A100"),
    "a2-ultragpu-1g": Machine(12, 170, 1, "A100-80GB"), "a2-ultragpu-8g": Machine(96, 1360, 8, "A100-80GB"),
    "a3-highgpu-8g": Machine(208, 1872, 8, "H100"), "a3-megagpu-8g": Machine(208, 1872, 8, "H100"),
    "g2-standard-4": Machine(4, 16, 1, "L4"), "g2-standard-8": Machine(8, 32, 1, "L4"), "g2-standard-12": Machine(12, 48, 1, "L4"),
    "g2-standard-16": Machine(16, 64, 1, "L4"), "g2-standard-24": Machine(24, 96, 2, "L4"), "g2-standard-48": Machine(48, 192, 4, "L4"),
    "g2-standard-96": Machine(96, 384, 8, "L4"),
}
_GCP_NAME = re.compile(r"^([a-z]\d[a-z]?)-(standard|highmem|highcpu|megamem|ultramem)-(\d+)$")

# Azure: Standard_<family><vcpus><features>_v<n>; GiB per vCPU by family.
_AZURE_RATIO = {"B": 4, "D": 4, "DC": 4, "E": 8, "F": 2, "M": 28, "L": 8, "A": 2}
_AZURE_ACCELERATED = {
    "standard_nc4as_t4_v3": Machine(4, 28, 1, "T4"), "standard_nc8as_t4_v3": Machine(8, 56, 1, "T4"),
    "standard_nc16as_t4_v3": Machine(16, 110, 1, "T4"), "standard_nc64as_t4_v3": Machine(64, 440, 4, "T4"),
    "standard_nc6s_v3": Machine(6, 112, 1, "V100"), "standard_nc12s_v3": Machine(12, 224, 2, "V100"),
    "standard_nc24s_v3": Machine(24, 448, 4, "V100"), "standard_nc24ads_a100_v4": Machine(24, 220, 1, "A100"),
    "standard_nc48ads_a100_v4": Machine(48, 440, 2, "A100"), "standard_nc96ads_a100_v4": Machine(96, 880, 4, "A100"),
    "standard_nd96asr_v4": Machine(96, 900, 8, "A100"), "standard_nd96amsr_a100_v4": Machine(96, 1900, 8, "A100-80GB"),
    "standard_nd96isr_h100_v5": Machine(96, 1900, 8, "H100"), "standard_nv6ads_a10_v5": Machine(6, 55, 1, "A10"),
    "standard_nv36ads_a10_v5": Machine(36, 440, 1, "A10"),
}
_AZURE_NAME = re.compile(r"^standard_([a-z]+?)(\d+)([a-z]*)(?:_v(\d+))?$")


def lookup(instance_type: str) -> Machine | None:
    """The machine behind an instance type of any of the three providers, or None when archlint does not know it."""
    name = instance_type.strip()
    lower = name.lower()
    if lower.startswith("standard_") or lower.startswith("basic_"):
        return _azure(lower)
    if "-" in lower and "." not in lower:
        return _gcp(lower)
    return _aws(lower)


def _aws(name: str) -> Machine | None:
    bare = re.sub(r"^(db|cache|ml)\.", "", name)
    if bare in _AWS_ACCELERATED:
        return _AWS_ACCELERATED[bare]
    match = _AWS_NAME.match(name)
    if not match:
        return None
    family, _generation, _features, multiple, size = match.groups()
    if family == "t" and not multiple:
        vcpu, memory = _AWS_T.get(size, (None, None))
        return Machine(vcpu, memory) if vcpu else None
    if size == "metal":
        return None
    vcpu = {"medium": 1, "large": 2, "xlarge": 4}[size] if size in ("medium", "large", "xlarge") else None
    if vcpu is None:
        return None
    if multiple:
        vcpu = int(multiple) * 4
    ratio = _AWS_RATIO.get(family[0])
    return Machine(vcpu, vcpu * ratio) if ratio else None


def _gcp(name: str) -> Machine | None:
    if name in _GCP_ACCELERATED:
        return _GCP_ACCELERATED[name]
    if name in _GCP_SHARED:
        return _GCP_SHARED[name]
    match = _GCP_NAME.match(name)
    if not match:
        custom = re.match(r"^(?:[a-z]\d[a-z]?-)?custom-(\d+)-(\d+)(?:-ext)?$", name)
        return Machine(int(custom.group(1)), int(custom.group(2)) / 1024) if custom else None
    series, kind, vcpus = match.group(1), match.group(2), int(match.group(3))
    ratio = _GCP_SERIES_STANDARD.get(series, 4) if kind == "standard" else _GCP_RATIO[kind]
    if series == "n1" and kind == "highmem":
        ratio = 6.5
    if series == "n1" and kind == "highcpu":
        ratio = 0.9
    return Machine(vcpus, round(vcpus * ratio, 2))


def _azure(name: str) -> Machine | None:
    if name in _AZURE_ACCELERATED:
        return _AZURE_ACCELERATED[name]
    match = _AZURE_NAME.match(name)
    if not match:
        return None
    family, vcpus = match.group(1).upper(), int(match.group(2))
    if family.startswith("N"):
        return None  # accelerated sizes are listed one by one
    ratio = _AZURE_RATIO.get(family) or _AZURE_RATIO.get(family[0])
    return Machine(vcpus, vcpus * ratio) if ratio else None
