"""A recovery time or data loss as the documentation gives it: a range, a bound, an average, unbounded or unknown."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from archlint.catalog.recovery import Figure

INF = math.inf


@dataclass(frozen=True, slots=True)
class Estimate:
    """Seconds. `low`/`high` are the documented bounds (None: not documented; `high` INF: nothing recovers it);
    `typical` an average the source states. All three None: the files show the mechanism but no figure exists."""

    low: float | None = None
    high: float | None = None
    typical: float | None = None

    @classmethod
    def of(cls, figure: Figure | None) -> "Estimate":
        return cls(figure.low, figure.high, figure.typical) if figure is not None else cls()

    @property
    def known(self) -> bool:
        return self.low is not None or self.high is not None or self.typical is not None

    @property
    def unbounded(self) -> bool:
        return self.high == INF

    def plus(self, seconds: float) -> "Estimate":
        """This estimate with a fixed delay added to every bound."""
        return Estimate(None if self.low is None else self.low + seconds,
                        None if self.high is None else self.high + seconds,
                        None if self.typical is None else self.typical + seconds)

    def exceeds(self, objective: float) -> bool | None:
        """True when the documented figure goes past `objective` (its upper bound, else its average, else a lower
        bound already past it); False when its upper bound is within; None when the figures cannot tell."""
        if self.high is not None:
            return self.high > objective
        if self.typical is not None and self.typical > objective:
            return True
        if self.low is not None and self.low > objective:
            return True
        return None

    def rank(self) -> tuple[float, float]:
        """Worst first when sorted descending: unbounded, then the largest upper (or known) figure."""
        worst = self.high if self.high is not None else max(self.low or 0.0, self.typical or 0.0)
        return (1.0 if self.unbounded else 0.0, worst)

    def text(self) -> str:
        if self.unbounded:
            return "unbounded"
        if self.low is not None and self.high is not None:
            if self.low == self.high:
                return duration(self.low) if self.low else "none"
            return f"up to {duration(self.high)}" if not self.low else \
                f"{duration(self.low)} to {duration(self.high)}"
        if self.high is not None:
            return f"under {duration(self.high)}" if self.high else "none"
        if self.typical is not None:
            return f"about {duration(self.typical)} on average"
        if self.low is not None:
            return f"at least {duration(self.low)}"
        return "not documented"

    def as_json(self) -> dict:
        return {"low": _number(self.low), "high": _number(self.high), "typical": _number(self.typical),
                "unbounded": self.unbounded, "text": self.text()}


ZERO = Estimate(0.0, 0.0)
UNBOUNDED = Estimate(None, INF)
UNKNOWN = Estimate()


def worst(estimates: Iterable[Estimate]) -> Estimate:
    """The estimate of waiting for all of them: the largest lower bound, the largest upper bound (unknown when one
    of them has none, unless another is unbounded)."""
    items = list(estimates)
    if not items:
        return UNKNOWN
    if any(e.unbounded for e in items):
        return UNBOUNDED
    lows = [e.low if e.low is not None else e.typical for e in items]
    low = max((v for v in lows if v is not None), default=None)
    highs = [e.high for e in items]
    high = None if any(h is None for h in highs) else max(highs)  # type: ignore[type-var]
    typical = items[0].typical if len(items) == 1 else None
    if high is not None and low is not None and low > high:
        high = low
    return Estimate(low, high, typical)


def duration(seconds: float) -> str:
    """Seconds as people say them: `45 s`, `5 min 40 s`, `2 h`, `1 d 6 h`."""
    if seconds == INF:
        return "unbounded"
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 3600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    if seconds < 86400:
        hours, rest = divmod(seconds, 3600)
        return f"{hours} h" + (f" {rest // 60} min" if rest // 60 else "")
    days, rest = divmod(seconds, 86400)
    return f"{days} d" + (f" {rest // 3600} h" if rest // 3600 else "")


def _number(value: float | None):
    if value is None or value == INF:
        return None
    return int(value) if float(value).is_integer() else value
