"""Shared helpers: run archlint's real pipeline on files and on the installed CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


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
