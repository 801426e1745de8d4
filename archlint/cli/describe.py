"""Text for `archlint rules` and `archlint explain`, and the RuleInfo the formatters receive."""

from __future__ import annotations

import json

from archlint.report.base import RuleInfo
from archlint.rules import Rule
from archlint.rules.base import DOC_SECTIONS


def rule_info(rule: Rule, documented: frozenset[str] = frozenset()) -> RuleInfo:
    """A rule as the formats describe it; a rule with a page in docs/rules/ (`documented`) links to it."""
    from archlint.cli.ruledocs import help_uri

    sections = rule.sections()
    return RuleInfo(id=rule.id, name=rule.meta.name, title=rule.meta.title, concern=rule.meta.concern,
                    severity=rule.meta.severity, what=sections.get("What it flags", ""),
                    why=sections.get("Why it matters", ""), fix=sections.get("How to fix", ""),
                    help_uri=help_uri(rule.id) if rule.id in documented else "")


def rules_table(rules: tuple[Rule, ...], fmt: str) -> str:
    if fmt == "json":
        rows = [{"id": r.id, "name": r.meta.name, "concern": r.meta.concern.value, "severity": r.meta.severity.value,
                 "title": r.meta.title, "options": dict(r.meta.options)} for r in rules]
        return json.dumps(rows, indent=2) + "\n"
    lines = [f"{'ID':<7} {'CONCERN':<18} {'SEVERITY':<8} {'NAME':<48} TITLE"]
    for r in rules:
        lines.append(f"{r.id:<7} {r.meta.concern.value:<18} {r.meta.severity.value:<8} {r.meta.name:<48} {r.meta.title}")
    return "\n".join(lines) + "\n"


def explain_rule(rule: Rule) -> str:
    sections = rule.sections()
    meta = rule.meta
    out = [f"{meta.id} {meta.name}", "", meta.title, "",
           f"Concern: {meta.concern.value}    Default severity: {meta.severity.value}"]
    if meta.options:
        out.append("Options: " + ", ".join(f"{k} (default {v!r})" for k, v in sorted(meta.options.items())))
    for name in DOC_SECTIONS:
        out += ["", f"{name}:", _wrap(sections.get(name, ""))]
    for label in ("bad", "good"):
        for name, text in _examples(rule, label):
            out += ["", f"Example ({label}, {name}):", "", _indent(text)]
    return "\n".join(out).rstrip() + "\n"


def _examples(rule: Rule, label: str) -> list[tuple[str, str]]:
    """The rule's bad or good example files (several when the example spans formats), by name."""
    if not rule.examples.is_dir():
        return []
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(rule.examples.glob(f"{label}.*"))]


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return textwrap.fill(text, width=width, initial_indent="  ", subsequent_indent="  ")


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.rstrip().splitlines())
