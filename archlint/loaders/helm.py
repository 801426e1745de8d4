"""Helm charts: a directory with Chart.yaml is a chart, and its templates are never read as manifests. With a
`helm` binary on the PATH (and the configuration allowing it) the chart is rendered by `helm template`, offline,
and each rendered object points at the template it came from; otherwise the chart is reported once, with the
command that lets archlint read it."""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any

from archlint.finding import Finding
from archlint.loaders.layout import HelmSettings
from archlint.loaders.yamlsource import Document, ParseError, parse_yaml

NOT_READ = "IN006"
CHART_FILE = "Chart.yaml"
#: `helm template` on a local chart reads no network; a chart this slow to render is not rendered.
TIMEOUT_SECONDS = 60
_SOURCE = re.compile(r"^# Source: (.+)$", re.MULTILINE)


def chart_directories(names: list[str]) -> list[str]:
    """Directories holding a Chart.yaml, outermost first (a subchart under charts/ belongs to its parent)."""
    found = sorted({posixpath.dirname(n) or "." for n in names if posixpath.basename(n) == CHART_FILE},
                   key=lambda d: (d.count("/"), d))
    outer: list[str] = []
    for directory in found:
        if not any(inside(directory, parent) for parent in outer):
            outer.append(directory)
    return outer


def inside(name: str, directory: str) -> bool:
    return directory == "." or name == directory or name.startswith(directory + "/")


def render(chart: str, root: Path | None, settings: HelmSettings, stats: dict[str, int]) -> tuple[
        list[Document], list[Finding]]:
    """The chart's objects rendered by `helm template`, or one IN006 finding saying how to read it."""
    import shutil
    import subprocess
    import tempfile

    chart_file = posixpath.join(chart, CHART_FILE) if chart != "." else CHART_FILE
    binary = shutil.which(settings.binary) if settings.render and root is not None else None
    if binary is None:
        stats["unread.helm-chart"] += 1
        why = "rendering is turned off (helm.render: false)" if not settings.render else \
            f"`{settings.binary}` is not on the PATH"
        return [], [Finding(NOT_READ, f"Helm chart {chart} not rendered: {why}, so its templates are not judged",
                            chart_file, 1, key=f"helm:{chart}",
                            fix=f"Install helm, or render it yourself: `helm template {chart} | archlint check -`.")]
    values = [*settings.values.get("*", ()), *settings.values.get(chart, ())]
    command = [binary, "template", posixpath.basename(os.path.abspath(root / chart)) or "release", str(root / chart)]
    for value in values:
        command += ["--values", str(root / value)]
    with tempfile.TemporaryDirectory(prefix="archlint-helm-") as home:
        # a clean home: no repositories, plugins or registry credentials of the user; nothing to fetch
        environment = {"PATH": os.environ.get("PATH", ""), "HOME": home, "HELM_CACHE_HOME": home,
                       "HELM_CONFIG_HOME": home, "HELM_DATA_HOME": home, "HELM_PLUGINS": home,
                       "HELM_REGISTRY_CONFIG": os.path.join(home, "registry.json")}
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, env=environment,
                                    stdin=subprocess.DEVNULL, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            stats["unread.helm-chart"] += 1
            return [], [_failed(chart, chart_file, str(error))]
    if result.returncode != 0:
        stats["unread.helm-chart"] += 1
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        return [], [_failed(chart, chart_file, message[-1] if message else f"exit code {result.returncode}")]
    stats["rendered.helm-chart"] += 1
    return documents(result.stdout.decode("utf-8", "replace"), chart, root), []


def _failed(chart: str, chart_file: str, why: str) -> Finding:
    return Finding(NOT_READ, f"Helm chart {chart} not rendered: helm template failed: {why}", chart_file, 1,
                   key=f"helm:{chart}", fix=f"Make `helm template {chart}` succeed (vendor its dependencies under "
                   "charts/ with `helm dependency build`), or render it yourself and pipe it: "
                   f"`helm template {chart} | archlint check -`.")


def documents(output: str, chart: str, root: Path | None) -> list[Document]:
    """The rendered stream as documents, each one's values pointing at the template that produced it (the line
    of the template where each key is written, found in order; the template's first line otherwise)."""
    from archlint.loaders.kustomize.origin import adopt  # when a chart is rendered: reading needs `inside` alone

    found: list[Document] = []
    seen: dict[tuple[str, str], int] = {}  # documents of one kind already placed in a template
    for piece in re.split(r"^---\s*$", output, flags=re.MULTILINE):
        if not piece.strip():
            continue
        source = _SOURCE.search(piece)
        template = _template_name(source.group(1).strip(), chart) if source else posixpath.join(chart, CHART_FILE)
        try:
            parsed = parse_yaml(piece.encode(), template)
        except ParseError:
            continue
        text = _read(root, template)
        for document in parsed:
            if not isinstance(document.data, dict):
                continue
            data = adopt(document.data, template, 0, 1)
            lines = (text or "").splitlines()
            kind = str(document.data.get("kind", ""))
            count = seen[(template, kind)] = seen.get((template, kind), -1) + 1
            _map_lines(data, lines, [_start(lines, kind, count)])
            found.append(Document(data, template, data.span.line, data.span.line))
    return found


def _template_name(source: str, chart: str) -> str:
    """`mychart/templates/x.yaml` (as helm names it, from the chart's own name) -> the file under `chart`."""
    parts = source.split("/", 1)
    rest = parts[1] if len(parts) == 2 else parts[0]
    return posixpath.normpath(posixpath.join(chart, rest)) if chart != "." else rest


def _read(root: Path | None, name: str) -> str | None:
    if root is None:
        return None
    try:
        return (root / name).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _map_lines(value: Any, lines: list[str], position: list[int]) -> None:
    """Give each key the next template line that writes it (templates keep the rendered objects' key order)."""
    from archlint.loaders.kustomize.origin import Sourced

    if isinstance(value, Sourced):
        for index, key in enumerate(list(value)):
            line = _next(lines, position, str(key))
            if index == 0 and line:  # a mapping starts where its first key is written
                value.line = line
            value.key_lines[key] = line or value.line
            _map_lines(value[key], lines, position)
    elif isinstance(value, list):
        for item in value:
            _map_lines(item, lines, position)


def _start(lines: list[str], kind: str, count: int) -> int:
    """Where the `count`-th object of `kind` starts in its template (helm orders its output by kind, not by
    file): at its `kind:` line, or the `apiVersion:` just above it."""
    pattern = re.compile(rf"^kind:\s*[\"']?{re.escape(kind)}[\"']?\s*$")
    matches = [index for index, line in enumerate(lines) if pattern.match(line.strip())]
    if len(matches) <= count:
        return 0
    index = matches[count]
    for back in range(index - 1, max(index - 4, -1), -1):
        if lines[back].startswith("apiVersion:"):
            return back
    return index


def _next(lines: list[str], position: list[int], key: str) -> int | None:
    pattern = re.compile(rf"^\s*(-\s+)?[\"']?{re.escape(key)}[\"']?\s*:")
    for index in range(position[0], len(lines)):
        if pattern.match(lines[index]):
            position[0] = index + 1
            return index + 1
    return None
