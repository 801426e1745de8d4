"""One finding per problem: identical findings of module instances, variants or copies become one.

A Terraform module called three times, a kustomize base rendered in two overlays or a Helm chart installed
twice yields the same finding (rule, file, line, message) once per copy. Reported as one, it carries the list of
copies in `instances` and the related locations of all of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from archlint.finding import Finding, Location


def merge(findings: Iterable[Finding], label: Callable[[str], str],
          name: Callable[[str], str] = lambda node: "") -> list[Finding]:
    """`findings` with every group sharing rule, file, line and message folded into its first member.

    `label(node)` names the copy a finding comes from (the component's variant, else its node id). `name(node)` is
    the name a message calls the node by: copies named after their instance (`module.orders.aws_db_instance.this`,
    `module.billing.aws_db_instance.this`) say the same thing at the same line. The merged finding keeps the first
    member's node, message, fix and fingerprint (first by node id: the engine's order), so that a baseline written
    before, or while the copies stay the same, still matches it."""
    groups: dict[tuple[str, str, int, str], list[Finding]] = {}
    for finding in findings:
        own = name(finding.node) if finding.node else ""
        message = finding.message.replace(own, "\0") if own else finding.message
        groups.setdefault((finding.rule, finding.file, finding.line, message), []).append(finding)
    merged = [group[0] if len(group) == 1 else _fold(group, label) for group in groups.values()]
    return sorted(merged, key=lambda f: (f.sort_key, f.fingerprint))


def _fold(group: list[Finding], label: Callable[[str], str]) -> Finding:
    first = min(group, key=lambda f: (f.sort_key, f.fingerprint))
    instances: dict[str, None] = {}
    related: dict[Location, None] = {}
    nodes: dict[str, None] = {}
    for finding in sorted(group, key=lambda f: (f.sort_key, f.fingerprint)):
        for name in finding.instances or ((label(finding.node),) if finding.node else ()):
            instances[name] = None
        for place in finding.related:
            related[place] = None
        for node in (finding.node, *finding.nodes):
            nodes[node] = None
    nodes.pop(first.node, None)
    nodes.pop("", None)
    return replace(first, related=tuple(related), nodes=tuple(nodes), instances=tuple(sorted(instances)))
