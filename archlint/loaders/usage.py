"""Measured use per workload (CSV or JSON, schemas/usage.schema.json) onto the model's components: `attrs["usage"]`."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from archlint.finding import Finding
from archlint.loaders.yamlsource import LineDict
from archlint.model import CONTROL_KINDS, Component

if TYPE_CHECKING:  # reading (archlint.loaders.reading) asks `is_usage_file` before the model's graph is imported
    from archlint.model import SystemModel
from archlint.model.units import duration_ms, quantity, size_bytes

FORMAT = "usage"
INVALID = "IN005"
SCHEMA = "usage.schema.json"
#: Files ending so are usage files wherever they are read, as Terraform reads every `*.auto.tfvars`.
SUFFIXES = (".usage.csv", ".usage.json")
COLUMNS = ("workload", "container", "cpu_p90", "cpu_p95", "cpu_p99", "memory_peak", "samples", "period")
CPU_COLUMNS = ("cpu_p90", "cpu_p95", "cpu_p99")
_NUMERIC = frozenset(CPU_COLUMNS + ("memory_peak", "samples"))
_ROW_PATH = re.compile(r"^(?:rows)?\[(\d+)\]\.?")
_EXPECTED = {**{c: "a number of cores (0.25) or millicores (250m)" for c in CPU_COLUMNS},
             "memory_peak": "bytes, or a quantity such as 512Mi, 1.2Gi or 800MB"}
_FIX = "Correct the usage file against schemas/usage.schema.json (the README documents every column)."


def is_usage_file(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def load(model: SystemModel, name: str, data: bytes) -> list[Finding]:
    """Read one usage file and put each valid row's facts on the component it names; problems are IN005 findings."""
    problems: list[Finding] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(_problem(name, data.count(b"\n", 0, error.start) + 1, f"not UTF-8 text: {error.reason}"))
        return problems
    is_json = text.lstrip()[:1] in ("[", "{")
    rows = _json_rows(name, data, problems) if is_json else _csv_rows(name, text, problems)
    _apply(model, name, rows, problems)
    return problems


def _problem(name: str, line: int, message: str, key: str = "", node: str = "") -> Finding:
    return Finding(INVALID, f"usage file: {message}", name, line, node=node, key=key or f"line:{line}", fix=_FIX)


def _json_rows(name: str, data: bytes, problems: list[Finding]) -> list[dict]:
    from archlint.loaders.yamlsource import ParseError, parse_json

    try:
        documents = parse_json(data, name)
    except ParseError as error:
        problems.append(_problem(name, error.line, error.message))
        return []
    document = documents[0].data if documents else None
    rows = document.get("rows") if isinstance(document, dict) else document
    return _valid(name, document, rows if isinstance(rows, list) else [], problems, csv_paths=False)


def _csv_rows(name: str, text: str, problems: list[Finding]) -> list[dict]:
    """Rows of a CSV file with a header line; `#` starts a comment (names and numbers never hold one)."""
    header: list[str] | None = None
    rows: list[dict] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if header is None:
            header = cells
            unknown = [c for c in header if c not in COLUMNS]
            if unknown:
                problems.append(_problem(name, number, f"unknown column {', '.join(map(repr, unknown))} "
                                         f"(known: {', '.join(COLUMNS)})", key="header"))
            if "workload" not in header or len(set(header)) != len(header):
                problems.append(_problem(name, number, "the header needs one `workload` column and no column twice",
                                         key="header"))
                return []
            continue
        if len(cells) > len(header):
            problems.append(_problem(name, number, f"{len(cells)} cells, but the header names {len(header)} columns"))
            continue
        row = LineDict()
        row.line, row.key_lines = number, {}
        for column, cell in zip(header, cells):
            if cell and column in COLUMNS:
                row[column], row.key_lines[column] = _cell(column, cell), number
        rows.append(row)
    return _valid(name, rows, rows, problems, csv_paths=True)


def _cell(column: str, cell: str) -> Any:
    if column not in _NUMERIC:
        return cell
    for kind in (int, float):
        try:
            return kind(cell)
        except ValueError:
            pass
    return cell  # the schema says what is wrong with it


