"""The rules of a check are made when first needed (wiring.Scan.rules): a configuration that names no rules and no
policies does not need them, so that on a first run they are imported while a forked child parses the tree."""

from __future__ import annotations

from dataclasses import replace

import pytest

from archlint.cli import wiring
from archlint.engine.config import ConfigError
from archlint.rules import all_rules


class _Counted:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple:
        self.calls += 1
        return all_rules()


def _scan(tmp_path, config: str | None):
    for name in ("api", "web"):
        (tmp_path / f"{name}.yaml").write_text(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\n"
            "spec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx:1.25}]\n")
    if config is not None:
        (tmp_path / ".archlint.yaml").write_text(config)
    rules = _Counted()
    return wiring.prepare((str(tmp_path),), None, (), None, None, rules), rules


def test_without_rule_settings_the_rules_are_made_once_when_first_asked_for(tmp_path):
    scan, rules = _scan(tmp_path, "exclude: ['vendor/**']\n")
    assert rules.calls == 0
    assert {rule.id for rule in scan.rules} == {rule.id for rule in all_rules()}
    again = replace(scan, show_only=frozenset({"web.yaml"}))
    assert again.rules == scan.rules and rules.calls == 1


def test_a_configuration_that_sets_a_rule_s_options_is_checked_against_the_rules_at_once(tmp_path):
    scan, rules = _scan(tmp_path, "rules:\n  FI001:\n    options: {min_replicas: 3}\n")
    assert rules.calls == 1 and scan.config.rules["FI001"].options == {"min_replicas": 3}
    with pytest.raises(ConfigError, match="unknown rule"):
        _scan(tmp_path, "rules:\n  XX999: {}\n")


def test_the_loaded_model_and_the_rules_are_the_same_whether_a_child_parsed_or_not(tmp_path, monkeypatch):
    from archlint.loaders import parsecache

    scan, rules = _scan(tmp_path, None)
    monkeypatch.setattr(parsecache, "PARALLEL_BYTES", 0)  # even this small tree is parsed on two cores if it can
    loaded = wiring.load(scan, cached=False)
    assert rules.calls == (1 if parsecache._can_fork() else 0)  # made while the child parsed
    assert sorted(c.name for c in loaded.model.components()) == ["api", "web"]
    assert len(scan.rules) == len(all_rules()) and rules.calls == 1


def test_the_parse_ahead_begins_before_the_loaders_the_model_the_engine_and_the_rules_are_imported(tmp_path):
    """A first run parses on two cores while this process imports what it needs next (wiring._ahead): the
    files reach the parse cache before any of that is imported."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    _scan(tmp_path, None)
    later = ["archlint.loaders.pipeline", "archlint.loaders.kubernetes", "archlint.model.graph",
             "archlint.engine.run", "archlint.rules.failure_isolation"]
    code = ("import sys\nfrom archlint.loaders.parsecache import ParseCache\nfill = ParseCache.fill\n"
            "def seen(self, jobs, meanwhile=None):\n"
            f"    print(sorted(m for m in {later!r} if m in sys.modules), len(jobs))\n"
            "    return fill(self, jobs, meanwhile)\n"
            "ParseCache.fill = seen\nfrom archlint.cli import main\n"
            "sys.argv = ['archlint', 'check', '.', '-o', '/dev/null']\ntry:\n    main()\nexcept SystemExit:\n    pass\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "ARCHLINT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.stdout.split("\n")[0] == "[] 2", run.stderr
