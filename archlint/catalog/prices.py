"""Prices from the bundled catalog (package data), each with its source and date; lookups never guess silently."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: Hours in an average month (365.25 x 24 / 12), the convention cloud bills use.
HOURS_PER_MONTH = 730.5
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
TRANSFER_CLASSES = ("same-zone", "cross-zone", "cross-region", "internet", "cdn")


@dataclass(frozen=True, slots=True)
class Price:
    """One row of the catalog: `usd` per `unit`, where it comes from and when it was read."""

    provider: str | None
    family: str
    item: str
    unit: str
    usd: float
    source: str
    date: str


class Catalog:
    """Rows indexed by (provider, family, item); provider None holds the provider-neutral fallbacks."""

    def __init__(self, rows: list[Price]) -> None:
        self._rows = {(r.provider, r.family, r.item): r for r in rows}
        self.rows = tuple(rows)
        self.date = max((r.date for r in rows), default="")

    def get(self, provider: str | None, family: str, item: str) -> Price | None:
        return self._rows.get((provider, family, item))

    def transfer(self, provider: str | None, transfer_class: str) -> Price | None:
        """Price per GB of data moved in `transfer_class` from a component of `provider`.

        A provider archlint has no row for (on-premises, another cloud) gets None: the caller reports the
        volume without money rather than inventing a price."""
        return self._rows.get((provider, "transfer", transfer_class))

    def unit_rate(self, item: str, provider: str | None = None) -> Price:
        """vcpu-hour, gib-hour or gpu-hour: the provider's own rate if listed, else the neutral fallback."""
        return self._rows.get((provider, "unit-rate", item)) or self._rows[(None, "unit-rate", item)]

    def with_overrides(self, rows: list[Price], discounts: list[tuple[str | None, str | None, float, str]]) -> "Catalog":
        """A catalog where `rows` replace or extend the bundled ones, then each discount (provider or None for all,
        family or None for all, percent off, where it was declared) lowers the matching rows' prices."""
        merged = {**self._rows, **{(r.provider, r.family, r.item): r for r in rows}}
        result = []
        for key in merged:
            row = merged[key]
            for provider, family, percent, source in discounts:
                if provider in (None, row.provider) and family in (None, row.family) and row.family != "spot-factor":
                    row = Price(row.provider, row.family, row.item, row.unit, round(row.usd * (1 - percent / 100), 10),
                                f"{row.source}, less {percent:g}% ({source})", row.date)
            result.append(row)
        changed = Catalog(result)
        changed.date = self.date
        changed.overridden = bool(rows or discounts)
        return changed

    overridden = False

    def coverage(self) -> dict[tuple[str, str], int]:
        """Rows per (provider, family), for the documentation and `archlint cost --catalog`."""
        counts: dict[tuple[str, str], int] = {}
        for row in self.rows:
            key = (row.provider or "any", row.family)
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The bundled catalog, read once."""
    with open(Path(__file__).with_name("prices.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    return Catalog([Price(**row) for row in data["rows"]])
