"""`archlint policy test`: runs the `*.test.yaml` files of policy directories and compares findings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

TEST_SCHEMA = "policy-test.schema.json"


class PolicyTestError(Exception):
    """Tests that cannot run (invalid policies, test files or inputs): every problem, as `file:line: reason`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Outcome:
    """One test: its name and file, and the findings it missed and did not expect, as `RULE file:line`."""

    file: str
    name: str
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


@dataclass
class _Case:
    file: Path
    name: str
    inputs: list[Path]
    config: Path | None
    rules: frozenset[str]
    expect: list[dict]
    line: int = 1
    problems: list[str] = field(default_factory=list)


def run(directories: list[Path], shown_from: Path | None = None) -> list[Outcome]:
    """Every test of every directory, in file then test order; raises PolicyTestError before running anything
    when a policy, a test file or an input is invalid."""
    from archlint.rules import all_rules
    from archlint.rules.policy.load import PolicyError, load_dirs

    shown_from = shown_from or Path.cwd()
    errors: list[str] = []
    plan: list[tuple[tuple, list[_Case]]] = []
    for directory in directories:
        try:
            policies = load_dirs([directory], shown_from)
        except PolicyError as error:
            errors += error.errors
            continue
        ours = {rule.id: rule for rule in policies}
        rules = tuple(ours.get(rule.id, rule) for rule in all_rules() if rule.id not in ours) + policies
        cases = [case for test in sorted(directory.rglob("*.test.yaml")) for case in _cases(test, ours, shown_from)]
        errors += [problem for case in cases for problem in case.problems]
        plan.append((rules, cases))
    if errors:
        raise PolicyTestError(errors)
    return [_run_case(case, rules, shown_from) for rules, cases in plan for case in cases]


def _cases(path: Path, ours: dict, shown_from: Path) -> list[_Case]:
    from archlint.rules.policy.load import line_of, read

    name = _shown(path, shown_from)
    data, errors = read(path, name, TEST_SCHEMA)
    if errors:
        return [_Case(path, "", [], None, frozenset(), [], problems=errors)]
    cases = []
    default_rules = frozenset(data.get("rules") or ours)
    for index, test in enumerate(data["tests"]):
        line = line_of(data, ("tests", index))
        case = _Case(path, test["name"], [path.parent / p for p in test["inputs"]],
                     path.parent / test["config"] if "config" in test else None,
                     frozenset(test.get("rules") or default_rules), list(test["expect"]), line)
        for key, item in [("inputs", p) for p in case.inputs] + ([("config", case.config)] if case.config else []):
            if not item.is_file():
                case.problems.append(f"{name}:{line}: tests[{index}].{key}: no such file: {_shown(item, shown_from)}")
        cases.append(case)
    return cases


def _run_case(case: _Case, rules: tuple, shown_from: Path) -> Outcome:
    from archlint.cli import wiring
    from archlint.engine import analyze
    from archlint.engine.config import Config, ConfigError, load_config
    from archlint.loaders.discover import SourcePath
    from archlint.loaders.pipeline import load

    base = case.file.parent
    loaded = load([SourcePath(p, _shown(p, base)) for p in case.inputs])
    try:
        config = load_config(case.config, rules) if case.config else Config()
    except ConfigError as error:
        raise PolicyTestError(error.errors) from None
    if case.config:
        loaded.model.economics = wiring.economics(wiring.Scan(tuple(case.inputs), base, config, None, None))
    compared = tuple(rule for rule in rules + config.policy_rules if rule.id in case.rules)
    found = [(f.rule, f.file, f.line) for f in analyze(loaded, config, compared).findings]
    missing = []
    for expected in case.expect:
        match = next((f for f in found if f[0] == expected["rule"] and expected.get("line", f[2]) == f[2]
                      and expected.get("file", f[1]) in (f[1], Path(f[1]).name)), None)
        if match is None:
            where = expected.get("file", "*") + (f":{expected['line']}" if "line" in expected else "")
            missing.append(f"{expected['rule']} {where}")
        else:
            found.remove(match)
    return Outcome(_shown(case.file, shown_from), case.name, tuple(missing),
                   tuple(f"{rule} {file}:{line}" for rule, file, line in found))


def _shown(path: Path, base: Path) -> str:
    """`path` relative to `base` (`../bad.tf` from a test file's directory), forward slashes."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()
