"""Isolation is a mechanism: a loader that raises on one unit (a document, a file) costs that unit, found alone or,
when it only fails beside others, by bisection; a rule that raises costs its own findings, never the others'."""

from __future__ import annotations

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.finding import Concern, Severity
from archlint.loaders.isolate import Place, load_units
from archlint.loaders.pipeline import LoadResult
from archlint.model import Component, ModelBuilder, NodeKind, Span
from archlint.rules import Rule, RuleMeta, all_rules, finding


def _loader(fails):
    """A loader adding one component per unit, that raises when `fails(units)` says so."""
    def load(units, builder, problems, stats):
        if fails(units):
            raise ValueError("cannot cope")
        for unit in units:
            builder.add(Component(builder.unique_id(unit, "f"), unit, NodeKind.SERVICE, Span(f"{unit}.yaml", 1), "test"))
        stats["loaded"] += len(units)
        return {unit: () for unit in units}
    return load


def _run(units, fails):
    builder, problems, stats = ModelBuilder(), [], {"loaded": 0}
    result = load_units(units, _loader(fails), builder, problems, stats, lambda u: Place(f"{u}.yaml", 3), "unit")
    return [c.name for c in builder.components()], [(p.rule, p.file, p.line) for p in problems], stats, result


def test_a_unit_that_fails_alone_is_left_out_and_reported():
    names, problems, stats, result = _run(["a", "b", "c"], lambda units: "b" in units)
    assert names == ["a", "c"] and problems == [("IN001", "b.yaml", 3)]
    assert stats["loaded"] == 2 and set(result) == {"a", "c"}  # only the successful attempt counts


def test_a_unit_that_only_fails_beside_another_is_found_by_bisection():
    names, problems, _, _ = _run(list("abcdefgh"), lambda units: "c" in units and "f" in units)
    assert names == ["a", "b", "c", "d", "e", "g", "h"] and problems == [("IN001", "f.yaml", 3)]


def test_nothing_of_a_failed_attempt_reaches_the_builder():
    names, problems, _, _ = _run(["a"], lambda units: True)
    assert names == [] and problems == [("IN001", "a.yaml", 3)]


def _failing(model, options):
    for component in model.components():
        yield finding(META, component, "first", "x")
        raise OverflowError("huge")


META = RuleMeta(id="ZZ999", name="always-fails", title="t", concern=Concern.COST, severity=Severity.INFO)


def test_a_rule_that_raises_is_one_finding_at_its_component_and_the_others_still_run(capsys, monkeypatch):
    builder = ModelBuilder()
    builder.add(Component("api", "api", NodeKind.SERVICE, Span("api.yaml", 4), "kubernetes", replicas=1))
    loaded = LoadResult(builder.build(), [], {})
    rules = all_rules() + (Rule(META, _failing, "doc", None),)
    monkeypatch.setenv("ARCHLINT_DEBUG", "1")
    found = analyze(loaded, Config(), rules).findings
    failed = [f for f in found if f.rule == "IN008"]
    assert [(f.file, f.line, f.node) for f in failed] == [("api.yaml", 4, "api")]
    assert "ZZ999 (always-fails) failed on api: OverflowError: huge" in failed[0].message
    assert any(f.rule == "ZZ999" for f in found)  # what it found before failing is kept
    assert any(f.rule not in ("IN008", "ZZ999") for f in found)  # every other rule ran
    assert "Traceback" in capsys.readouterr().err
