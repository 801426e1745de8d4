"""Inline suppressions: `# archlint: ignore RULE -- reason` comments and `archlint.dev/ignore` annotations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archlint.finding import Finding

#: `# archlint: ignore FI006, CO001 -- reason`; rules separated by commas or spaces (`FI006 CO001`). Every word
#: before ` -- ` is read as a rule, so a reason without the dashes shows up as unknown rules (IN004), never lost.
_COMMENT = re.compile(r"#\s*archlint:\s*ignore\s+(?P<rules>[A-Za-z][\w-]*(?:(?:\s*,\s*|\s+)(?!--)[A-Za-z][\w-]*)*)"
                      r"(?:\s+--\s*(?P<reason>.*))?")
IGNORE_ANNOTATION = "archlint.dev/ignore"
REASON_ANNOTATION = "archlint.dev/ignore-reason"
NO_REASON, UNUSED = "IN003", "IN004"


@dataclass
class Suppression:
    """One suppression of one rule, where it applies, and whether it silenced anything."""

    rule: str
    reason: str
    file: str
    line: int
    #: Comment suppressions: the lines they cover. Annotation suppressions: empty, and `node` is set.
    lines: range
    node: str = ""
    used: bool = False

    def covers(self, finding: Finding, rule_names: dict[str, str]) -> bool:
        if rule_names.get(self.rule, self.rule) != finding.rule:
            return False
        if self.node:
            return finding.node == self.node
        return finding.file == self.file and finding.line in self.lines


def from_comments(sources: dict) -> list[Suppression]:
    """Comment suppressions of every file. One above a document's first line covers the whole document."""
    found = []
    for info in sources.values():
        for line, text, target in info.directives:
            match = _COMMENT.search(text)
            if not match:
                continue
            covered = next((range(start, end + 1) for start, end in info.documents if start == target and target != line),
                           range(target, target + 1))
            reason = (match.group("reason") or "").strip()
            for rule in re.split(r"[,\s]+", match.group("rules").strip()):
                if rule:
                    found.append(Suppression(rule, reason, info.name, line, covered))
    return found


def from_annotations(model) -> list[Suppression]:
    """Annotation suppressions of every component: `archlint.dev/ignore: "FI001,FI004"`."""
    found = []
    for component in model.components():
        value = component.annotations.get(IGNORE_ANNOTATION)
        if not value:
            continue
        span = component.at("metadata")
        reason = component.annotations.get(REASON_ANNOTATION, "").strip()
        for rule in re.split(r"[,\s]+", value.strip()):
            if rule:
                found.append(Suppression(rule, reason, span.file, span.line, range(0), node=component.id))
    return found


def apply(findings: list[Finding], suppressions: list[Suppression], rule_names: dict[str, str],
          disabled: set[str]) -> tuple[list[Finding], list[tuple[Finding, str]], list[Finding]]:
    """(kept findings, suppressed findings with the suppression's reason, findings about the suppressions)."""
    kept: list[Finding] = []
    silenced: list[tuple[Finding, str]] = []
    for finding in findings:
        matching = [s for s in suppressions if s.covers(finding, rule_names)]
        for suppression in matching:
            suppression.used = True
        if matching:
            silenced.append((finding, next((s.reason for s in matching if s.reason), "")))
        else:
            kept.append(finding)
    about = []
    for s in suppressions:
        rule_id = rule_names.get(s.rule)
        where = "annotation archlint.dev/ignore" if s.node else "comment"
        if not s.reason:
            about.append(Finding(NO_REASON, f"suppression of {s.rule} ({where}) gives no reason", s.file, s.line,
                                 node=s.node, key=s.rule,
                                 fix="Add ` -- reason` to the comment, or the archlint.dev/ignore-reason annotation."))
        if rule_id is None:
            about.append(Finding(UNUSED, f"suppression names unknown rule {s.rule!r}", s.file, s.line, node=s.node,
                                 key=f"unknown:{s.rule}", fix="Use an id or name that `archlint rules` lists."))
        elif not s.used and rule_id not in disabled:
            about.append(Finding(UNUSED, f"suppression of {rule_id} ({where}) matches no finding", s.file, s.line,
                                 node=s.node, key=rule_id,
                                 fix="Delete it, or put it on or directly above the line the finding points at."))
    return kept, silenced, about
