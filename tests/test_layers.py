"""The layering declared in pyproject.toml holds: import-linter checks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_import_contracts_are_kept():
    # beside the interpreter first: the README's command runs the venv's python without activating the venv
    beside = Path(sys.executable).parent / "lint-imports"
    command = str(beside) if beside.is_file() else shutil.which("lint-imports")
    if command is None:
        pytest.fail("import-linter is not installed: install the test extra (pip install -e '.[test]')")
    result = subprocess.run([command], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout
