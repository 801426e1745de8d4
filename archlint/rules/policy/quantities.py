"""Numbers for comparisons: plain numbers, Kubernetes quantities, data sizes and durations (milliseconds)."""

from __future__ import annotations

from archlint.model.units import duration_ms, quantity, size_bytes

#: How a string may be read, in the order `auto` tries them (`5m` is a quantity, 0.005, unless `unit: duration`).
UNITS = ("auto", "number", "quantity", "size", "duration")


def number(value: object, unit: str = "auto") -> float | None:
    """`value` as a float: a number, or a string read as a quantity (`500m`, `2Gi`, `1e3`), a size (`10GB`,
    `1.5 TiB`) or a duration (`800ms`, `1h`, in milliseconds); None when it is none of these (or a boolean)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    readers = {"number": (_plain,), "quantity": (quantity,), "size": (size_bytes,), "duration": (duration_ms,),
               "auto": (quantity, size_bytes, duration_ms)}[unit]
    for reader in readers:
        found = reader(value)
        if found is not None:
            return found
    return None


def _plain(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None
