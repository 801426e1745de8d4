"""Third-party rules through the `archlint.rules` entry-point group: tests/plugin_example installed for real."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import site
import subprocess
import sys
import types
import venv
from pathlib import Path

import pytest

from archlint import rules as registry
from archlint.finding import Concern, Severity
from tests.conftest import REPO

EXAMPLE = REPO / "tests" / "plugin_example"


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory) -> Path:
    """A virtualenv seeing archlint (system site packages) with the example installed by setuptools.

    `setup.py develop` rather than pip: pip builds through `wheel`, which the test environment need not have; the
    result is the same entry point in the environment's metadata, found by importlib.metadata."""
    root = tmp_path_factory.mktemp("plugin")
    source = root / "src"
    shutil.copytree(EXAMPLE, source)
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(root / "venv")
    python = root / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    # archlint's dependencies are where the tests run (a virtualenv of its own, in CI), not always in the system's
    # site packages: the new environment sees those first.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "archlint-tests.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONWARNINGS": "ignore"}
    done = subprocess.run([str(python), "setup.py", "-q", "develop", "--no-deps"], cwd=source, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return python


def _run(python: Path, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("ARCHLINT_DEBUG", None)
    return subprocess.run([str(python), "-m", "archlint", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_an_installed_plugin_rule_is_listed_explained_and_run(plugin_python):
    listing = _run(plugin_python, "rules").stdout
    assert "ACME100 observability      warning  acme-unowned-datastore" in listing
    explained = _run(plugin_python, "explain", "ACME100").stdout
    assert "What it flags:" in explained and "Example (bad, bad.yaml):" in explained
    examples = EXAMPLE / "acme_archlint" / "examples" / "ACME100"
    # --paths-only: the example alone, not the archlint repository it sits in
    bad = _run(plugin_python, "check", "bad.yaml", "--paths-only", cwd=examples)
    assert "ACME100  datastore orders-db has no owner" in bad.stdout
    good = _run(plugin_python, "check", "good.yaml", "--paths-only", "--format", "json", cwd=examples)
    assert "ACME100" not in good.stdout


def test_without_the_plugin_the_rule_does_not_exist():
    assert _run(Path(sys.executable), "explain", "ACME100").returncode == 2


def test_a_plugin_claiming_a_builtin_id_is_refused(monkeypatch):
    module = types.ModuleType("fake_archlint_plugin")
    module.__file__ = str(EXAMPLE / "fake_archlint_plugin.py")
    module.__doc__ = "Fake.\n\nWhat it flags: x\nWhy it matters: y\nHow to fix: z\n"
    module.META = registry.RuleMeta(id="FI025", name="fake", title="Fake", concern=Concern.COST,
                                    severity=Severity.INFO)
    monkeypatch.setitem(sys.modules, "fake_archlint_plugin", module)
    point = importlib.metadata.EntryPoint("fake", "fake_archlint_plugin", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group=None: [point])
    monkeypatch.setattr(registry, "_may_declare", lambda group: True)
    registry.all_rules.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="two rules claim the id FI025: deletion-protection-off and fake"):
            registry.all_rules()
    finally:
        registry.all_rules.cache_clear()


def test_importlib_metadata_is_asked_only_when_a_distribution_may_declare_rules(tmp_path, monkeypatch):
    """A scan without plugins does not pay for importlib.metadata; any distribution naming the group is asked."""
    plain = tmp_path / "plain"
    (plain / "other-1.0.dist-info").mkdir(parents=True)
    (plain / "other-1.0.dist-info" / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n")
    (plain / "bare-1.0.egg-info").write_text("Metadata-Version: 1.0\n")  # an egg-info file: no entry points
    monkeypatch.setattr(sys, "path", [str(plain), str(tmp_path / "missing")])
    assert not registry._may_declare(registry.ENTRY_POINT_GROUP)
    plugin = tmp_path / "plugin"
    (plugin / "Acme.egg-info").mkdir(parents=True)
    (plugin / "Acme.egg-info" / "entry_points.txt").write_text("[archlint.rules]\nacme = acme.rule\n")
    monkeypatch.setattr(sys, "path", [str(plain), str(plugin)])
    assert registry._may_declare(registry.ENTRY_POINT_GROUP)
    archive = tmp_path / "packages.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.setattr(sys, "path", [str(plain), str(archive)])
    assert registry._may_declare(registry.ENTRY_POINT_GROUP)  # a zip on the path: importlib.metadata decides


def test_the_installed_archlint_declares_no_plugins_so_a_check_skips_importlib_metadata():
    code = ("import sys; from archlint.rules import all_rules; all_rules(); "
            "print('importlib.metadata' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.strip() == "False", done.stderr
