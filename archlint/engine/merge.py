"""One finding per problem: identical findings of module instances, variants or copies become one.

A Terraform module called three times, a kustomize base rendered in two overlays or a Helm chart installed
twice yields the same finding (rule, file, line, message) once per copy. Reported as one, it carries the list of
copies in `instances` and the related locations of all of them.

The same object is also often written out again in other files: an all-in-one manifest or a quickstart beside the
kustomize base it was made from, a docs copy, a second compose file. Each copy is loaded as what it is (its values
may differ), but where the copies of one object (the same id but for its variant: `default/order-service`,
`default/order-service@aks-store-all-in-one.yaml`) have the same finding, it is one problem: reported once, at the
copy that most variants share (the base the overlays render), else in the file holding fewest objects (the
per-object file an all-in-one is made from), the other copies' places as related locations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter

from archlint.finding import Finding, Location


#: The notes of a folded copy's place among a finding's related locations.
COPIED, SAME_IN = "the same object copied here", "the same in"


def shown_at(finding: Finding, shown: Callable[[str], bool]) -> Finding | None:
    """`finding` as a check limited to some files shows it: as it is when its file is shown, else at the first
    folded copy in a shown file (its own place then among the related ones), else None."""
    if shown(finding.file):
        return finding
    for place in finding.related:
        if (place.note == COPIED or place.note.startswith(SAME_IN + " ")) and shown(place.file):
            others = tuple(p for p in finding.related if p != place)
            return finding._replace(file=place.file, line=place.line,
                                    related=(Location(finding.file, finding.line, COPIED), *others))
    return None


def merge(findings: Iterable[Finding], label: Callable[[str], str],
          name: Callable[[str], str] = lambda node: "",
          identity: Callable[[str], str | None] = lambda node: None) -> list[Finding]:
    """`findings` with every group sharing rule, file, line and message folded into its first member.

    `label(node)` names the copy a finding comes from (the component's variant, else its node id). `name(node)` is
    the name a message calls the node by: copies named after their instance (`module.orders.aws_db_instance.this`,
    `module.billing.aws_db_instance.this`) say the same thing at the same line. The merged finding keeps the first
    member's node, message, fix and fingerprint (first by node id: the engine's order), so that a baseline written
    before, or while the copies stay the same, still matches it. `identity(node)` is the object a node is a copy
    of (None: a node that is nobody's copy, as a Terraform root module's resources are their own deployment)."""
    groups: dict[tuple[str, str, int, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule, finding.file, finding.line, _said(finding, name)), []).append(finding)
    # each merged finding with the message its copies share (a fold keeps its first member's node and message)
    merged = [(group[0] if len(group) == 1 else _fold(group, label), said) for (_, _, _, said), group in groups.items()]
    return sorted(_copies(merged, label, identity), key=_order)


def _said(finding: Finding, name: Callable[[str], str]) -> str:
    """The message with the name of the finding's node blanked out: what its copies have in common."""
    own = name(finding.node) if finding.node else ""
    return finding.message.replace(own, "\0") if own else finding.message


#: The report's order. A fingerprint is a function of the sort key's rule, file, node and key, so it would order
#: nothing further.
_order = attrgetter("sort_key")


def _copies(findings: list[tuple[Finding, str]], label: Callable[[str], str],
            identity: Callable[[str], str | None]) -> list[Finding]:
    """Findings of copies of one object in other files (same rule, message and key, node ids equal but for the
    `@variant` part) folded into the one most variants share, the others' places kept as related locations."""
    groups: dict[tuple, list[Finding]] = {}
    alone: list[Finding] = []
    # how many objects each file holds (as far as findings show): an all-in-one is made from per-object files
    objects: dict[str, set[str]] = {}
    for finding, said in findings:
        if finding.node:
            objects.setdefault(finding.file, set()).add(finding.node)
        copied = identity(finding.node) if finding.node and finding.file else None
        if copied is None:
            alone.append(finding)
        else:
            groups.setdefault((finding.rule, copied, finding.key, said), []).append(finding)
    result = alone
    for group in groups.values():
        if len(group) == 1 or all(f.file == group[0].file for f in group):
            result.extend(group)
            continue
        first = min(group, key=lambda f: (-len(f.instances), len(objects[f.file]), f.sort_key))
        own = label(first.node)
        instances = dict.fromkeys(first.instances or ((first.file if own == first.node else own),))
        related = dict.fromkeys(first.related)
        nodes = dict.fromkeys(first.nodes)
        for other in sorted(group, key=_order):
            if other is first:
                continue
            copy = label(other.node)
            copy = other.file if copy == other.node else copy  # a copy that is no variant: named by its file
            note = COPIED if copy == other.file else f"{SAME_IN} {copy}"
            related[Location(other.file, other.line, note)] = None
            related.update(dict.fromkeys(other.related))
            instances.update(dict.fromkeys(other.instances or (copy,)))
            nodes.update(dict.fromkeys((other.node, *other.nodes)))
        nodes.pop(first.node, None)
        result.append(amended(first, tuple(related), tuple(nodes), tuple(sorted(instances))))
    return result


def _fold(group: list[Finding], label: Callable[[str], str]) -> Finding:
    ordered = sorted(group, key=_order)
    first = ordered[0]
    instances: dict[str, None] = {}
    related: dict[Location, None] = {}
    nodes: dict[str, None] = {}
    for finding in ordered:
        for name in finding.instances or ((label(finding.node),) if finding.node else ()):
            instances[name] = None
        for place in finding.related:
            related[place] = None
        for node in (finding.node, *finding.nodes):
            nodes[node] = None
    nodes.pop(first.node, None)
    nodes.pop("", None)
    return amended(first, tuple(related), tuple(nodes), tuple(sorted(instances)))


def amended(f: Finding, related: tuple[Location, ...], nodes: tuple[str, ...] | None = None,
            instances: tuple[str, ...] | None = None) -> Finding:
    """`f._replace(related=..., nodes=..., instances=...)` spelled out, as the engine's stamp is: `_replace` maps
    over every field on each of the 1,500 copies folded on the Kubernetes corpus. A new field of Finding must be
    copied here too: tests/engine/test_stamp.py compares the two."""
    return Finding(rule=f.rule, message=f.message, file=f.file, line=f.line, node=f.node, fix=f.fix, key=f.key,
                   severity=f.severity, concern=f.concern, fingerprint=f.fingerprint, related=related,
                   nodes=f.nodes if nodes is None else nodes, instances=f.instances if instances is None else instances,
                   sources=f.sources)
