"""docs/rules/: a page per built-in rule, generated from its documentation, committed, and linked from SARIF."""

from __future__ import annotations

import json
from pathlib import Path

from archlint.cli.ruledocs import DOCS_URL, pages
from archlint.rules import all_rules, builtin_ids
from tests.conftest import REPO, run_cli

DOCS = REPO / "docs" / "rules"


def test_the_committed_pages_are_what_the_rules_generate():
    """Regenerate with `archlint rules --write-docs docs/rules` after changing a rule's documentation."""
    wanted = pages(tuple(r for r in all_rules() if r.id in builtin_ids()))
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    assert sorted(committed) == sorted(wanted), "run: archlint rules --write-docs docs/rules"
    stale = [name for name in wanted if committed[name] != wanted[name]]
    assert not stale, f"stale pages {stale}: run archlint rules --write-docs docs/rules"


def test_every_sarif_rule_links_to_its_page(tmp_path):
    done = run_cli("demo", "--format", "sarif")
    rules = json.loads(done.stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert rules and all(r["helpUri"] == DOCS_URL.format(id=r["id"]) for r in rules)
    prefix = DOCS_URL.split("docs/rules/")[0]
    for rule in rules:
        assert (REPO / rule["helpUri"][len(prefix):]).is_file()


def test_write_docs_writes_the_pages(tmp_path):
    done = run_cli("rules", "--write-docs", str(tmp_path / "out"))
    assert done.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == sorted(p.name for p in DOCS.glob("*.md"))
    assert Path(tmp_path / "out" / "FI001.md").read_text(encoding="utf-8") == (DOCS / "FI001.md").read_text("utf-8")
