"""Configuration-type files (`.archlint.yaml`, policies, price files, baselines) and output files, through the real
CLI: whatever they hold, a bad one is exit 2 with the file, the line and one plain sentence on stderr, never an
internal error; a good one beside a bad value is read as its tool would."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import run_cli
from tests.hardening.test_bad_input import GOOD

POLICY = """\
policies:
  - id: ACME-001
    name: named-x
    title: A component named x
    concern: observability
    severity: info
    documentation: {summary: s., flags: f., why: w., fix: x.}
    for: nodes
    where: {attr: name, equals: x}
    message: "{name} is x"
    fix: Rename it.
"""
DEEP_JSON = "[" * 990 + "]" * 990
BASELINE_ENTRY = '{"fingerprint": "0123456789abcdef0123", "rule": "FI001", "file": "a", "node": "", "count": %s, ' \
                 '"message": "m"}'
DIGITS = "9" * 5000


def _run(tmp_path, files: dict[str, str], *args: str):
    (tmp_path / "good.yaml").write_text(GOOD)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return run_cli("check", ".", *args, cwd=tmp_path)


def _refused(done, *expected: str) -> str:
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    for text in expected:
        assert text in stderr, stderr
    assert max(map(len, stderr.splitlines())) < 300, "a value is quoted whole"
    return stderr


@pytest.mark.parametrize("config, expected", [
    ("systems: 5\n", ".archlint.yaml:1: systems: 5 is not of type 'array'"),
    ("helm: {values: 5}\n", ".archlint.yaml:1: helm.values: 5 is not of type 'object'"),
    ("exclude: [a]\nsystems: [{name: a, paths: [x]}, 7]\n", ".archlint.yaml:2: systems[1]: 7 is not of type 'object'"),
    ("cost:\n  budgets: {monthly: %s}\n" % DIGITS,
     ".archlint.yaml:2: cost.budgets.monthly: a number of 5,000 digits: archlint reads figures of at most 4,000"),
    ("rules: " + "[" * 990 + "]" * 990 + "\n", ".archlint.yaml:1: nested deeper than 200 levels: not read"),
])
def test_a_configuration_of_the_wrong_shape_is_refused_at_its_line(tmp_path, config, expected):
    _refused(_run(tmp_path, {".archlint.yaml": config}), "archlint: invalid configuration:", expected)


@pytest.mark.parametrize("change, expected", [
    (("message: \"{name} is x\"", "message: !!int abc"), "acme/p.yaml:10: the value 'abc' is not a valid !!int"),
    (("for: nodes", "for: 3"), "acme/p.yaml:8: policies[0].for: 3 is not one of nodes, edges, containers"),
    (("severity: info", "severity: [info]"), "acme/p.yaml:6: policies[0].severity: ['info'] is not one of"),
    (("where: {attr: name, equals: x}", "where: " + "{not: " * 300 + "{attr: name, equals: x}" + "}" * 300),
     "acme/p.yaml:9: nested deeper than 200 levels: not read"),
])
def test_a_policy_of_the_wrong_types_is_refused_at_its_line(tmp_path, change, expected):
    done = _run(tmp_path, {".archlint.yaml": "policies: [acme]\n", "acme/p.yaml": POLICY.replace(*change)})
    _refused(done, expected)


def test_a_policy_value_that_only_looks_like_a_date_is_a_string(tmp_path):
    policy = POLICY.replace("message: \"{name} is x\"", "message: 2024-02-30").replace("equals: x", "equals: ok")
    done = _run(tmp_path, {".archlint.yaml": "policies: [acme]\n", "acme/p.yaml": policy}, "--format", "json")
    assert done.returncode in (0, 1), done.stderr.decode()
    assert [f["message"] for f in json.loads(done.stdout)["findings"] if f["rule"] == "ACME-001"] == ["2024-02-30"]


def test_a_price_of_5000_digits_is_refused_at_its_line(tmp_path):
    prices = "rows:\n  - {provider: aws, family: compute, item: x, unit: hour, usd: %s, source: me}\n" % DIGITS
    done = _run(tmp_path, {".archlint.yaml": "cost: {prices: prices.yaml}\n", "prices.yaml": prices})
    _refused(done, "archlint: invalid cost file:", "prices.yaml:2: rows[0].usd: a number of 5,000 digits")


@pytest.mark.parametrize("baseline, expected", [
    (DEEP_JSON, "b.json:1: nested deeper than 200 levels: not read"),
    ('{"version": 1,\n "findings": [%s]}' % (BASELINE_ENTRY % DIGITS), "findings[0].count: a number of 5,000 digits"),
    ('{"version": 1, "findings": [%s]}' % (BASELINE_ENTRY % "NaN"), "b.json:1: NaN is not a number JSON allows"),
    ('{"version": 1,\n "findings": [}', "b.json:2: not JSON: Expecting value"),
])
def test_a_baseline_that_is_not_one_is_refused_with_a_sentence(tmp_path, baseline, expected):
    _refused(_run(tmp_path, {"b.json": baseline}, "--baseline", "b.json"), "archlint: invalid baseline:", expected)


@pytest.mark.parametrize("args, expected", [
    (("-o", "missing/out.json", "--format", "json"), "cannot write missing/out.json: the directory missing does not"),
    (("--write-baseline", "missing/b.json"), "cannot write missing/b.json: the directory missing does not exist"),
    (("-o", "/dev/full", "--format", "sarif"), "cannot write /dev/full: no space left on the device"),
    (("--write-baseline", "/dev/full"), "cannot write /dev/full: no space left on the device"),
])
def test_an_output_file_that_cannot_be_written_is_a_usage_error(tmp_path, args, expected):
    if "/dev/full" in args and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    _refused(_run(tmp_path, {}, *args), expected)
