"""The one immutable value that crosses every seam: rule -> engine -> formatter."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How bad a finding is; ordered so that `rank` compares."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Concern(str, enum.Enum):
    """What a rule judges; the values are the ones that appear in every output format."""

    FAILURE_ISOLATION = "failure-isolation"
    DATA_GRAVITY = "data-gravity"
    OVER_PROVISIONING = "over-provisioning"
    COST = "cost"
    OBSERVABILITY = "observability"
    PLACEMENT = "placement"
    INPUT = "input"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the system.

    Rules fill in what they know (rule, node, message, fix, file, line, key); the engine
    stamps the configured severity, the concern and the fingerprint. `key` is a stable,
    line-independent detail that tells apart two findings of one rule on one node (for
    example a container name); it feeds the fingerprint.
    """

    rule: str
    message: str
    file: str
    line: int
    node: str = ""
    fix: str = ""
    key: str = ""
    severity: Severity = Severity.WARNING
    concern: Concern = Concern.INPUT
    fingerprint: str = ""
    related: tuple[str, ...] = field(default=())

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.line, self.rule, self.node, self.key, self.message)
