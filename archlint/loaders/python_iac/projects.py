"""Which Python files are infrastructure programs: those inside a Pulumi project (Python runtime) or a CDK app."""

from __future__ import annotations

import json
import os
from pathlib import Path

from archlint.loaders.discover import SourcePath

#: Files that make their directory a project: Pulumi's project file, the CDK app's configuration.
MARKERS = ("Pulumi.yaml", "Pulumi.yml", "cdk.json")
#: Directories of a project whose Python files are not the program: environments, synthesized output, caches.
SKIPPED_DIRS = frozenset({".venv", "venv", "cdk.out", "node_modules", "__pycache__"})


def select(paths: list[SourcePath]) -> list[SourcePath]:
    """The `.py` files of `paths` inside a Python Pulumi project or CDK app; nothing is read for the others.

    A project is found from a marker among the listed files, else from one in a directory above the file on disk
    (scanning `infra/stacks/` of a CDK app at `infra/`). Only marker files are opened, to learn the language.
    """
    programs = [p for p in paths if p.name.endswith(".py")]
    if not programs:
        return []
    listed: dict[str, bool] = {}
    for source in paths:
        directory, _, base = source.name.rpartition("/")
        if base in MARKERS:
            listed[directory] = listed.get(directory, False) or _is_python(source.path)
    on_disk: dict[str, bool | None] = {}
    chosen = []
    for source in programs:
        parts = source.name.split("/")
        if SKIPPED_DIRS.intersection(parts[:-1]):
            continue
        verdict = next((listed["/".join(parts[:i])] for i in range(len(parts) - 1, -1, -1)
                        if "/".join(parts[:i]) in listed), None)
        if verdict is None:
            verdict = _above(os.path.dirname(os.path.abspath(source.path)), on_disk)
        if verdict:
            chosen.append(source)
    return chosen


def _above(directory: str, cache: dict[str, bool | None]) -> bool | None:
    """Whether the nearest project at or above `directory` on disk is a Python one (None: no project)."""
    trail = []
    verdict: bool | None = None
    while directory not in cache:
        trail.append(directory)
        marker = next((os.path.join(directory, m) for m in MARKERS if os.path.isfile(os.path.join(directory, m))), None)
        if marker is not None:
            verdict = _is_python(Path(marker))
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    else:
        verdict = cache[directory]
    for seen in trail:
        cache[seen] = verdict
    return verdict


def _is_python(path: Path) -> bool:
    """Pulumi.yaml says `runtime: python` (or `runtime: {name: python}`); cdk.json's `app` runs Python."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if path.name == "cdk.json":
        try:
            app = json.loads(text).get("app")
        except (ValueError, AttributeError):
            return False
        return not isinstance(app, str) or "py" in app
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    runtime = data.get("runtime") if isinstance(data, dict) else None
    runtime = runtime.get("name") if isinstance(runtime, dict) else runtime
    return isinstance(runtime, str) and runtime.strip().lower() == "python"
