"""What a team declares about money beside its files: prices it pays, usage it expects, budgets, the base branch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from archlint.catalog import Price

#: Budget kinds, as `cost.budgets` in the configuration names them.
MONTHLY, TEAM, TAG, TIER = "monthly", "teams", "tags", "tiers"
PER_USER, PER_1000_REQUESTS, PER_GB = "per_user", "per_1000_requests", "per_gb"
INCREASE_USD, INCREASE_PERCENT = "increase_usd", "increase_percent"


@dataclass(frozen=True, slots=True)
class Budget:
    """One budget: its kind, what it is about (a team, `key=value` tag, a tier; "" for totals), the limit in USD
    (or percent for `increase_percent`) and where the configuration declares it."""

    kind: str
    limit: float
    file: str
    line: int
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Discount:
    """Percent off every bundled price of a provider and/or family (negotiated rates, savings plans)."""

    percent: float
    source: str
    provider: str | None = None
    family: str | None = None


@dataclass(frozen=True, slots=True)
class BaseEstimate:
    """The monthly cost of the base revision (`--base REF`): its total and each node's, by node id."""

    ref: str
    low: float
    high: float
    nodes: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Economics:
    """Everything the cost estimate and budget rules need beyond the model's own facts.

    `usage` is keyed by resource address (`aws_lambda_function.resize`), component name or id; `units` holds the
    declared denominators (`monthly_active_users`, `monthly_requests`, `monthly_gb_processed`)."""

    #: Rows of the user's price file: each replaces or extends the bundled row with its key.
    prices: tuple[Price, ...] = ()
    discounts: tuple[Discount, ...] = ()
    usage: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    units: Mapping[str, float] = field(default_factory=dict)
    budgets: tuple[Budget, ...] = ()
    base: BaseEstimate | None = None
    #: `cost.kubernetes_provider`: the cloud of the clusters when the files do not say.
    kubernetes_provider: str | None = None
