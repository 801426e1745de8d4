"""Application code in the components' source directories, read with libcst (never imported or run) into facts."""

from __future__ import annotations

import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable

from archlint.model import Component

FORMAT = "appcode"
EXTENSIONS = (".py",)
#: The facts recorded on a component whose source directory holds Python files, each a sorted list of
#: {file, line, call, scope, detail, key} (`key` identifies the place without its line: file, scope and call).
FACTS = ("code_calls_without_timeout", "code_retry_loops_without_backoff", "code_aws_clients_without_retries")
#: A file can only hold a fact if it names a library archlint knows (every call it judges goes through an import)
#: or has an `except` and a loop: the others are counted but not parsed, and parsing is most of the cost.
_LIBRARIES = re.compile(rb"\b(?:requests|httpx|urllib3?|aiohttp|boto3|botocore|aioboto3|aiobotocore)\b")


def select(names: Iterable[str], components: Iterable[Component], stats: dict[str, int]) -> dict[str, list[Component]]:
    """The `.py` files among `names` inside a component's `source_dir`, each with the components whose source
    directory is the deepest one holding it. Test code (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`)
    legitimately calls without timeouts and is left out. Nothing is read here."""
    dirs: dict[str, list[Component]] = defaultdict(list)
    for component in components:
        directory = component.attrs.get("source_dir")
        if isinstance(directory, str):
            dirs[directory.rstrip("/") or "."].append(component)
    chosen: dict[str, list[Component]] = {}
    if not dirs:
        return chosen
    for name in names:
        if not name.endswith(EXTENSIONS):
            continue
        parts = name.split("/")
        owner = next(("/".join(parts[:i]) for i in range(len(parts) - 1, 0, -1) if "/".join(parts[:i]) in dirs),
                     "." if "." in dirs and not name.startswith(("/", "../")) else None)
        if owner is None:
            continue
        if _is_test(parts[0 if owner == "." else owner.count("/") + 1:]):
            stats["skipped.appcode-tests"] += 1
        else:
            chosen[name] = dirs[owner]
    return chosen


def _is_test(inner: list[str]) -> bool:
    base = inner[-1]
    return "tests" in inner[:-1] or base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py"


def load_files(files: list[tuple[str, bytes]], owners: dict[str, list[Component]], stats: dict[str, int]) -> None:
    """Scan each file once and record its facts on the components that own it. A file libcst cannot parse is
    counted (`skipped.appcode-unparsable`), not reported: it is the service's own tests' business, and libcst may
    lag behind the newest syntax."""
    found: dict[int, dict[str, list[dict]]] = {}
    counts: Counter[int] = Counter()
    for name, data in files:
        facts = _facts(name, data, stats) if _LIBRARIES.search(data) or _may_retry(data) else {}
        if facts is None:
            continue
        stats[f"{FORMAT}.files"] += 1
        for component in owners[name]:
            counts[id(component)] += 1
            mine = found.setdefault(id(component), {fact: [] for fact in FACTS})
            for fact, items in facts.items():
                mine[fact].extend(items)
    for component in {id(c): c for group in owners.values() for c in group}.values():
        if id(component) in found:
            component.attrs["code_files"] = counts[id(component)]
            for fact, items in found[id(component)].items():
                component.attrs[fact] = _keyed(items)


def _may_retry(data: bytes) -> bool:
    return b"except" in data and (b"while" in data or b"range" in data or b"count" in data)


def _facts(name: str, data: bytes, stats: dict[str, int]) -> dict[str, list[dict]] | None:
    """The facts of one file, or None when libcst cannot parse it. libcst is imported on the first file parsed."""
    with warnings.catch_warnings():  # libcst 1.0 imports a deprecated mypy_extensions.TypedDict
        warnings.simplefilter("ignore", DeprecationWarning)
        import libcst

    from archlint.loaders.appcode.aws import clients_without_retries
    from archlint.loaders.appcode.http import calls_without_timeout
    from archlint.loaders.appcode.retries import retry_loops_without_backoff
    from archlint.loaders.appcode.scan import scan
    from archlint.loaders.pysource import Unreadable

    try:
        code = scan(name, data)
    except (libcst.ParserSyntaxError, Unreadable, UnicodeDecodeError, RecursionError):
        stats["skipped.appcode-unparsable"] += 1
        return None
    stats[f"{FORMAT}.parsed"] += 1
    return dict(zip(FACTS, (calls_without_timeout(code), retry_loops_without_backoff(code),
                            clients_without_retries(code))))


def _keyed(items: list[dict]) -> list[dict]:
    """Sorted by place; each with a `key` that does not hold its line, numbered when one scope repeats a call."""
    seen: Counter[str] = Counter()
    result = []
    for item in sorted(items, key=lambda i: (i["file"], i["line"], i["call"] or "")):
        key = ":".join(filter(None, (item["file"], item["scope"], item["call"], item.get("service"))))
        seen[key] += 1
        result.append({**item, "key": key if seen[key] == 1 else f"{key}#{seen[key]}"})
    return result
