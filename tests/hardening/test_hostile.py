"""A repository written by someone else: links out of the tree, special files, a module named like a dependency,
control characters in names. Each through the real CLI."""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests.conftest import run_cli
from tests.cost.test_cost_cli import _deployment
from tests.hardening.test_bad_input import GOOD

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="links and named pipes as POSIX has them")


def _report(root, *extra):
    done = run_cli("check", ".", "--format", "json", *extra, cwd=root)
    assert done.returncode in (0, 1) and b"Traceback" not in done.stderr, done.stderr.decode()
    return json.loads(done.stdout)


@posix_only
def test_a_link_out_of_the_tree_is_skipped_and_nothing_of_its_target_is_shown(tmp_path):
    secret = tmp_path / "home" / ".git-credentials"
    secret.parent.mkdir()
    secret.write_text("https://user:hunter2-token@example.com\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "good.yaml").write_text(GOOD)
    os.symlink(secret, repo / "leak.tf")
    os.symlink(secret, repo / "leak.yaml")
    (repo / "inside.yaml").symlink_to("good.yaml")  # a link inside the tree is read as its target
    done = run_cli("check", ".", "--format", "json", cwd=repo)
    assert b"hunter2" not in done.stdout + done.stderr
    found = {(f["rule"], f["file"]) for f in json.loads(done.stdout)["findings"]}
    assert {("IN010", "leak.tf"), ("IN010", "leak.yaml")} <= found
    assert not any(file == "inside.yaml" and rule == "IN010" for rule, file in found)
    text = run_cli("check", "leak.tf", "leak.yaml", cwd=repo)  # named explicitly, as pre-commit does
    assert b"hunter2" not in text.stdout + text.stderr and b"IN010" in text.stdout


@posix_only
def test_a_named_pipe_and_a_link_to_dev_zero_are_not_read(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    os.mkfifo(tmp_path / "x.yaml")
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    report = _report(tmp_path)  # the run's own timeout (120 s) would catch a read that never ends
    found = {(f["rule"], f["file"]) for f in report["findings"]}
    assert {("IN010", "x.yaml"), ("IN010", "zero.yaml")} <= found and any(f == "good.yaml" for _, f in found)


def test_python_m_archlint_imports_nothing_from_the_working_directory(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "click.py").write_text("raise SystemExit('the scanned tree ran code')\n")
    (tmp_path / "yaml.py").write_text("raise SystemExit('the scanned tree ran code')\n")
    done = run_cli("check", ".", cwd=tmp_path)
    assert done.returncode in (0, 1) and b"ran code" not in done.stdout + done.stderr


def test_a_name_with_a_newline_cannot_start_a_workflow_command_or_drive_the_terminal(tmp_path):
    evil = "x\\n::error file=a,line=1::injected \\u001b[31m"
    (tmp_path / "graph.yaml").write_text(
        "apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: g}\nspec:\n  components:\n"
        f'    - {{name: "{evil}", kind: service, replicas: 1, criticality: critical, user_facing: true,'
        " entrypoint: true}\n")
    for fmt in ("text", "github"):  # the text a CI log shows, and the annotations (escaped as the runner does)
        out = run_cli("check", ".", "--format", fmt, cwd=tmp_path).stdout.decode()
        assert not any(line.startswith("::error file=a") for line in out.splitlines()), out
        assert fmt != "text" or "\x1b" not in out


def _git(repo, *args):
    import subprocess

    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(repo)})


@posix_only
def test_base_reads_git_without_running_the_repository_s_filters_or_drivers(tmp_path):
    repo, marks = tmp_path / "repo", tmp_path / "ran"
    repo.mkdir()
    marks.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / ".gitattributes").write_text("*.yaml filter=evil diff=evil merge=evil\n* ident\n")
    (repo / "app.yaml").write_text(_deployment(1))
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    (repo / "app.yaml").write_text(_deployment(4))
    _git(repo, "commit", "-q", "-am", "more")
    scripts = {}
    for what in ("smudge", "clean", "process", "textconv", "external", "fsmonitor", "hook"):
        script = tmp_path / f"{what}.sh"
        script.write_text(f"#!/bin/sh\ntouch '{marks}/{what}'\nexec cat \"$@\"\n")
        script.chmod(0o755)
        scripts[what] = str(script)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "pre-auto-gc", "reference-transaction", "post-index-change"):
        (hooks / name).symlink_to(scripts["hook"])
    for key, value in (("filter.evil.smudge", scripts["smudge"]), ("filter.evil.clean", scripts["clean"]),
                       ("filter.evil.process", scripts["process"]), ("diff.evil.textconv", scripts["textconv"]),
                       ("diff.external", scripts["external"]), ("core.fsmonitor", scripts["fsmonitor"]),
                       ("core.hooksPath", str(hooks))):
        _git(repo, "config", key, value)
    for command in ("check", "cost"):
        done = run_cli(command, ".", "--base", "HEAD~1", "--format", "json", cwd=repo)
        assert done.returncode in (0, 1), done.stderr.decode()
        assert sorted(p.name for p in marks.iterdir()) == [], command
    base = json.loads(done.stdout)["base"]
    assert [c["change"] for c in base["changes"]] == ["changed"]  # HEAD~1's one replica, read as stored
    assert base["low"] == pytest.approx(58.44, rel=0.01)  # one replica
