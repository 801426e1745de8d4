"""The bundled instance catalog: regular families by naming arithmetic, accelerated ones listed."""

from __future__ import annotations

import pytest

from archlint.loaders.cloud.instances import lookup


@pytest.mark.parametrize(("name", "vcpu", "memory", "gpus"), [
    ("m5.large", 2, 8, 0), ("m6i.4xlarge", 16, 64, 0), ("c6i.2xlarge", 8, 16, 0), ("r6g.xlarge", 4, 32, 0),
    ("t3.micro", 2, 1, 0), ("db.r6g.large", 2, 16, 0), ("cache.m6g.large", 2, 8, 0), ("g5.xlarge", 4, 16, 1),
    ("p4d.24xlarge", 96, 1152, 8), ("ml.g5.2xlarge", 8, 32, 1),
    ("n2-standard-8", 8, 32, 0), ("e2-medium", 2, 4, 0), ("n1-standard-4", 4, 15, 0), ("c2-highcpu-16", 16, 16, 0),
    ("custom-6-20480", 6, 20, 0), ("a2-highgpu-1g", 12, 85, 1), ("g2-standard-8", 8, 32, 1),
    ("Standard_D4s_v5", 4, 16, 0), ("Standard_E8as_v5", 8, 64, 0), ("Standard_F16s_v2", 16, 32, 0),
    ("Standard_NC24ads_A100_v4", 24, 220, 1),
])
def test_known_types(name, vcpu, memory, gpus):
    machine = lookup(name)
    assert machine is not None
    assert (machine.vcpu, machine.memory_gib, machine.gpus) == (vcpu, memory, gpus)


@pytest.mark.parametrize("name", ["m5.metal", "quantum.large", "Standard_NC999", "", "n9-weird-4"])
def test_unknown_types_are_unknown(name):
    assert lookup(name) is None
