"""What a team prefers when archlint advises: the weight of each placement criterion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: The placement criteria and their default weights: hard facts (latency, accelerators, data) weigh most.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "latency": 3.0, "data_gravity": 3.0, "cost": 2.0, "elasticity": 1.0, "accelerator": 3.0, "privacy": 2.0,
    "resilience": 2.0, "throughput": 1.0}


@dataclass(frozen=True)
class Preferences:
    """The `placement` section of the configuration: criterion weights (over the defaults) and thresholds."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    #: Requests per second below which an always-on service is offered a scale-to-zero alternative.
    scale_to_zero_rps: float = 1.0
    #: Seconds one request keeps a function busy, to price that alternative.
    function_seconds: float = 0.1
