"""The shipped config schema documents every rule option with its default, and stays in sync with the rules."""

from __future__ import annotations

import json

from archlint.engine.config import options_schema
from archlint.rules import all_rules
from tests.conftest import REPO


def test_shipped_schema_documents_every_rule_option():
    shipped = json.loads((REPO / "schemas" / "config.schema.json").read_text())
    expected = options_schema(all_rules())
    assert shipped["$defs"]["rule_options"] == expected, (
        "schemas/config.schema.json is out of date: regenerate $defs.rule_options from "
        "archlint.engine.config.options_schema(all_rules())")


def test_every_option_has_a_schema_and_a_default():
    for rule in all_rules():
        for name, default in rule.meta.options.items():
            assert name in rule.meta.options_schema, f"{rule.id} option {name} has no schema"
            assert default is not None, f"{rule.id} option {name} has no default"
