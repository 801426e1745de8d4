"""The providers' documented recovery figures (package data): failover and restore times, data loss, availability.

Kept like the price catalog: every row names its source and the date it was read, and a team's own figures
(`resilience.figures` in `.archlint.yaml`) replace rows without touching the file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: What a row measures: recovery time (s), data loss (s), availability (%), restore throughput (bytes/s).
MEASURES = ("rto", "rpo", "availability", "throughput")
#: Mechanisms the assessment names for which no provider documents a figure: a team can give its own.
UNDOCUMENTED = {
    "rollback": "rolling back a bad deploy or a crash loop (detection and rollback)",
    "replica-promotion": "promoting a cross-region read replica by hand (AWS, Google Cloud)",
    "azure-redis-failover": "Azure Cache for Redis failing over to its replica",
    "group-replacement": "an instance group launching a replacement instance",
    "relaunch": "a replacement started in another of a component's zones",
    "restart": "a managed server restarted on another node",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One documented figure. A bound the source does not give is None; `typical` is an average it states."""

    mechanism: str
    provider: str | None
    measure: str
    low: float | None
    high: float | None
    says: str
    source: str
    date: str
    typical: float | None = None
    #: Where a team's override was declared (`.archlint.yaml:12`); empty for the bundled rows.
    declared: str = ""

    @property
    def documented(self) -> bool:
        """The source gives a number (a bound or an average), not only the mechanism."""
        return self.low is not None or self.high is not None or self.typical is not None


class FigureTable:
    """Rows by (mechanism, measure, provider); provider None holds the rows that apply to every provider."""

    def __init__(self, rows: list[Figure], date: str = "") -> None:
        self.rows = tuple(rows)
        self._rows = {(r.mechanism, r.measure, r.provider): r for r in rows}
        self.date = date or max((r.date for r in rows), default="")

    def get(self, mechanism: str, measure: str, provider: str | None = None) -> Figure | None:
        """The provider's own row, else the provider-neutral one."""
        return self._rows.get((mechanism, measure, provider)) or self._rows.get((mechanism, measure, None))

    def mechanisms(self) -> frozenset[str]:
        """Every mechanism a figure can be given for: the table's and the undocumented ones."""
        return frozenset(r.mechanism for r in self.rows) | frozenset(UNDOCUMENTED)

    def with_overrides(self, rows: list[Figure]) -> "FigureTable":
        """A table where `rows` replace the bundled rows of the same mechanism, measure and provider (an override
        without a provider replaces that mechanism's rows for every provider)."""
        if not rows:
            return self
        replaced = {(r.mechanism, r.measure) for r in rows if r.provider is None}
        keys = {(r.mechanism, r.measure, r.provider) for r in rows}
        kept = [r for r in self.rows if (r.mechanism, r.measure, r.provider) not in keys
                and (r.mechanism, r.measure) not in replaced]
        return FigureTable(kept + list(rows), self.date)


@lru_cache(maxsize=1)
def figures() -> FigureTable:
    """The bundled table, read once."""
    with open(Path(__file__).with_name("recovery.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    return FigureTable([Figure(r["mechanism"], r.get("provider"), r["measure"], r.get("low"), r.get("high"),
                               r["says"], r["source"], r["date"], r.get("typical")) for r in data["rows"]])
