"""Build a model from inline YAML files through the real pipeline."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load


@pytest.fixture
def load_yaml(tmp_path: Path):
    """load_yaml({"a.yaml": "...", ...}) -> LoadResult, with file names relative to a temporary root."""

    def _load(files: dict[str, str]):
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return load(discover([tmp_path], tmp_path))

    return _load
