"""Runs rules over a loaded model and turns their raw findings into the final, sorted, fingerprinted list."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from archlint.engine import checks, suppress
from archlint.engine.config import Config, RuleSetting
from archlint.engine.merge import amended, merge
from archlint.engine.select import chosen
from archlint.finding import Concern, Finding, Location, Severity
from archlint.loaders.pipeline import LoadResult
from archlint.model import Component
from archlint.rules import Rule, lookup


@dataclass(frozen=True)
class Analysis:
    """The findings to report, the ones suppressions silenced, and the rules that ran."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    rules: tuple[Rule, ...]
    #: Fingerprint of a suppressed finding -> the reason its suppression gives.
    reasons: dict[str, str] = field(default_factory=dict)


def analyze(loaded: LoadResult, config: Config, rules: tuple[Rule, ...],
            meanwhile: Callable[[], object] | None = None) -> Analysis:
    """Run every enabled rule, add the loaders' input findings, apply suppressions, stamp and sort. `meanwhile`:
    the caller's work, done while a forked child runs rules, if one does (checks.run)."""
    by_id = {rule.id: rule for rule in rules}
    enabled = {rule.id for rule in rules if config.rules.get(rule.id, _DEFAULT).enabled is not False}
    if config.select or config.ignore:
        enabled &= chosen(rules, config.select, config.ignore)
    jobs = [(rule, {**rule.meta.options, **config.rules.get(rule.id, _DEFAULT).options}) for rule in rules
            if rule.check is not None and rule.id in enabled]
    raw: list[Finding] = list(loaded.findings) + checks.run(jobs, loaded.model, _failed, meanwhile)
    names = {key: rule.id for key, rule in lookup(rules).items()}
    suppressions = suppress.from_comments(loaded.sources) + suppress.from_annotations(loaded.model)
    kept, silenced, about = suppress.apply(raw, suppressions, names, set(by_id) - enabled)
    label, name, identity = _labeller(loaded.model), _namer(loaded.model), _identity(loaded.model)
    stamps = _stamps(by_id, config)
    # Stamped last, once per merged finding rather than per copy; the absorbers' raised severities are kept aside.
    found, raised = _absorb(_unique([f for f in kept + about if f.rule in enabled]), by_id, stamps)
    final = _stamp(merge(found, label, name, identity), stamps, raised)
    reasons = {fingerprint(f): reason for f, reason in silenced}
    quiet = _stamp(merge(_unique([f for f, _ in silenced]), label, name, identity), stamps, {})
    return Analysis(tuple(final), tuple(quiet), tuple(r for r in rules if r.id in enabled), reasons)


def _labeller(model):
    """How a merged finding names each copy: the component's variant (a kustomize overlay, a Helm release) when
    the loaders know it, else its node id (`module.a.aws_db_instance.this`)."""
    variants = {c.id: c.variant for c in model.components() if c.variant}  # read once: merging asks per finding
    return lambda node: variants.get(node) or node


#: Formats whose files are copied about (an all-in-one beside its base, a docs copy, a second compose file): the
#: same object in several of them is one object. A Terraform root module or a stack is a deployment of its own.
_COPIED_FORMATS = frozenset({"kubernetes", "compose"})


def _identity(model):
    """The object a node copies: its id but for the `@variant` (`@file`) part that keeps copies apart."""
    copied = {c.id: c.id.split("@", 1)[0] for c in model.components() if c.source in _COPIED_FORMATS}
    return copied.get


def _namer(model):
    """The name messages call a node by (a module instance's resources by their address)."""
    names = {c.id: c.name for c in model.components()}
    return lambda node: names.get(node, "")


_DEFAULT = RuleSetting()
RULE_FAILED = "IN008"


def _failed(rule: Rule, error: BaseException) -> Finding:
    """The finding of a rule that raised: at the component it was judging (the innermost one its frames hold), so
    that the user sees which part of the system it choked on. The findings it yielded before are kept."""
    component = _component_at_fault(error)
    text = " ".join(str(error).split())[:200]
    cause = f"{type(error).__name__}: {text}" if text else type(error).__name__
    where = f" on {component.id}" if component is not None else ""
    message = f"rule {rule.id} ({rule.meta.name}) failed{where}: {cause}; its findings may be incomplete"
    fix = ("archlint has a bug: report it with the files of this component (ARCHLINT_DEBUG=1 shows the "
           f"traceback); meanwhile `rules: {{{rule.id}: off}}` in .archlint.yaml turns the rule off.")
    if component is None:
        return Finding(RULE_FAILED, message, ".", 1, fix=fix, key=rule.id)
    return Finding(RULE_FAILED, message, component.span.file, component.span.line, node=component.id, fix=fix,
                   key=rule.id)


