"""The policy language's parts: quantities, templates, operators, limits and the loader's errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.rules.policy.conditions import Env, compile_condition
from archlint.rules.policy.load import PolicyError, load_file
from archlint.rules.policy.paths import Scope
from archlint.rules.policy.quantities import number
from archlint.rules.policy.template import TemplateError, parse, render

HEADER = """\
policies:
  - id: T-001
    name: t
    title: T
    concern: cost
    severity: info
    documentation: {summary: s, flags: f, why: w, fix: x}
    for: nodes
"""


@pytest.mark.parametrize("text, unit, expected", [
    ("500m", "auto", 0.5), ("2Gi", "auto", 2 * 2**30), ("1.5", "auto", 1.5), ("1e3", "auto", 1000.0),
    ("128974848", "auto", 128974848.0), ("129M", "auto", 129e6), ("10GB", "auto", 10e9),
    ("1.5 TiB", "auto", 1.5 * 2**40), ("800ms", "auto", 800.0), ("30s", "auto", 30000.0), ("1h", "auto", 3600000.0),
    ("5m", "auto", 0.005), ("5m", "duration", 300000.0), ("12", "number", 12.0), (3, "auto", 3.0),
    ("abc", "auto", None), (True, "auto", None), (None, "auto", None),
])
def test_quantities_sizes_and_durations(text, unit, expected):
    assert number(text, unit) == expected


def _scope(**names):
    return Scope("nodes", None, None, names)


@pytest.mark.parametrize("template, expected", [
    ("{n|plural:time}", "3 times"), ("{one|plural:time}", "1 time"), ("{big:,.0f} B", "1,234,568 B"),
    ("{items}", "a, b"), ("{gone|default:VM}", "VM"), ("{gone}", "?"), ("{flag}", "true"), ("{{x}}", "{x}"),
    ("{mem|memory}", "1.5Gi"), ("{big|bytes}", "1.2 MB"), ("{share:.0%}", "25%"),
])
def test_templates_render_values_with_specs_and_filters(template, expected):
    scope = _scope(n=3, one=1, big=1234567.8, items=["a", "b"], gone=None, flag=True, mem=1.5 * 2**30, share=0.25)
    assert render(parse(template), scope) == expected


@pytest.mark.parametrize("template", ["{a", "a}", "{a:zz}", "{a|nope}", "{a|plural}", "{a:{b}}", "{}", "{a b}"])
def test_malformed_templates_are_refused(template):
    with pytest.raises(ValueError):
        parse(template)


def test_templates_never_reach_python_attributes():
    assert render(parse("{name.__class__}"), _scope(name="api")) == "?"
    assert render(parse("{options.__init__}"), _scope(options={})) == "?"
    assert isinstance(TemplateError("x"), ValueError)


def _holds(cond, **names):
    env = Env("nodes", frozenset({"limit"}), names=set(names))
    predicate = compile_condition(cond, (), env)
    assert env.errors == []
    return predicate(_scope(options={"limit": 2}, **names))


@pytest.mark.parametrize("cond, expected", [
    ({"attr": "x", "equals": 1}, False),                      # true is not 1
    ({"attr": "n", "equals": 2.0}, True),
    ({"attr": "gone", "equals": None}, False),
    ({"attr": "gone", "not_equals": 1}, False),               # absent: neither equals nor not_equals
    ({"attr": "gone", "exists": False}, True),
    ({"attr": "gone", "truthy": False}, True),
    ({"attr": "gone", "empty": True}, False),
    ({"not": {"attr": "gone", "equals": 1}}, True),
    ({"attr": "s", "in": ["api", "web"]}, True),
    ({"attr": "s", "not_in": ["api"]}, False),
    ({"attr": "s", "matches": "^a"}, True),
    ({"attr": "s", "matches": "p"}, True),                    # search: anywhere
    ({"attr": "mem", "gt": "1Gi"}, True),
    ({"attr": "n", "lte": {"option": "limit"}}, True),
    ({"attr": "n", "lt": {"attr": "n", "times": 2}}, True),
    ({"attr": "n", "gt": {"attr": "n", "times": {"option": "limit"}}}, False),
    ({"attr": "items", "contains": "b"}, True),
    ({"attr": "labels", "contains": "team"}, True),
    ({"attr": "labels", "empty": False}, True),
    ({"attr": "n", "type": "integer"}, True),
    ({"attr": "x", "type": "integer"}, False),
    ({"attr": "len(items)", "equals": 2}, True),
    ({"attr": "items.1", "equals": "b"}, True),
    ({"any": [{"attr": "gone", "exists": True}, {"attr": "n", "equals": 2}]}, True),
    ({"all": [{"attr": "gone", "exists": False}, {"attr": "n", "equals": 3}]}, False),
])
def test_operators(cond, expected):
    values = {"x": True, "n": 2, "gone": None, "s": "api", "mem": 2 * 2**30, "items": ["a", "b"],
              "labels": {"team": "shop"}}
    assert _holds(cond, **values) is expected


def _load(tmp_path: Path, body: str):
    path = tmp_path / "p.yaml"
    path.write_text(body)
    return load_file(path, "p.yaml")


def _errors(tmp_path: Path, body: str) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        _load(tmp_path, body)
    return raised.value.errors


def test_a_regex_longer_than_the_limit_is_refused(tmp_path):
    errors = _errors(tmp_path, HEADER + f"    where: {{attr: name, matches: \"{'a' * 1001}\"}}\n    message: m\n")
    assert errors == ["p.yaml:9: policies[0].where.matches: regular expression longer than 1,000 characters"]


def test_nesting_deeper_than_32_is_refused(tmp_path):
    cond = "{attr: name, exists: true}"
    for _ in range(33):
        cond = f"{{not: {cond}}}"
    errors = _errors(tmp_path, HEADER + f"    where: {cond}\n    message: m\n")
    assert errors == ["p.yaml:9: policies[0].where" + ".not" * 32 + ": conditions are nested deeper than 32 levels"]


def test_depth_above_ten_is_refused(tmp_path):
    errors = _errors(tmp_path, HEADER + "    where: {related: {depth: 11}}\n    message: m\n")
    assert errors == ["p.yaml:9: policies[0].where.related.depth: 11 is greater than the maximum of 10"]


def test_a_template_longer_than_2000_is_refused(tmp_path):
    errors = _errors(tmp_path, HEADER + f"    message: \"{'m' * 2001}\"\n")
    assert errors == ["p.yaml:9: policies[0].message: template longer than 2,000 characters"]


def test_more_than_1000_policies_in_a_file_are_refused(tmp_path):
    one = HEADER.split("\n", 1)[1] + "    message: m\n"
    errors = _errors(tmp_path, "policies:\n" + one * 1001)
    assert errors == ["p.yaml:1: policies: more than 1,000 policies in one file (1,001)"]


def test_a_duplicate_key_is_an_error_with_its_line(tmp_path):
    errors = _errors(tmp_path, HEADER + "    message: m\n    message: n\n")
    assert errors == ["p.yaml:10: duplicate key 'message'"]


def test_malformed_yaml_is_one_error_with_its_line(tmp_path):
    assert _errors(tmp_path, HEADER + "    where: {attr: [\n") == ["p.yaml:10: did not find expected node content"]


def test_a_policy_without_a_message_is_refused(tmp_path):
    assert _errors(tmp_path, HEADER) == ["p.yaml:2: policies[0]: no message: give the policy (or each of its cases) a message"]


def test_unknown_option_names_are_refused_in_conditions_and_messages(tmp_path):
    errors = _errors(tmp_path, HEADER + "    where: {attr: replicas, lt: {option: floor}}\n"
                     "    message: \"{options.floor}\"\n")
    assert errors == ["p.yaml:9: policies[0].where.lt: {option: floor}: unknown option (declared: none)",
                      "p.yaml:10: policies[0].message: 'options.floor': unknown option (declared: none)"]


def test_a_compiled_policy_is_a_rule_with_its_options_and_documentation(tmp_path):
    (rule,) = _load(tmp_path, HEADER + "    options:\n      floor: {default: 2, schema: {type: integer}}\n"
                    "    where: {attr: replicas, lt: {option: floor}}\n    message: m\n")
    assert rule.id == "T-001" and rule.meta.options == {"floor": 2}
    assert rule.meta.options_schema == {"floor": {"type": "integer"}}
    assert rule.sections() == {"summary": "s", "What it flags": "f", "Why it matters": "w", "How to fix": "x"}
    assert rule.examples == tmp_path / "examples" / "T-001"


def test_aliases_are_refused_before_anything_walks_them(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    errors = _errors(tmp_path, "\n".join(lines + ["policies: *a8"]) + "\n")
    assert errors == ["p.yaml:1: anchors and aliases (&name, *name) are not allowed in archlint files"]


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    errors = _errors(tmp_path, "policies: " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(errors) == 1 and errors[0].startswith("p.yaml:")


def test_an_option_default_must_fit_its_schema(tmp_path):
    errors = _errors(tmp_path, HEADER + "    options:\n      floor: {default: 1, schema: {type: integer, minimum: 2}}\n"
                     "      ratio: {default: 1, schema: {type: intger}}\n    message: m\n")
    assert errors[0] == "p.yaml:10: policies[0].options.floor.default: the default does not fit the schema: " \
        "1 is less than the minimum of 2"
    assert errors[1].startswith("p.yaml:11: policies[0].options.ratio.schema: not a valid JSON Schema: ")
