"""A hand-built Report, shaped like a real run, that every formatter test renders."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from archlint.finding import Concern, Finding, Location, Severity
from archlint.report import Report, RuleInfo

#: The message every escaping test leans on: percent, colon, comma, a newline and markup.
TRICKY_MESSAGE = "checkout: availability 99.5% < SLO 99.9%, chain: api,pay\nsee <script>alert(1)</script>"
TRICKY_FIX = "Make pay asynchronous, or add a fallback: retries=2, timeout=1s."
#: A kustomize-style overlay path: a comma in a directory and a space in the file name.
OVERLAY = "overlays/prod,eu/web app.yaml"

RULES = (
    RuleInfo("FI001", "single-replica-without-autoscaler", "Serving workload runs a single replica and nothing scales it",
             Concern.FAILURE_ISOLATION, Severity.ERROR, "A serving workload with fewer than `min_replicas` replicas.",
             "Every restart takes the capability down.", "Run at least two replicas."),
    RuleInfo("FI002", "replicated-workload-without-disruption-budget", "Replicated workload has no PodDisruptionBudget",
             Concern.FAILURE_ISOLATION, Severity.WARNING, "A replicated workload no PodDisruptionBudget selects.",
             "A node drain may evict every replica at once.", "Add a PodDisruptionBudget with `maxUnavailable: 1`."),
    RuleInfo("FI011", "synchronous-dependency-cycle", "Synchronous dependency cycle", Concern.FAILURE_ISOLATION,
             Severity.ERROR, "Components that call each other synchronously in a loop.",
             "One slow member stalls them all.", "Break the cycle with a queue.",
             help_uri="https://archlint.dev/rules/FI011"),
    RuleInfo("FI012", "availability-chain-below-slo", "Synchronous dependencies cannot meet the availability SLO",
             Concern.FAILURE_ISOLATION, Severity.ERROR, "An entrypoint whose synchronous chain multiplies below its SLO.",
             "Availabilities multiply along synchronous calls.", "Make a dependency asynchronous."),
    RuleInfo("CO001", "container-without-resource-requests", "Container declares no CPU or memory request",
             Concern.COST, Severity.WARNING, "A container without CPU or memory requests.",
             "The scheduler cannot pack nodes.", "Set `resources.requests`."),
    RuleInfo("OP001", "autoscaler-min-equals-max", "Autoscaler minimum equals maximum", Concern.OVER_PROVISIONING,
             Severity.WARNING, "An autoscaler whose min equals its max.", "It never scales.", ""),
    RuleInfo("IN004", "unused-suppression", "Suppression matches no finding", Concern.INPUT, Severity.WARNING,
             "A suppression comment that silences nothing.", "Stale suppressions hide future findings.",
             "Remove the comment."),
)

_CONCERN = {rule.id: rule.concern for rule in RULES}


def make_finding(rule: str, file: str, line: int, message: str, *, severity: Severity, node: str = "",
                 fix: str = "", key: str = "", nodes: tuple[str, ...] = (),
                 related: tuple[Location, ...] = ()) -> Finding:
    """A finding as the engine hands it on: concern from the rule, fingerprint without the line."""
    digest = hashlib.sha256("\0".join((rule, file, node, key)).encode()).hexdigest()[:20]
    return Finding(rule=rule, message=message, file=file, line=line, node=node, fix=fix, key=key, severity=severity,
                   concern=_CONCERN.get(rule, Concern.INPUT), fingerprint=digest, nodes=nodes,
                   related=related)


FINDINGS = (
    make_finding("FI001", "k8s/api.yaml", 12, "api serves traffic with 1 replica and no autoscaler",
                 severity=Severity.ERROR, node="default/api", fix="Set replicas to at least 2."),
    make_finding("CO001", "k8s/api.yaml", 31, "container app declares no CPU or memory request",
                 severity=Severity.WARNING, node="default/api", key="app", fix="Set resources.requests."),
    make_finding("IN004", "k8s/api.yaml", 3, "suppression of FI004 (default/api) matches no finding",
                 severity=Severity.WARNING, node="default/api"),
    make_finding("FI012", OVERLAY, 104, TRICKY_MESSAGE, severity=Severity.ERROR, node="prod/checkout",
                 fix=TRICKY_FIX, nodes=("prod/api", "prod/pay"),
                 related=(Location("base/checkout.yaml", 7, "the base's Deployment checkout"),)),
    make_finding("FI002", OVERLAY, 8, "web runs up to 3 replicas but no PodDisruptionBudget selects its pods",
                 severity=Severity.WARNING, node="prod/web"),
    make_finding("FI011", "graph/services.yaml", 5, "synchronous cycle: orders -> stock -> orders",
                 severity=Severity.ERROR, node="orders", key="orders,stock", nodes=("orders", "stock")),
    # Configured down to info: the result's level differs from the rule's default one.
    make_finding("OP001", "graph/services.yaml", 40, "search autoscales between 4 and 4 replicas",
                 severity=Severity.INFO, node="search"),
)

MODEL_SUMMARY = {"files": 3, "documents": 7, "nodes": {"service": 4, "datastore": 1, "gateway": 1},
                 "edges": {"reads": 2, "calls": 5}}


@pytest.fixture
def report() -> Report:
    """Findings in the engine's order (sorted by their sort key), every rule that ran described."""
    return Report(version="0.3.0", findings=tuple(sorted(FINDINGS, key=lambda f: f.sort_key)), rules=RULES,
                  model_summary=dict(MODEL_SUMMARY), fail_on=Severity.ERROR)


@pytest.fixture
def empty_report(report: Report) -> Report:
    return replace(report, findings=())


@pytest.fixture
def tricky(report: Report) -> Finding:
    return next(f for f in report.findings if f.message == TRICKY_MESSAGE)
