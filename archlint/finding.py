"""The one immutable value that crosses every seam: rule -> engine -> formatter."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple


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
class Location:
    """Another place a finding concerns: where its value passed through on the way to the line reported (a
    module's attribute, a kustomize base, a variable's default), with a short note of what that place is."""

    file: str
    line: int
    note: str = ""


class Finding(NamedTuple):
    """One problem found in the system.

    Rules fill in what they know (rule, node, message, fix, file, line, key); the engine
    stamps the configured severity, the concern and the fingerprint. `key` is a stable,
    line-independent detail that tells apart two findings of one rule on one node (for
    example a container name); it feeds the fingerprint. `related` holds the other places of the
    value's origin chain (SARIF relatedLocations), `nodes` the ids of other model nodes involved (the
    members of a cycle), `instances` the module instances, variants or copies one finding stands for, `sources`
    where the message's figures come from (price catalogue rows with their date: `--verbose`, JSON, reports).

    A NamedTuple, as flake8's Violation: immutable, compared and hashed by value, and made in a third of the time
    of a frozen dataclass (a run on the Kubernetes corpus makes 9,000). `finding._replace(...)` gives a changed
    copy.
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
    related: tuple[Location, ...] = ()
    nodes: tuple[str, ...] = ()
    instances: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    #: (file, line, rule, node, key, message): the report's order. Read by C code (sorting thousands of findings
    #: asks for it tens of thousands of times): the indices of those fields above, checked in tests/test_finding.py.
    sort_key = property(itemgetter(2, 3, 0, 4, 6, 1))


#: Names a message lists before it says "and N more": the rest are in the finding's nodes and in JSON.
LISTED = 5
#: Other nodes and related places one finding lists at most. What a rule reports on a dense graph grows with the
#: square of the system (each of 5,000 components reaching the 4,999 others wrote 455 MB of JSON); past this the
#: message says how many there are in all (`listing`, `route`), and the first ones are listed.
MAX_NODES = 100
MAX_RELATED = 100
#: Hops a message spells out at each end of a long path (`route`).
ROUTE_HEAD, ROUTE_TAIL = 4, 2


def listing(names: Iterable[object], limit: int = LISTED) -> str:
    """`a, b, c, d, e and 47 more`: each name once, in the order given, cut after `limit`."""
    unique = list(dict.fromkeys(str(name) for name in names))
    if len(unique) <= limit + 1:  # "and 1 more" says no less than the name itself
        return ", ".join(unique)
    return ", ".join(unique[:limit]) + f" and {len(unique) - limit} more"


def route(names: Iterable[object], head: int = ROUTE_HEAD, tail: int = ROUTE_TAIL, arrow: str = " -> ") -> str:
    """`a -> b -> c -> d -> (795 more) -> y -> z`: a path's hops, its middle cut when it is long."""
    hops = [str(name) for name in names]
    if len(hops) <= head + tail + 1:
        return arrow.join(hops)
    return arrow.join([*hops[:head], f"({len(hops) - head - tail} more)", *hops[-tail:]])
