"""A real pre-commit run of archlint's hook (.pre-commit-hooks.yaml) in a temporary git repository.

`pre-commit try-repo` installs the hook from this working tree (uncommitted changes included) into its own
virtual environment, as a user's `.pre-commit-config.yaml` would, then runs it on the files given."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

GOOD = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {team: shop}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
           labelSelector: {matchLabels: {app: web}}}
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2.3
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 128Mi}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          livenessProbe: {httpGet: {path: /live, port: 8080}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
"""
BAD = """apiVersion: apps/v1
kind: Deployment
metadata: {name: cart}
spec:
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec:
      containers: [{name: cart, image: "acme/cart:1"}]
---
apiVersion: v1
kind: Service
metadata: {name: cart}
spec:
  selector: {app: cart}
  ports: [{port: 80}]
"""


def _run(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("project")
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "PYTHONPATH": ""}
    _run("git", "init", "-q", "-b", "main", cwd=root, env=env)
    (root / "k8s").mkdir()
    (root / "k8s" / "web.yaml").write_text(GOOD)
    (root / "k8s" / "cart.yaml").write_text(BAD)
    (root / "README.md").write_text("not a manifest\n")
    _run("git", "add", ".", cwd=root, env=env)
    return root, env


def _try_repo(project, *files: str) -> subprocess.CompletedProcess:
    root, env = project
    return _run(sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "archlint", "--verbose", "--files",
                *files, cwd=root, env=env)


def test_the_hook_passes_on_a_clean_manifest(project):
    done = _try_repo(project, "k8s/web.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "archlint" in done.stdout and "Passed" in done.stdout


def test_the_hook_fails_on_a_manifest_with_errors_and_shows_only_that_file(project):
    done = _try_repo(project, "k8s/cart.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "k8s/cart.yaml" in done.stdout and "FI001" in done.stdout
    assert "k8s/web.yaml" not in done.stdout.split("k8s/cart.yaml", 1)[1]


def test_files_the_hook_does_not_read_are_skipped(project):
    done = _try_repo(project, "README.md")
    assert done.returncode == 0 and "no files to check" in done.stdout, done.stdout


def test_terraform_files_run_the_hook(project):
    root, _ = project
    (root / "main.tf").write_text('resource "aws_db_instance" "orders" {\n  instance_class = "db.t4g.small"\n'
                                  '  engine = "postgres"\n}\n')
    done = _try_repo(project, "main.tf")
    assert "main.tf" in done.stdout and "FI020" in done.stdout, done.stdout


DB_MODULE = """variable "multi_az" {
  type    = bool
  default = true
}

resource "aws_db_instance" "this" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  multi_az                = var.multi_az
  backup_retention_period = 14
  deletion_protection     = true
  tags                    = { team = "orders" }
}
"""


def test_a_caller_only_change_that_disables_multi_az_fails_the_hook_at_the_callers_line(tmp_path_factory):
    """The module is unchanged; the commit only sets `multi_az = false` in the caller: the hook must fail there."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("modules-project")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")), "PYTHONPATH": "",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    _run("git", "init", "-q", "-b", "main", cwd=root, env=env)
    (root / "modules" / "db").mkdir(parents=True)
    (root / "modules" / "db" / "main.tf").write_text(DB_MODULE)
    (root / "envs" / "prod").mkdir(parents=True)
    caller = root / "envs" / "prod" / "main.tf"
    caller.write_text('module "db" {\n  source = "../../modules/db"\n}\n')
    _run("git", "add", ".", cwd=root, env=env)
    _run("git", "commit", "-qm", "a highly available database", cwd=root, env=env)
    passed = _try_repo((root, env), "envs/prod/main.tf")
    assert passed.returncode == 0, passed.stdout + passed.stderr

    caller.write_text('module "db" {\n  source   = "../../modules/db"\n  multi_az = false\n}\n')
    _run("git", "add", ".", cwd=root, env=env)
    failed = _try_repo((root, env), "envs/prod/main.tf")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "envs/prod/main.tf" in failed.stdout and "FI020" in failed.stdout
    assert "module.db.aws_db_instance.this" in failed.stdout  # named by its module address
    assert "via modules/db/main.tf:10 (module.db: aws_db_instance.this.multi_az)" in " ".join(failed.stdout.split())
    reported = failed.stdout.split("envs/prod/main.tf", 1)[1]
    assert "\n  3  error    FI020" in reported, failed.stdout  # line 3: `multi_az = false`, the line the commit changed
