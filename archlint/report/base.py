"""What every formatter receives: the findings, the rules that ran, and a summary of the model."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.finding import Concern, Finding, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule as the outputs describe it (SARIF's tool.driver.rules, `archlint rules`)."""

    id: str
    name: str
    title: str
    concern: Concern
    severity: Severity
    what: str
    why: str
    fix: str
    help_uri: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    """The result of one run. `findings` are sorted by (file, line, rule, node); `summary` counts the model."""

    version: str
    findings: tuple[Finding, ...]
    rules: tuple[RuleInfo, ...]
    model_summary: dict = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    color: bool = False
    #: Findings silenced by a suppression comment or annotation, and each one's reason by fingerprint.
    suppressed: tuple[Finding, ...] = ()
    reasons: dict = field(default_factory=dict)
    #: Findings the baseline absorbed; `baseline` is True when a baseline was applied.
    baselined: tuple[Finding, ...] = ()
    baseline: bool = False
    #: What was read and what was not (schemas/report.schema.json#/$defs/coverage); empty when not measured.
    coverage: dict = field(default_factory=dict)
    #: Text layout: the columns a line may take, everything (`--verbose`), and the view: "full", "quiet" (the
    #: summary only) or "statistics" (a count per rule).
    width: int = 100
    verbose: bool = False
    view: str = "full"
    #: `--min-severity`: findings below it are left out of every format; `hidden` counts them.
    min_severity: Severity = Severity.INFO
    hidden: int = 0
    #: False for `archlint demo`, which shows findings without judging them: no verdict is printed.
    judged: bool = True
    #: SARIF: also write suppressed and baselined findings, marked with `suppressions` (`--sarif-suppressions`).
    sarif_suppressions: bool = False
    #: Markdown: the size the document must stay within (0: a GitHub comment's 65,536 characters).
    markdown_limit: int = 0

    def counts_by_severity(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    def counts_by_concern(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.concern.value] = counts.get(finding.concern.value, 0) + 1
        return dict(sorted(counts.items()))

    def failed(self) -> bool:
        return any(f.severity.rank >= self.fail_on.rank for f in self.findings)