def _component_at_fault(error: BaseException) -> Component | None:
    frames = []
    trace = error.__traceback__.tb_next if error.__traceback__ else None  # past the engine's own frame
    while trace is not None:
        frames.append(trace.tb_frame)
        trace = trace.tb_next
    for frame in reversed(frames):  # the rule's frames and what they called, innermost first
        for value in list(frame.f_locals.values())[:64]:
            if isinstance(value, Component):
                return value
    return None


def _stamps(by_id: dict[str, Rule], config: Config) -> dict[str, tuple[Severity, Concern]]:
    """Each rule's configured severity and its concern, as the engine stamps them."""
    return {rule_id: (config.rules.get(rule_id, _DEFAULT).severity or rule.meta.severity, rule.meta.concern)
            for rule_id, rule in by_id.items()}


def _unique(findings: list[Finding]) -> list[Finding]:
    """The findings in report order, the first of identical ones (same place, rule, node, key and message) kept.
    The fingerprint needs no place in the order: it is a function of fields the sort key already holds."""
    unique: dict[tuple, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.sort_key, finding)
    return [unique[key] for key in sorted(unique)]


def _stamp(findings: list[Finding], stamps: dict[str, tuple[Severity, Concern]],
           raised: dict[tuple, Severity]) -> list[Finding]:
    """Every finding with its rule's severity (or the higher one it took from the findings it absorbed, by sort
    key), its concern and its fingerprint."""
    stamped = []
    for finding in findings:
        severity, concern = stamps[finding.rule]
        if raised:
            severity = raised.get(finding.sort_key, severity)
        stamped.append(_stamped(finding, severity, concern))
    return stamped


def _absorb(findings: list[Finding], by_id: dict[str, Rule],
            stamps: dict[str, tuple[Severity, Concern]]) -> tuple[list[Finding], dict[tuple, Severity]]:
    """Fold a finding into another rule's finding on the same node and key when that rule declares it `absorbs` it
    (FI010 stands for FI001 on a single-replica node on the synchronous path; FI038 for CO001 on a container with
    no resources at all): one finding, the higher severity, and the
    folded finding's place and message as a related location. Runs after suppressions, so that each rule's
    suppressions still match, and a suppressed or disabled absorber leaves the other finding as it was. The
    severities are the stamps' (the findings are stamped later): an absorber that takes a higher one than its own
    is returned with it, by its sort key."""
    absorbing = {rule_id: rule.meta.absorbs for rule_id, rule in by_id.items() if rule.meta.absorbs}
    absorbers: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        if finding.rule in absorbing and finding.node:  # on the same node and key (FI038 and CO001 on one container)
            for absorbed in absorbing[finding.rule]:
                absorbers.setdefault((absorbed, finding.node, finding.key), finding)
    if not absorbers:
        return findings, {}
    absorbed_rules = {rule for rule, _, _ in absorbers}
    folded: dict[int, list[Finding]] = {}
    kept = []
    for finding in findings:
        absorber = absorbers.get((finding.rule, finding.node, finding.key)) if finding.rule in absorbed_rules else None
        if absorber is None:
            kept.append(finding)
        else:
            folded.setdefault(id(absorber), []).append(finding)
    result, raised = [], {}
    for finding in kept:
        inner = folded.get(id(finding)) if finding.rule in absorbing else None
        if inner:
            own = stamps[finding.rule][0]
            severity = max([own, *(stamps[f.rule][0] for f in inner)], key=lambda s: s.rank)
            extra = tuple(Location(f.file, f.line, f"{f.rule}: {f.message}") for f in inner)
            finding = amended(finding, finding.related + extra)
            if severity is not own:
                raised[finding.sort_key] = severity
        result.append(finding)
    return result, raised


def _stamped(f: Finding, severity: Severity, concern: Concern) -> Finding:
    """`f._replace(severity=..., concern=..., fingerprint=...)` spelled out: `_replace` maps over every field on
    every call, and took twice as long on the 3,046 findings of the Kubernetes corpus. A new field of Finding
    must be copied here too: tests/engine/test_stamp.py compares the two."""
    return Finding(rule=f.rule, message=f.message, file=f.file, line=f.line, node=f.node, fix=f.fix, key=f.key,
                   severity=severity, concern=concern, fingerprint=fingerprint(f), related=f.related,
                   nodes=f.nodes, instances=f.instances, sources=f.sources)


def fingerprint(finding: Finding) -> str:
    """Stable across moved lines: rule, file, node and the rule's key; never the line or the message."""
    text = "\0".join((finding.rule, finding.file, finding.node, finding.key))
    # surrogatepass: a file name that is not UTF-8 and a lone surrogate from a JSON escape hash as themselves
    # (every other string hashes exactly as before, so baselines stay valid)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
