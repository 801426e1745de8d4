"""`archlint check FILE` inside a project says about FILE what checking the whole project says about it."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import REPO, run_cli


def _findings(done, file: str) -> list[tuple]:
    return sorted((f["rule"], f["line"], f["message"]) for f in json.loads(done.stdout)["findings"] if f["file"] == file)


@pytest.fixture
def demo(tmp_path):
    project = tmp_path / "demo"
    shutil.copytree(REPO / "examples" / "demo", project)
    return project


def test_one_file_of_the_demo_gets_the_whole_projects_findings(demo):
    whole = _findings(run_cli("check", ".", "--format", "json", cwd=demo), "k8s/redis.yaml")
    assert whole
    for cwd, path in ((demo, "k8s/redis.yaml"), (demo / "k8s", "redis.yaml"), (demo / "services", "../k8s/redis.yaml")):
        done = run_cli("check", path, "--format", "json", cwd=cwd)
        assert _findings(done, "k8s/redis.yaml") == whole, cwd
        assert {f["file"] for f in json.loads(done.stdout)["findings"]} == {"k8s/redis.yaml"}


def test_paths_only_checks_the_file_alone(demo):
    done = run_cli("check", "k8s/redis.yaml", "--paths-only", "--format", "json", cwd=demo)
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    assert "IN005" in rules  # the usage file names workloads of other files: alone, they are unknown


def test_a_git_work_tree_is_a_project_too(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                                     "  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n"
                                     "    metadata: {labels: {app: web}}\n    spec:\n"
                                     "      containers: [{name: web, image: 'nginx:1.27'}]\n")
    (tmp_path / "b.yaml").write_text("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
                                     "spec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n")
    alone = run_cli("check", "a.yaml", "--paths-only", "--format", "json", cwd=tmp_path)
    within = run_cli("check", "a.yaml", "--format", "json", cwd=tmp_path)
    assert "FI002" in {f["rule"] for f in json.loads(alone.stdout)["findings"]}  # no budget in a.yaml alone
    assert "FI002" not in {f["rule"] for f in json.loads(within.stdout)["findings"]}  # b.yaml's budget selects it


def test_a_directory_is_checked_as_given(demo):
    done = run_cli("check", "k8s", "--format", "json", cwd=demo)
    summary = json.loads(done.stdout)["summary"]["model"]
    assert summary["files"] < 16
