"""`archlint cost` and the budgets end to end: the real CLI, a temporary git repository for --base."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO
from tests.conftest import run_cli as _run_cli


def run_cli(*args, cwd=None):
    """The real CLI, output decoded."""
    done = _run_cli(*args, cwd=cwd)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())

DEMO = REPO / "examples" / "demo"
SCHEMA = json.loads((REPO / "schemas" / "cost.schema.json").read_text())


def _deployment(replicas: int, team: str = "search") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
  labels: {{team: {team}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: search}}}}
  template:
    metadata: {{labels: {{app: search}}}}
    spec:
      containers:
        - {{name: app, image: "acme/search:1", resources: {{requests: {{cpu: "2", memory: 4Gi}}}}}}
"""


def test_demo_breakdown_snapshot(snapshot):
    done = run_cli("cost", str(DEMO), cwd=DEMO)
    assert done.returncode == 0, done.stderr
    assert done.stdout == snapshot


def test_demo_json_follows_the_schema_and_is_deterministic(snapshot):
    first = run_cli("cost", ".", "--format", "json", cwd=DEMO)
    second = run_cli("cost", ".", "--format", "json", cwd=DEMO)
    assert first.returncode == 0 and first.stdout == second.stdout
    data = json.loads(first.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["total"]["low"] > 0 and any(b["exceeded"] for b in data["budgets"])
    assert data == snapshot


def test_catalog_listing_names_coverage_and_sources():
    done = run_cli("cost", "--catalog", "--format", "json")
    data = json.loads(done.stdout)
    assert data["rows"] > 200 and any(c["provider"] == "gcp" and c["family"] == "instance" for c in data["coverage"])
    assert all(s.startswith(("https://", "AWS ")) for sources in data["sources"].values() for s in sources)


@pytest.mark.parametrize("kind, limit, fails", [("monthly", 300, True), ("monthly", 1000, False)])
def test_a_budget_fails_check_at_its_config_line(tmp_path, kind, limit, fails):
    (tmp_path / "app.yaml").write_text(_deployment(10))
    (tmp_path / ".archlint.yaml").write_text(f"cost:\n  budgets:\n    {kind}: {limit}\n")
    done = run_cli("check", ".", "--format", "json", cwd=tmp_path)
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "CO010"]
    assert bool(found) == fails and done.returncode == (1 if fails else 0), done.stderr
    if fails:
        assert (found[0]["file"], found[0]["line"]) == (".archlint.yaml", 3)
        assert "$584" in found[0]["message"] and "search $584" in found[0]["message"]


def test_bad_price_and_usage_files_are_configuration_errors_with_lines(tmp_path):
    (tmp_path / "app.yaml").write_text(_deployment(1))
    (tmp_path / "prices.yaml").write_text("rows:\n  - {provider: aws, family: instance, item: x, usd: -1}\n")
    (tmp_path / ".archlint.yaml").write_text("cost:\n  prices: prices.yaml\n")
    done = run_cli("cost", ".", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "prices.yaml:2:" in done.stderr and "usd" in done.stderr
    (tmp_path / ".archlint.yaml").write_text("cost:\n  usage: missing.yaml\n  budgets: {monthly: cheap}\n")
    done = run_cli("check", ".", cwd=tmp_path)
    assert done.returncode == 2 and ".archlint.yaml:2: cost.usage: no such file" in done.stderr
    assert ".archlint.yaml:3: cost.budgets.monthly" in done.stderr


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(repo), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "search.yaml").write_text(_deployment(2))
    (tmp_path / "deploy" / "old.yaml").write_text(_deployment(1).replace("name: search", "name: old"))
    (tmp_path / ".archlint.yaml").write_text("cost:\n  budgets:\n    increase:\n      usd: 100\n      percent: 500\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / "deploy" / "search.yaml").write_text(_deployment(10))
    (tmp_path / "deploy" / "old.yaml").unlink()
    (tmp_path / "deploy" / "new.yaml").write_text(_deployment(1).replace("name: search", "name: fresh"))
    return tmp_path


def test_cost_against_a_base_revision_lists_added_removed_and_changed_nodes(repo):
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
    done = run_cli("cost", "deploy", "--base", "HEAD", "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    jsonschema.validate(data, SCHEMA)
    changes = {c["node"]: c["change"] for c in data["base"]["changes"]}
    assert changes == {"search": "changed", "fresh": "added", "old": "removed"}
    assert data["base"]["low"] == pytest.approx(3 * 58.44, rel=0.01)
    # the work tree and the index are exactly as they were
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == status
    text = run_cli("cost", "deploy", "--base", "HEAD", cwd=repo).stdout
    assert "Against HEAD:" in text and "added" in text and "removed" in text


def test_check_base_fails_on_an_increase_over_budget(repo):
    done = run_cli("check", "deploy", "--base", "HEAD", "--format", "json", cwd=repo)
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "CO013"]
    assert done.returncode == 1 and [(f["file"], f["line"]) for f in found] == [(".archlint.yaml", 4)]
    assert "at HEAD" in found[0]["message"] and "search +" in found[0]["message"]


def test_base_outside_git_or_unknown_ref_is_a_usage_error(repo, tmp_path_factory):
    done = run_cli("cost", "deploy", "--base", "no-such-ref", cwd=repo)
    assert done.returncode == 2 and "--base" in done.stderr and "Traceback" not in done.stderr
    elsewhere = tmp_path_factory.mktemp("plain")
    (elsewhere / "a.yaml").write_text(_deployment(1))
    done = run_cli("cost", ".", "--base", "HEAD", cwd=elsewhere)
    assert done.returncode == 2 and "--base" in done.stderr


def test_the_readme_examples_of_the_cost_section_are_valid():
    import re

    import yaml

    from archlint.validation import validate

    section = (REPO / "README.md").read_text().split("## Cost\n", 1)[1].split("\n## ", 1)[0]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    config = next(b for b in blocks if "cost" in b)
    prices = next(b for b in blocks if "discounts" in b)
    assert validate(config, "config.schema.json") == []
    assert validate(prices, "prices.schema.json") == []
    assert validate(yaml.safe_load((DEMO / "usage-assumptions.yaml").read_text()),
                    "usage-assumptions.schema.json") == []
