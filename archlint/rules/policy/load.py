"""Reads policy files with the line of every key, validates them all, and compiles them into Rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from archlint.configfile import MAX_DEPTH, safe_scalars, too_deep
from archlint.rules.base import Rule
from archlint.validation import dotted

SCHEMA = "policy.schema.json"
MAX_BYTES = 2 * 2**20
MAX_POLICIES = 1000


class PolicyError(Exception):
    """Invalid policies: `errors` lists every problem as `file:line: path: reason`, all of them, sorted."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class LineDict(dict):
    """A mapping that remembers its line and the line of each key (what archlint.validation reads)."""

    __slots__ = ("line", "key_lines")


class LineList(list):
    __slots__ = ("line",)


@lru_cache(maxsize=1)
def _loader() -> type:
    """Safe YAML whose mappings and lists keep their lines; a key given twice is an error, not a silent overwrite.
    Built on first use: yaml is not imported when every policy comes from the cache."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    def mapping(loader, node):
        data = LineDict()
        data.line, data.key_lines = node.start_mark.line + 1, {}
        yield data
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise yaml.constructor.ConstructorError(None, None, "a key must be a string", key_node.start_mark)
            if key in data:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            data[key] = loader.construct_object(value_node, deep=True)
            data.key_lines[key] = key_node.start_mark.line + 1

    def sequence(loader, node):
        data = LineList()
        data.line = node.start_mark.line + 1
        yield data
        data.extend(loader.construct_object(child, deep=True) for child in node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", sequence)
    safe_scalars(Loader)  # `2024-02-30`, `!!int abc`, 5,000 digits: a string, or an error at the line
    return Loader


def read(path: Path, name: str, schema: str = SCHEMA) -> tuple[Any, list[str]]:
    """The document of a YAML file and its problems (`name:line: path: reason`), schema errors included."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [f"{name}: cannot read: {error.strerror or error}"]
    if len(raw) > MAX_BYTES:
        return None, [f"{name}:1: file larger than {MAX_BYTES // 2**20} MiB"]
    deep = too_deep(raw)
    if deep is not None:
        return None, [f"{name}:{deep}: nested deeper than {MAX_DEPTH:,} levels: not read"]
    import yaml

    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_loader())  # noqa: S506 - a safe loader
    except UnicodeDecodeError:
        return None, [f"{name}:1: not UTF-8 text"]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return None, [f"{name}:{mark.line + 1 if mark else 1}: {error.problem or error}"]
    except (yaml.YAMLError, RecursionError) as error:
        return None, [f"{name}:1: {'nested too deeply' if isinstance(error, RecursionError) else error}"]
    if not isinstance(data, dict):
        return None, [f"{name}:1: (document): must be a mapping"]
    shared = _shared(data)
    if shared is not None:
        return None, [f"{name}:{shared}: anchors and aliases (&name, *name) are not allowed in archlint files"]
    from archlint.validation import validate

    try:
        problems = validate(data, schema)
    except RecursionError:
        return None, [f"{name}:1: (document): nested too deeply"]
    return data, [f"{name}:{e.line}: {e.path}: {e.message}" for e in problems]


