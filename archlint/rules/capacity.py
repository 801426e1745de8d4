"""Reserved capacity in money (the offline catalog's unit rates) and in Kubernetes units, as rules phrase it."""

from __future__ import annotations

from archlint.catalog import catalog
from archlint.catalog.prices import HOURS_PER_MONTH
from archlint.model.units import format_memory

GIB = 2**30
_ITEMS = (("cpu", "vcpu-hour"), ("memory", "gib-hour"), ("gpu", "gpu-hour"))


def monthly_usd(provider: str | None, cpu: float = 0.0, memory: float = 0.0, gpu: float = 0.0) -> float:
    """What `cpu` cores, `memory` bytes and `gpu` accelerators held all month cost at the catalog's unit rates."""
    amounts = {"cpu": cpu, "memory": memory / GIB, "gpu": gpu}
    return HOURS_PER_MONTH * sum(amounts[name] * catalog().unit_rate(item, provider).usd for name, item in _ITEMS)


def price_note(provider: str | None, *resources: str) -> str:
    """`$0.0316/vCPU-hour, $0.0042/GiB-hour`: the rates a money figure used (their sources: `price_sources`)."""
    return ", ".join(f"${row.usd:g}/{row.unit}" for row in _rows(provider, resources))


def price_sources(provider: str | None, *resources: str) -> tuple[str, ...]:
    """Where the rates of `price_note` come from (`$1.21/GPU-hour: AWS g5.xlarge on-demand us-east-1, 2026-11-01`),
    for the finding's `sources`: shown by `--verbose`, JSON and the reports, kept out of the one-line message."""
    return tuple(dict.fromkeys(f"${row.usd:g}/{row.unit}: {row.source}, {row.date}"
                               for row in _rows(provider, resources)))


def _rows(provider: str | None, resources: tuple[str, ...]) -> list:
    return [catalog().unit_rate(item, provider) for name, item in _ITEMS if name in resources]


def usd(amount: float) -> str:
    return f"${amount:,.0f}" if amount >= 10 else f"${amount:,.2f}"


def memory_text(size: float) -> str:
    """Bytes as Kubernetes writes them (`512Mi`, `1.5Gi`)."""
    return format_memory(size)
