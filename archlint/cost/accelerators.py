"""The hourly price of one accelerator (GPU or TPU) of a known type on a provider.

A provider that sells the accelerator by the hour (Google Cloud's N1-attached GPUs, its TPU chips) has an
`accelerator-hour` row. One that sells it inside an instance type has it priced from the smallest instance that
carries it: the instance's price less its vCPUs and memory at the provider's unit rates, per accelerator."""

from __future__ import annotations

from archlint.catalog import Catalog, Price

#: (provider, accelerator) -> (instance type, accelerators, vCPUs, GiB) of the smallest instance that carries it.
CARRIERS = {
    ("aws", "t4"): ("g4dn.xlarge", 1, 4, 16), ("aws", "a10g"): ("g5.xlarge", 1, 4, 16),
    ("aws", "l4"): ("g6.xlarge", 1, 4, 16), ("aws", "l40s"): ("g6e.xlarge", 1, 4, 32),
    ("aws", "v100"): ("p3.2xlarge", 1, 8, 61), ("aws", "a100"): ("p4d.24xlarge", 8, 96, 1152),
    ("aws", "a100-80gb"): ("p4de.24xlarge", 8, 96, 1152), ("aws", "h100"): ("p5.48xlarge", 8, 192, 2048),
    ("gcp", "l4"): ("g2-standard-4", 1, 4, 16), ("gcp", "a100"): ("a2-highgpu-1g", 1, 12, 85),
    ("gcp", "a100-80gb"): ("a2-ultragpu-1g", 1, 12, 170), ("gcp", "h100"): ("a3-highgpu-8g", 8, 208, 1872),
    ("azure", "t4"): ("Standard_NC4as_T4_v3", 1, 4, 28), ("azure", "a100"): ("Standard_NC24ads_A100_v4", 1, 24, 220),
    ("azure", "h100"): ("Standard_ND96isr_H100_v5", 8, 96, 1900), ("azure", "a10"): ("Standard_NV36ads_A10_v5", 1, 36, 440),
}


def rate(catalog: Catalog, provider: str | None, accelerator: str) -> tuple[float, tuple[Price, ...], str] | None:
    """(USD per accelerator-hour, rows used, how) for `accelerator` on `provider`; None when no row says."""
    own = catalog.get(provider, "accelerator-hour", accelerator)
    if own is not None:
        return own.usd, (own,), f"{accelerator} ${own.usd:g}"
    carrier = CARRIERS.get((provider, accelerator)) if provider else None
    if carrier is None:
        return None
    name, count, vcpu, gib = carrier
    machine = catalog.get(provider, "instance", name)
    if machine is None:
        return None
    per_vcpu, per_gib = catalog.unit_rate("vcpu-hour", provider), catalog.unit_rate("gib-hour", provider)
    usd = max(machine.usd - vcpu * per_vcpu.usd - gib * per_gib.usd, 0.0) / count
    return usd, (machine, per_vcpu, per_gib), f"{accelerator} ${usd:.4g} (a {name} less its {vcpu} vCPU and {gib} GiB)"
