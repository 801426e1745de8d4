"""Rules run on two cores (archlint.engine.checks): the same findings in the same order as one process gives,
a failing rule's IN008 after the findings it yielded, whichever process ran it."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from archlint import forked
from archlint.engine import checks
from archlint.finding import Concern, Finding, Location, Severity
from tests.twocores import child_first


def _rule(rule_id: str, concern: Concern, fails: bool = False, walks_graph: bool = False):
    def check(model, options):
        options["pause"]()  # the parent waits for the child to begin (tests.twocores)
        options.get("ran", []).append((rule_id, os.getpid()))
        yield Finding(rule_id, f"{rule_id} on {options['n']}", "a.yaml", 3, node="web", key="k",
                      related=(Location("b.yaml", 7, "the base"),), nodes=("db",), instances=("prod",))
        if fails:
            raise ZeroDivisionError("division by zero")
        yield Finding(rule_id, "second \udc80 finding", "a.yaml", 4, severity=Severity.ERROR, concern=concern)

    return SimpleNamespace(id=rule_id, meta=SimpleNamespace(concern=concern, walks_graph=walks_graph), check=check)


def _failed(rule, error):
    return Finding("IN008", f"rule {rule.id} failed: {type(error).__name__} in pid-independent text", ".", 1)


def _jobs(pause=lambda: None):
    return [(_rule(f"R{n:02}", list(Concern)[n % len(Concern)], fails=n in (3, 17)), {"n": n, "pause": pause})
            for n in range(24)]


@pytest.mark.skipif(not forked.available(), reason="sharing rules needs Linux and two cores")
def test_the_findings_are_those_of_one_process_in_the_rules_order(monkeypatch, tmp_path):
    model = [None] * 500  # a model of 500 nodes: shared
    alone = [f for rule, options in _jobs() for f in _sequential(rule, options, model)]
    ran = []
    monkeypatch.setattr(forked, "_taking", _recording(forked._taking, ran))
    together = checks.run(_jobs(child_first(tmp_path)), model, _failed)
    assert together == alone
    assert [type(f.related[0]) for f in together if f.related] == [Location] * 24
    assert 0 < len(ran) < 24  # the child ran the others


@pytest.mark.skipif(not forked.available(), reason="sharing rules needs Linux and two cores")
def test_the_rules_that_walk_the_graph_are_left_to_the_child_unless_this_process_has_networkx(monkeypatch):
    import sys

    model, parent = [None] * 500, os.getpid()
    ran = []  # appended in this process only: what the child runs is never seen here
    jobs = [(_rule(f"R{n:02}", Concern.COST, walks_graph=n in (2, 5)), {"n": n, "pause": lambda: None, "ran": ran})
            for n in range(12)]
    monkeypatch.delitem(sys.modules, "networkx", raising=False)
    found = checks.run(jobs, model, _failed)
    assert [f.rule for f in found] == [f"R{n:02}" for n in range(12) for _ in range(2)]  # in the rules' order
    assert {rule for rule, pid in ran if pid == parent} <= {f"R{n:02}" for n in range(12)} - {"R02", "R05"}
    monkeypatch.setitem(sys.modules, "networkx", object())  # imported already: nothing is left to the child
    ran.clear()
    reserved = []
    monkeypatch.setattr(forked, "shared", lambda *args: reserved.append(args[5]) or [])
    checks.run(jobs, model, _failed)
    assert reserved == [0]


def test_a_model_too_small_or_too_large_runs_in_this_process(monkeypatch):
    ran = []
    monkeypatch.setattr(forked, "shared", lambda *args: ran.append(args) or [])
    for size in (checks.SHARED_FROM - 1, checks.SHARED_UP_TO + 1):
        assert len(checks.run(_jobs()[:2], [None] * size, _failed)) == 4
    assert ran == []


def test_a_finding_of_another_type_is_not_sent_but_run_again_by_the_parent():
    odd = Finding("R1", "m", "a.yaml", 1, related=[Location("b", 1)])  # a list where a tuple belongs
    with pytest.raises(TypeError):
        checks.plain([odd])
    plain = Finding("R1", "m", "a.yaml", 1, node="n", fix="f", key="k", severity=Severity.INFO,
                    concern=Concern.COST, fingerprint="fp", related=(Location("b", 1, "note"),), nodes=("x",),
                    instances=("prod",), sources=("catalog",))
    assert all(value != default for value, default in zip(plain, Finding("", "", "", 0)))  # every field set
    (values,) = checks.plain([plain])
    assert len(values) == len(Finding._fields)  # a new field of Finding must be carried too
    assert checks.findings([values]) == [plain]


def _sequential(rule, options, model):
    found = []
    try:
        found.extend(rule.check(model, options))
    except Exception as error:  # noqa: BLE001
        found.append(_failed(rule, error))
    return found


def _recording(taking, ran):
    def recorded(taken, order):
        for index in taking(taken, order):
            ran.append((os.getpid(), index))
            yield index
    return recorded
