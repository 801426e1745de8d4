"""Shared helpers: run archlint's real pipeline on files and on the installed CLI."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: The tests' own cache directory (parsed files, policies), removed at the end: never the user's ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="al-test-cache-")
os.environ["ARCHLINT_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)


def run_cli(*args: str, cwd: Path | None = None, stdin: bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m archlint ARGS` as a user would, returning the completed process (text output)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    full_env.pop("ARCHLINT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "archlint", *args], cwd=cwd or REPO, input=stdin,
                          capture_output=True, env=full_env, timeout=120)


@pytest.fixture
def cli():
    return run_cli
