"""Every example of docs/policies.md runs: each policy on its inputs gives exactly the findings the page shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.rules.policy.load import PolicyError, load_file, read
from tests.conftest import REPO

PAGE = REPO / "docs" / "policies.md"
_BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.S | re.M)


def _examples() -> list[dict]:
    """The page's examples: a `yaml policy` (or `yaml invalid`) block, its `yaml input NAME` blocks (else the
    previous example's), then a `text findings` (or `text errors`) block."""
    examples: list[dict] = []
    inputs: dict[str, str] = {}
    current: dict | None = None
    for match in _BLOCK.finditer(PAGE.read_text(encoding="utf-8")):
        info, body = match.group("info").split(), match.group("body")
        line = PAGE.read_text(encoding="utf-8")[:match.start()].count("\n") + 1
        if info[:2] in (["yaml", "policy"], ["yaml", "invalid"]):
            current = {"kind": info[1], "policy": body, "inputs": {}, "line": line}
        elif info[:2] == ["yaml", "input"] and current is not None:
            current["inputs"][info[2]] = body
        elif info[:2] in (["text", "findings"], ["text", "errors"]) and current is not None:
            if not current["inputs"]:
                current["inputs"] = dict(inputs)
            inputs = current["inputs"]
            current["expected"] = [text for text in body.splitlines() if text.strip()]
            examples.append(current)
            current = None
    return examples


EXAMPLES = _examples()


def test_the_page_has_examples_for_every_construct():
    text = "\n".join(example["policy"] for example in EXAMPLES)
    for construct in ("for: nodes", "for: edges", "for: containers", "select:", "all:", "any:", "not:", "equals:",
                      "not_equals:", "exists:", "in:", "not_in:", "matches:", "gt:", "gte:", "lt:", "lte:",
                      "contains:", "empty:", "truthy:", "type:", "unit:", "option:", "times:", "related:", "path:",
                      "aggregate:", "count:", "let:", "cases:", "|plural:", "facts.", "len(", "options:"):
        assert construct in text, f"docs/policies.md has no example using {construct!r}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line{e['line']}")
def test_documented_example(example, tmp_path: Path):
    policy = tmp_path / "policy.yaml"
    policy.write_text(example["policy"], encoding="utf-8")
    if example["kind"] == "invalid":
        with pytest.raises(PolicyError) as raised:
            load_file(policy, "policy.yaml")
        assert raised.value.errors == example["expected"]
        return
    rules = load_file(policy, "policy.yaml")
    for name, body in example["inputs"].items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    loaded = load([SourcePath(tmp_path / name, name) for name in sorted(example["inputs"])])
    found = [f"{f.rule} {f.file}:{f.line}: {f.message}" for f in analyze(loaded, Config(), rules).findings]
    assert found == ([] if example["expected"] == ["(none)"] else example["expected"])


def test_documented_policy_test_files_follow_their_schema(tmp_path: Path):
    blocks = [m.group("body") for m in _BLOCK.finditer(PAGE.read_text(encoding="utf-8"))
              if m.group("info").split()[:2] == ["yaml", "policy-test"]]
    assert blocks
    for body in blocks:
        path = tmp_path / "x.test.yaml"
        path.write_text(body, encoding="utf-8")
        assert read(path, "x.test.yaml", "policy-test.schema.json")[1] == []
