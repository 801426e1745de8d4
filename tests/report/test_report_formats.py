"""What holds for every format: registered, deterministic, and blind to everything but findings."""

from __future__ import annotations

import ast
import importlib
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from archlint.report import FORMATS, renderer

#: archlint.forked is work shared with a second core (standard library only): the JSON writer's large arrays.
ALLOWED = {"archlint.finding", "archlint.report.base", "archlint.report", "archlint.report.escape", "archlint.forked"}
#: Helpers formatters share, held to the same rule.
HELPERS = ("archlint.report.coverage_text", "archlint.report.jsontext")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_renders_the_same_twice_and_ends_with_a_newline(report, name):
    first = renderer(name)(report)
    assert first == renderer(name)(report)
    assert first.endswith("\n") and not first.endswith("\n\n\n")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_does_not_depend_on_the_order_rules_are_listed_in(report, name):
    shuffled = replace(report, rules=tuple(reversed(report.rules)))
    assert renderer(name)(shuffled) == renderer(name)(report)


@pytest.mark.parametrize("module", sorted(FORMATS.values()) + list(HELPERS))
def test_imports_only_the_standard_library_and_the_finding(module):
    """Formatters see findings and the model summary: never the model, rules, loaders or engine."""
    source = Path(importlib.import_module(module).__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    local = {m for m in imported if m.split(".")[0] not in sys.stdlib_module_names}
    assert local <= ALLOWED | set(HELPERS), local - ALLOWED - set(HELPERS)
