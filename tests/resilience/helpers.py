"""Load files written for a test into a model, with an optional `.archlint.yaml`, and assess it."""

from __future__ import annotations

from pathlib import Path

from archlint.engine.config import load_config
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.resilience import assess
from archlint.rules import all_rules


def model_of(tmp_path: Path, files: dict[str, str], config: str | None = None):
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        paths.append(SourcePath(path, name))
    loaded = load(paths)
    assert not [f for f in loaded.findings if f.rule in ("IN001", "IN002")], loaded.findings
    if config is not None:
        (tmp_path / ".archlint.yaml").write_text(config)
        policy = load_config(tmp_path / ".archlint.yaml", all_rules()).resilience
        loaded.model.resilience = policy.relocated(".archlint.yaml")
    return loaded.model


def assessed(tmp_path: Path, files: dict[str, str], config: str | None = None):
    model = model_of(tmp_path, files, config)
    return model, assess(model)


def cell(assessment, journey: str, disruption: str):
    found = assessment.cell(journey, disruption)
    assert found is not None, (journey, disruption, sorted(assessment.cells))
    return found


def graph(components: str, journeys: str = "", defaults: str = "") -> str:
    """A service graph document with the given (indented) components and journeys."""
    text = "apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: shop}\nspec:\n"
    if defaults:
        text += f"  defaults:\n{defaults}"
    text += f"  components:\n{components}"
    if journeys:
        text += f"  journeys:\n{journeys}"
    return text