def _shared(data: Any) -> int | None:
    """The line of a mapping or list reached twice (through an alias), or None: a few aliases can stand for
    billions of nodes, which no validator should walk."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                return getattr(node, "line", 1)
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return None


def load_file(path: Path, name: str | None = None, bundled: Path | None = None) -> tuple[Rule, ...]:
    """Every policy of one file, compiled; raises PolicyError with all of the file's problems (the schema's, and
    then those of every policy the schema found nothing wrong with). With `bundled` (the built-in policies'
    directory), the document comes from its bundle, without YAML or schema, while the file is the one the bundle
    was made of (bundle.py)."""
    name = name or str(path)
    if bundled is not None:
        from archlint.rules.policy import bundle

        try:
            document = bundle.document(bundled, path, path.read_bytes())
        except OSError:
            document = None  # read() reports it
        if document is not None:
            return _compile(path, name, document, [], fresh=False)
    data, errors = read(path, name)
    return _compile(path, name, data, errors)


def _compile(path: Path, name: str, data: Any, errors: list[str], fresh: bool = True) -> tuple[Rule, ...]:
    from archlint.rules.policy.language import compile_policy

    if data is None:
        raise PolicyError(errors)
    if isinstance(data.get("policies"), list) and len(data["policies"]) > MAX_POLICIES:
        line = line_of(data, ("policies",))
        errors.append(f"{name}:{line}: policies: more than {MAX_POLICIES:,} policies in one file "
                      f"({len(data['policies']):,})")
        raise PolicyError(errors)
    broken = {int(m.group(1)) for m in map(_POLICY_INDEX.search, errors) if m}
    if errors and not broken or not isinstance(data.get("policies"), list):
        raise PolicyError(errors)
    rules, found = [], [(int(e.split(":")[1]) if e.split(":")[1].isdigit() else 0, e) for e in errors]
    for index, policy in enumerate(data["policies"]):
        if index in broken:
            continue
        where = ("policies", index)
        examples = path.parent / policy.get("examples", f"examples/{policy['id']}")
        problems: list[tuple[tuple, str]] = []
        try:
            rules.append(compile_policy(policy, where, examples, problems, fresh))
        except RecursionError:
            problems.append((where, "nested too deeply"))
        found += [(line_of(data, place), f"{name}:{line_of(data, place)}: {dotted(place)}: {reason}")
                  for place, reason in problems]
    if found:
        raise PolicyError([text for _, text in sorted(set(found))])
    return tuple(rules)


_POLICY_INDEX = re.compile(r"^[^:]*:\d+: policies\[(\d+)\]")


def policy_files(directory: Path) -> list[Path]:
    """The policy files of a directory, at any depth: `*.yaml` and `*.yml`, except `*.test.yaml` and `examples/`."""
    found = [p for pattern in ("*.yaml", "*.yml") for p in directory.rglob(pattern)]
    return sorted(p for p in found if p.is_file() and not p.name.endswith((".test.yaml", ".test.yml"))
                  and "examples" not in p.relative_to(directory).parts[:-1])


def load_dirs(directories: Iterable[Path], base: Path | None = None, bundled: bool = False) -> tuple[Rule, ...]:
    """The policies of every file of `directories`; every problem of every file in one PolicyError; two policies
    with one id are an error. `bundled`: the directories are archlint's own, with their bundle (bundle.py)."""
    rules: list[Rule] = []
    errors: list[str] = []
    for directory in directories:
        if not directory.is_dir():
            errors.append(f"{directory}: no such directory")
            continue
        for path in policy_files(directory):
            try:
                rules += load_file(path, _shown(path, base), directory if bundled else None)
            except PolicyError as error:
                errors += error.errors
    errors += duplicates(rules)
    if errors:
        raise PolicyError(errors)
    return tuple(rules)


def duplicates(rules: Iterable[Rule]) -> list[str]:
    """Two rules with one id, or two ids with one name: each clash once, in the words of `all_rules`."""
    ids: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    errors = []
    for rule in rules:
        if rule.id in ids:
            errors.append(f"two rules claim the id {rule.id}: {ids[rule.id].meta.name} and {rule.meta.name}")
        elif rule.meta.name in names:
            errors.append(f"two rules claim the name {rule.meta.name}: {names[rule.meta.name].id} and {rule.id}")
        ids.setdefault(rule.id, rule)
        names.setdefault(rule.meta.name, rule)
    return errors


def _shown(path: Path, base: Path | None) -> str:
    try:
        return path.relative_to(base).as_posix() if base else str(path)
    except ValueError:
        return str(path)


def line_of(document: Any, place: tuple) -> int:
    """The line of the deepest key or item of `place` that the reader recorded."""
    line, node = getattr(document, "line", 1), document
    for part in place:
        if isinstance(node, LineDict) and part in node.key_lines:
            line = node.key_lines[part]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, (LineDict, LineList)) and not isinstance(part, str):
            line = node.line
    return line

