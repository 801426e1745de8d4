"""Every rule's documentation examples are tests: bad raises exactly that rule at the marked lines, good does not."""

from __future__ import annotations

import re

import pytest

from dataclasses import replace

from archlint.cli import wiring
from archlint.cost import compute
from archlint.engine import analyze
from archlint.engine.config import Config, load_config
from archlint.model.economics import BaseEstimate
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.rules import all_rules
from archlint.rules.base import DOC_SECTIONS

RULES = all_rules()
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z]{2}\d{3})")


def _findings(paths, rule_id):
    """Load the example files together (a rule may need a manifest and a Terraform file) and run every rule.

    A `*.archlint.yaml` among them is the example's configuration (cost budgets); `base.*` files beside them are
    the base revision a cost-increase budget compares with."""
    configs = [p for p in paths if p.name.endswith(".archlint.yaml")]
    inputs = [p for p in paths if p not in configs]
    loaded = load([SourcePath(path, path.name) for path in inputs])
    config = load_config(configs[0], RULES) if configs else Config()
    if configs:
        folder = configs[0].parent
        plain = wiring.economics(wiring.Scan(tuple(inputs), folder, config, None, None))
        base = sorted(folder.glob("base.*"))
        if base:
            before = compute(load([SourcePath(path, path.name) for path in base]).model, plain)
            plain = replace(plain, base=BaseEstimate("base", before.low, before.high,
                                                     {n.id: (n.low, n.high) for n in before.nodes if n.counted}))
        loaded.model.economics = plain
        loaded.model.resilience = config.resilience.relocated(configs[0].name)
    rules = RULES + _plugin(paths[0].parent)
    return sorted((f.file, f.line) for f in analyze(loaded, config, rules).findings if f.rule == rule_id)


def _plugin(folder):
    """A `plugin.py` beside the examples is a third-party rule they run with (IN008: a rule with a bug)."""
    if not (folder / "plugin.py").is_file():
        return ()
    import importlib.util

    from archlint.rules import Rule

    spec = importlib.util.spec_from_file_location(f"example_plugin_{folder.name}", folder / "plugin.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return (Rule.from_module(module),)


def _expected(paths, rule_id):
    return sorted((path.name, number) for path in paths
                  for number, line in enumerate(path.read_text().splitlines(), 1) if rule_id in _EXPECT.findall(line))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bad_example_raises_the_rule_at_the_marked_lines(rule):
    bad = sorted(rule.examples.glob("bad.*"))
    assert bad, f"{rule.id} has no bad example in {rule.examples}"
    expected = _expected(bad, rule.id)
    assert expected, f"{rule.examples} marks no line with '# expect: {rule.id}'"
    assert _findings(bad, rule.id) == expected


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_good_example_does_not_raise_the_rule(rule):
    good = sorted(rule.examples.glob("good.*"))
    assert good, f"{rule.id} has no good example in {rule.examples}"
    assert _findings(good, rule.id) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_documentation_has_every_section(rule):
    sections = rule.sections()
    assert sections["summary"], f"{rule.id} docstring has no summary line"
    for name in DOC_SECTIONS:
        assert sections.get(name), f"{rule.id} docstring lacks a non-empty '{name}:' section"
    assert rule.meta.title and rule.meta.name and rule.meta.name == rule.meta.name.lower()


def test_rule_ids_and_names_are_unique():
    assert len({r.id for r in RULES}) == len(RULES)
    assert len({r.meta.name for r in RULES}) == len(RULES)
