"""Parsing of Kubernetes quantities, data sizes, durations and percentages into plain numbers."""

from __future__ import annotations

import re

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_QUANTITY = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E)?\s*$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB|k|K|M|G|T|Ki|Mi|Gi|Ti)?\s*$")
_SIZE_UNITS = {
    None: 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15, "k": 1e3, "K": 1e3, "M": 1e6,
    "G": 1e9, "T": 1e12, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "PiB": 2**50,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|us|µs|ns|s|m|h|d)")
_DURATION_UNITS = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3, "d": 86400e3}


def quantity(value: object) -> float | None:
    """A Kubernetes resource quantity (`500m`, `2Gi`, `1.5`, 3) as a float; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _QUANTITY.match(str(value))
    if not match:
        return None
    number, suffix = float(match.group(1)), match.group(2) or ""
    return number * (_BINARY.get(suffix) or _DECIMAL[suffix])


def size_bytes(value: object) -> float | None:
    """A data size (`2KB`, `1.5GiB`, `512Mi`, 1024) in bytes; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _SIZE.match(str(value))
    if not match:
        return None
    return float(match.group(1)) * _SIZE_UNITS[match.group(2)]


def duration_ms(value: object) -> float | None:
    """A duration (`300ms`, `2s`, `1m30s`, or a number of milliseconds) in milliseconds; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text.replace(" ", ""):
        return None
    return sum(float(n) * _DURATION_UNITS[u] for n, u in parts)


def percent(value: object) -> float | None:
    """A percentage (`99.9`, `"99.9%"`) as a number between 0 and 100; None if unreadable or out of range."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip().rstrip("%")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if 0 <= number <= 100 else None


def format_bytes(value: float) -> str:
    """Human-readable size with binary-free decimal units, as cloud bills use."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def format_memory(size: float) -> str:
    """Bytes as Kubernetes writes memory (`512Mi`, `1.5Gi`)."""
    if size >= 2**30:
        return f"{size / 2**30:.1f}".rstrip("0").rstrip(".") + "Gi"
    return f"{size / 2**20:.0f}Mi"


def format_cpu(cores: float) -> str:
    """CPU cores as Kubernetes writes them (`250m`, `2`)."""
    return f"{cores:g}" if cores >= 1 and float(cores).is_integer() else f"{cores * 1000:.0f}m"
