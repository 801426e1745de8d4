"""A rule's finding that stands for another rule's on the same node: FI010 carries FI001's fact, never two errors."""

from __future__ import annotations

from pathlib import Path

from archlint.engine import analyze
from archlint.engine.config import Config, RuleSetting
from archlint.finding import Severity
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.rules import all_rules

DEMO = Path(__file__).parent.parent / "fixtures" / "kubernetes" / "microservices-demo"


def _run(config: Config = Config(), root: Path = DEMO):
    return analyze(load(discover([root], root)), config, all_rules()).findings


def _on(findings, node):
    return [f for f in findings if f.node == node and f.rule in ("FI001", "FI010")]


def test_microservices_demo_names_the_services_behind_the_frontend_with_their_paths():
    found = {f.node: f.message for f in _run() if f.rule == "FI010"}
    assert found["default/paymentservice"] == (
        "paymentservice runs a single replica and 1 of 1 entrypoint depends on it synchronously "
        "(path: frontend -> checkoutservice -> paymentservice)")
    assert "(path: frontend -> cartservice -> redis-cart)" in found["default/redis-cart"]
    assert sorted(found) == ["default/cartservice", "default/checkoutservice", "default/frontend",
                             "default/paymentservice", "default/redis-cart"]  # not the load generator


def test_fi001_on_a_node_fi010_flags_is_folded_into_it():
    (one,) = _on(_run(), "default/paymentservice")
    assert one.rule == "FI010" and one.severity is Severity.ERROR
    assert [(r.file, r.line, r.note) for r in one.related] == [
        ("paymentservice.yaml", 7, "FI001: paymentservice serves traffic with 1 replica (`replicas` not set: "
                                   "Kubernetes runs 1) and no autoscaler")]


def test_the_higher_severity_of_the_two_is_kept():
    config = Config(rules={"FI010": RuleSetting(severity=Severity.WARNING)})
    (one,) = _on(_run(config), "default/paymentservice")
    assert (one.rule, one.severity) == ("FI010", Severity.ERROR)


def test_without_fi010_the_fi001_finding_stays():
    config = Config(rules={"FI010": RuleSetting(enabled=False)})
    (one,) = _on(_run(config), "default/paymentservice")
    assert one.rule == "FI001" and one.related == ()


def test_a_suppressed_fi010_leaves_fi001_and_a_suppressed_fi001_is_used(tmp_path):
    text = (DEMO / "paymentservice.yaml").read_text()
    for name in ("frontend.yaml", "checkoutservice.yaml"):
        (tmp_path / name).write_text((DEMO / name).read_text())
    (tmp_path / "paymentservice.yaml").write_text(text.replace(
        "  name: paymentservice\n  labels:", "  name: paymentservice\n  annotations:\n"
        "    archlint.dev/ignore: FI010\n    archlint.dev/ignore-reason: payments may fail\n  labels:", 1))
    findings = _run(root=tmp_path)
    assert [f.rule for f in _on(findings, "default/paymentservice")] == ["FI001"]
    assert not [f for f in findings if f.rule == "IN004"]


def test_each_deployable_counts_its_own_entrypoints(tmp_path):
    # two directories of plain manifests are two systems: each frontend is the only entrypoint of its own
    for copy in ("shop", "staging"):
        (tmp_path / copy).mkdir()
        for source in DEMO.iterdir():
            (tmp_path / copy / source.name).write_text(source.read_text())
    found = [f.message for f in _run(root=tmp_path) if f.rule == "FI010" and f.message.startswith("paymentservice")]
    assert found == ["paymentservice runs a single replica and 1 of 1 entrypoint depends on it synchronously "
                     "(path: frontend -> checkoutservice -> paymentservice)"]
