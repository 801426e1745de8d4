"""Stamping: the engine's copy of a finding keeps every field the rule set and sets severity, concern and
fingerprint, exactly as `Finding._replace` would."""

from __future__ import annotations

from archlint.engine.merge import amended
from archlint.engine.run import _stamped, fingerprint
from archlint.finding import Concern, Finding, Location, Severity


def test_a_stamped_finding_equals_the_replaced_one_field_for_field():
    raw = Finding(**{name: f"v-{name}" for name in Finding._fields} | {
        "line": 7, "severity": Severity.INFO, "concern": Concern.COST, "nodes": ("a", "b"),
        "related": (Location("b.yaml", 3, "base"),), "instances": ("x", "y")})
    stamped = _stamped(raw, Severity.ERROR, Concern.PLACEMENT)
    assert stamped == raw._replace(severity=Severity.ERROR, concern=Concern.PLACEMENT, fingerprint=fingerprint(raw))


def test_an_amended_finding_equals_the_replaced_one_field_for_field():
    raw = Finding(**{name: f"v-{name}" for name in Finding._fields} | {
        "line": 7, "severity": Severity.INFO, "concern": Concern.COST, "nodes": ("a", "b"),
        "related": (Location("b.yaml", 3, "base"),), "instances": ("x", "y")})
    related = (Location("c.yaml", 4, "copy"),)
    assert amended(raw, related, ("c",), ("z",)) == raw._replace(related=related, nodes=("c",), instances=("z",))
    assert amended(raw, related) == raw._replace(related=related)