def _valid(name: str, document: Any, rows: list, problems: list[Finding], csv_paths: bool) -> list[dict]:
    """The rows without schema errors; every error is reported, with its line."""
    from archlint.validation import validate

    bad: set[int] = set()
    for error in validate(document, SCHEMA):
        match = _ROW_PATH.match(error.path)
        if match is None:
            problems.append(_problem(name, error.line, f"{error.path}: {error.message}", key=error.path))
            return []
        bad.add(int(match.group(1)))
        rest = error.path[match.end():]
        where = (f"column {rest}" if rest else "row") if csv_paths else error.path
        message = error.message
        if rest in _EXPECTED and message.endswith("is not valid under any of the given schemas"):
            message = message.replace("is not valid under any of the given schemas", f"is not {_EXPECTED[rest]}")
        problems.append(_problem(name, error.line, f"{where}: {message}", key=error.path))
    good = []
    for index, row in enumerate(rows):
        if index in bad:
            continue
        if not any(column in row for column in CPU_COLUMNS + ("memory_peak",)):
            problems.append(_problem(name, getattr(row, "line", 1), "the row gives none of "
                                     f"{', '.join(CPU_COLUMNS)}, memory_peak"))
            continue
        good.append(row)
    return good


def facts(row: dict) -> dict[str, Any]:
    """What a row says, in plain numbers: cpu percentiles in cores, memory in bytes, the period in days."""
    found: dict[str, Any] = {"line": getattr(row, "line", 1)}
    cpu = {column[4:]: quantity(row[column]) for column in CPU_COLUMNS if column in row}
    if cpu:
        found["cpu"] = cpu
    if "memory_peak" in row:
        peak = row["memory_peak"]
        found["memory_peak"] = quantity(peak) if quantity(peak) is not None else size_bytes(peak)
    if "samples" in row:
        found["samples"] = row["samples"]
    if "period" in row:
        found["period"], found["period_days"] = row["period"], duration_ms(row["period"]) / 86400e3
    return found


def _apply(model: SystemModel, name: str, rows: list[dict], problems: list[Finding]) -> None:
    by_name: dict[str, list[Component]] = defaultdict(list)
    for component in model.components():
        if component.kind not in CONTROL_KINDS:
            by_name[component.name].append(component)
    placed: dict[str, dict[str, int]] = {}  # node id -> container ("" for the whole workload) -> line
    for row in rows:
        line, workload = getattr(row, "line", 1), str(row["workload"])
        component, error = _resolve(model, by_name, workload)
        if component is None:
            problems.append(_problem(name, line, error, key=f"workload:{workload}"))
            continue
        previous = component.attrs.get("usage", {}).get("file")
        if previous not in (None, name):
            problems.append(_problem(name, line, f"the use of {component.id} is already given in {previous}",
                                     key=f"workload:{workload}", node=component.id))
            continue
        container, error = _container(component, row.get("container"))
        if error:
            problems.append(_problem(name, line, error, key=f"workload:{workload}", node=component.id))
            continue
        lines = placed.setdefault(component.id, {})
        error = _conflict(component.id, container, lines)
        if error:
            problems.append(_problem(name, line, error, key=f"workload:{workload}:{container}", node=component.id))
            continue
        lines[container] = line
        usage = component.attrs.setdefault("usage", {"file": name})
        if container:
            usage.setdefault("containers", {})[container] = facts(row)
        else:
            usage["workload"] = facts(row)


def _resolve(model: SystemModel, by_name: dict[str, list[Component]], workload: str) -> tuple[Component | None, str]:
    """A node id, else the name that exactly one component answers to."""
    if workload in model and model.component(workload).kind not in CONTROL_KINDS:
        return model.component(workload), ""
    candidates = by_name.get(workload, [])
    if len(candidates) == 1:
        return candidates[0], ""
    if candidates:
        ids = ", ".join(c.id for c in candidates)
        return None, f"workload {workload!r} names {len(candidates)} components ({ids}): write the node id"
    return None, f"unknown workload {workload!r}: no component has this id or name (see `archlint graph`)"


def _container(component: Component, wanted: Any) -> tuple[str, str]:
    """The container a row measures ("" for the whole workload), or why the row cannot be matched."""
    running = [c.name for c in component.containers if not c.init]
    if wanted is None:
        return (running[0] if len(running) == 1 else ""), ""
    if not running:
        return "", (f"{component.id} has no containers archlint knows of: leave `container` empty to give the "
                    "use of the whole workload")
    if wanted not in running:
        return "", f"{component.id} has no container {wanted!r} (containers: {', '.join(running)})"
    return str(wanted), ""


def _conflict(node_id: str, container: str, lines: dict[str, int]) -> str:
    if container in lines:
        what = f"container {container} of {node_id}" if container else node_id
        return f"a second row for {what} (the first is on line {lines[container]})"
    if lines and (container == "" or "" in lines):
        first = min(lines.values())
        return (f"{node_id} has both a row for the whole workload and rows per container (line {first}): "
                "give one or the other")
    return ""
