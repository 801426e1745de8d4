"""Finds the catalog price of an instance, database or cache type: its own row, else its family's linear rate."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archlint.catalog import Catalog, Price

_AZURE_SIZE = re.compile(r"^Standard_([A-Z]+)(\d+)([a-z]*)(?:_(v\d))?$")
_AWS_FAMILY = re.compile(r"^((?:db\.|cache\.|ml\.)?[a-z]+\d+[a-z-]*)\.")
_GCP_SERIES = re.compile(r"^([a-z]\d[a-z]?)-")


@dataclass(frozen=True, slots=True)
class Hourly:
    """An hourly price and how it was found: the rows used and a readable formula."""

    usd: float
    rows: tuple[Price, ...]
    formula: str


def instance(catalog: Catalog, provider: str | None, kind: str, name: str, vcpu: float | None,
             gib: float | None) -> Hourly | None:
    """The hourly price of one machine of type `name` in `kind` (instance, database or cache) of `provider`."""
    own = catalog.get(provider, kind, name)
    if own is not None:
        return Hourly(own.usd, (own,), f"{name} ${own.usd:g}/h")
    family = _family(provider, name)
    if family is None:
        return None
    per_vcpu = catalog.get(provider, f"{kind}-family", f"{family}:vcpu")
    per_gib = catalog.get(provider, f"{kind}-family", f"{family}:gib")
    if per_vcpu is None or vcpu is None or (per_gib is not None and gib is None):
        return None
    usd = vcpu * per_vcpu.usd + (gib * per_gib.usd if per_gib is not None and gib is not None else 0.0)
    formula = f"{name}: {vcpu:g} vCPU x ${per_vcpu.usd:g}" + (
        f" + {gib:g} GiB x ${per_gib.usd:g}" if per_gib is not None and gib is not None else "") + " per hour"
    return Hourly(usd, (per_vcpu,) + ((per_gib,) if per_gib is not None else ()), formula)


def _family(provider: str | None, name: str) -> str | None:
    if provider == "aws":
        found = _AWS_FAMILY.match(name)
        return found.group(1) if found else None
    if provider == "gcp":
        found = _GCP_SERIES.match(name)
        return found.group(1) if found else None
    if provider == "azure":
        found = _AZURE_SIZE.match(name)
        return f"{found.group(1)}{found.group(3)}{found.group(4) or ''}" if found else None
    return None


def unit_rates(catalog: Catalog, provider: str | None, vcpu: float, gib: float, gpus: float,
               accelerator: str | None = None) -> Hourly:
    """The fallback: vCPU, GiB and GPU hours at the provider's unit rates (or the neutral ones). An accelerator of
    a known type is priced as that type on the provider (accelerators.rate); a TPU is never priced as a GPU: one
    whose price is not known leaves its share out, and the formula says so."""
    from archlint.cost import accelerators

    rows = [catalog.unit_rate("vcpu-hour", provider), catalog.unit_rate("gib-hour", provider)]
    usd = vcpu * rows[0].usd + gib * rows[1].usd
    formula = f"{vcpu:g} vCPU x ${rows[0].usd:g} + {gib:g} GiB x ${rows[1].usd:g}"
    if gpus:
        typed = accelerators.rate(catalog, provider, accelerator) if accelerator else None
        if typed is not None:
            per, used, how = typed
            rows.extend(used)
            usd += gpus * per
            formula += f" + {gpus:g} x {how}"
        elif accelerator and accelerator.startswith("tpu"):
            formula += f" + {gpus:g} {accelerator} (no price for it on {provider or 'an unknown cloud'}: left out)"
        else:
            rows.append(catalog.unit_rate("gpu-hour", provider))
            usd += gpus * rows[-1].usd
            formula += f" + {gpus:g} GPU x ${rows[-1].usd:g}" + (f" ({accelerator}: no price of its own)"
                                                                 if accelerator else "")
    return Hourly(usd, tuple(rows), formula + " per hour (unit rates)")
