"""The built-in policies' bundle (archlint.rules.policy.bundle): up to date with the YAML files, the same rules as
reading them, a changed file read from itself, and no YAML reader or schema validator imported to take it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from archlint.resources import data_dir
from archlint.rules.policy import bundle
from archlint.rules.policy.load import load_dirs


def _described(rules):
    return [(r.id, r.meta) for r in rules]


def test_the_bundle_is_up_to_date_with_the_policy_files():
    directory = data_dir("policies")
    assert (directory / bundle.NAME).read_text(encoding="utf-8") == bundle.made(directory), \
        "policies/bundle.json is out of date: run `python -m archlint.rules.policy.bundle`"


def test_bundled_rules_are_the_rules_the_files_compile_to():
    directory = data_dir("policies")
    from_files = load_dirs([directory])
    assert len(from_files) >= 30
    assert _described(load_dirs([directory], bundled=True)) == _described(from_files)


def test_a_file_changed_since_the_bundle_is_read_from_itself(tmp_path):
    copy = tmp_path / "policies"
    shutil.copytree(data_dir("policies"), copy)
    changed = copy / "failure-isolation" / "single-replica.yaml"
    text = changed.read_text(encoding="utf-8")
    old = "name: single-replica-without-autoscaler"
    assert old in text
    changed.write_text(text.replace(old, old + "-edited"), encoding="utf-8")
    names = {r.meta.name for r in load_dirs([copy], bundled=True)}
    assert "single-replica-without-autoscaler-edited" in names and "single-replica-without-autoscaler" not in names


def test_a_first_run_takes_the_builtin_policies_without_yaml_or_the_schema_validator(tmp_path):
    code = ("import sys; from archlint.rules.policy import builtin_rules; rules = builtin_rules(); "
            "print(len(rules), 'yaml' in sys.modules, 'jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "ARCHLINT_CACHE_DIR": str(tmp_path / "empty")})
    count, yaml_loaded, validator_loaded = done.stdout.split()
    assert int(count) >= 30 and yaml_loaded == validator_loaded == "False"
