"""action.yml and the README's CI recipes, run as far as they can be without GitHub: every `run:` step's command
for real (tests/ci/runner.py plays the runner), the `uses:` steps checked for what they would receive."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.ci.runner import Context, run_steps
from tests.conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")
SARIF_SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FAILING = """apiVersion: apps/v1
kind: Deployment
metadata: {name: cart}
spec:
  replicas: 1
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec:
      containers: [{name: cart, image: "acme/cart:1.0"}]
---
apiVersion: v1
kind: Service
metadata: {name: cart}
spec:
  selector: {app: cart}
  ports: [{port: 80}]
"""


def _shim(directory: Path) -> Path:
    """An `archlint` on the PATH that runs this checkout, as an installed one would."""
    directory.mkdir(parents=True, exist_ok=True)
    shim = directory / "archlint"
    shim.write_text(f"#!/bin/sh\nPYTHONPATH={REPO} exec {sys.executable} -m archlint \"$@\"\n")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return directory


@pytest.fixture
def workspace(tmp_path):
    project = tmp_path / "repo"
    (project / "k8s").mkdir(parents=True)
    (project / "k8s" / "cart.yaml").write_text(FAILING)
    temp = tmp_path / "runner"
    temp.mkdir()
    summary = temp / "step-summary.md"
    env = {"PATH": f"{_shim(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path),
           "ARCHLINT_CACHE_DIR": str(tmp_path / "cache"), "RUNNER_TEMP": str(temp),
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}
    return project, temp, env, summary


def _inputs(**given) -> dict:
    defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - set(defaults)
    assert not unknown, f"not inputs of action.yml: {unknown}"
    return {**defaults, **given}


def _action(workspace, **given):
    project, temp, env, summary = workspace
    ctx = Context(_inputs(**given), {"action_path": str(REPO), "workspace": str(project)}, project, temp, dict(env))
    return run_steps(ACTION["runs"]["steps"], ctx), ctx


def test_the_action_annotates_summarises_and_uploads_even_when_the_check_fails(workspace):
    project, _, _, summary = workspace
    steps, ctx = _action(workspace, install="false")
    by_name = {s.name: s for s in steps}
    assert [s.status for s in steps] == ["skipped", "failure", "success", "success"]
    check = by_name["Check (annotations and step summary)"]
    assert check.exit_code == 1 and "::error file=k8s/cart.yaml,line=" in check.stdout
    assert summary.read_text(encoding="utf-8").startswith("### archlint fails:")
    upload = by_name["Upload SARIF to code scanning"]
    assert upload.uses.startswith("github/codeql-action/upload-sarif@")
    assert upload.with_ == {"sarif_file": "archlint.sarif", "category": "archlint"}
    document = json.loads((project / "archlint.sarif").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(SARIF_SCHEMA)(SARIF_SCHEMA).validate(document)
    assert {r["ruleId"] for r in document["runs"][0]["results"]} >= {"FI001"}
    assert ctx.steps["sarif"] == {"file": "archlint.sarif"}


def test_the_action_passes_its_inputs_through(workspace):
    project, _, _, summary = workspace
    steps, _ = _action(workspace, install="false", sarif="false", args="--select FI001", **{"fail-on": "warning"})
    assert [s.status for s in steps] == ["skipped", "failure", "skipped", "skipped"]
    assert {line.split()[0] for line in steps[1].stdout.splitlines()} == {"::error"}  # only FI001 selected


def test_a_usage_error_fails_the_sarif_step_too(workspace):
    steps, _ = _action(workspace, install="false", args="--select NOPE")
    assert [s.exit_code for s in steps[1:3]] == [2, 2] and steps[3].status == "skipped"


def _stub_python(directory: Path, log: Path) -> None:
    """`python3 -m venv DIR` makes DIR/bin/python, which logs the pip command it is given."""
    directory.mkdir(parents=True, exist_ok=True)
    python3 = directory / "python3"
    python3.write_text(f"""#!/bin/sh
[ "$1 $2" = "-m venv" ] || exit 9
mkdir -p "$3/bin"
printf '#!/bin/sh\\necho "$@" >> {log}\\n' > "$3/bin/python"
chmod +x "$3/bin/python"
""")
    python3.chmod(python3.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize(("version", "package"), [("", str(REPO)), ("0.3.0", "archlint==0.3.0")])
def test_the_install_step_makes_a_virtual_environment_and_puts_it_on_the_path(workspace, tmp_path, version, package):
    project, temp, env, _ = workspace
    log = tmp_path / "pip.log"
    _stub_python(tmp_path / "stub", log)
    env = {**env, "PATH": f"{tmp_path / 'stub'}{os.pathsep}{env['PATH']}"}
    ctx = Context(_inputs(version=version), {"action_path": str(REPO)}, project, temp, env)
    steps = run_steps(ACTION["runs"]["steps"][:1], ctx)
    assert steps[0].status == "success", steps[0].stderr
    assert log.read_text().split() == ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", package]
    assert ctx.env["PATH"].startswith(str(temp / "archlint-venv" / "bin"))


def _block_after(marker: str) -> str:
    """The fenced block of the README that starts with `marker`."""
    match = re.search(r"```(?:yaml|sh)\n(" + re.escape(marker) + r".*?)```", README, re.S)
    assert match, f"no block starting with {marker!r} in README.md"
    return match.group(1)


def test_the_readme_workflow_uploads_sarif_even_when_the_check_fails(workspace):
    project, temp, env, summary = workspace
    workflow = yaml.safe_load(_block_after("# .github/workflows/archlint.yaml\n"))
    job = workflow["jobs"]["archlint"]
    assert job["permissions"]["security-events"] == "write"
    steps = []
    for step in job["steps"]:
        if "pip install" in str(step.get("run", "")):
            assert step["run"].strip() == "python -m pip install archlint"
            continue  # the archlint of this checkout is already on the PATH
        steps.append(step)
    ctx = Context({}, {"sha": "0" * 40}, project, temp, dict(env))
    done = run_steps(steps, ctx)
    status = {s.uses or s.name: s.status for s in done}
    assert status["archlint check --format github"] == "failure"
    upload = next(s for s in done if s.uses.startswith("github/codeql-action/upload-sarif@"))
    assert upload.status == "success" and upload.with_ == {"sarif_file": "archlint.sarif"}
    assert (project / "archlint.sarif").is_file() and summary.read_text(encoding="utf-8").startswith("### archlint")


def test_the_readme_action_snippet_uses_real_inputs():
    snippet = yaml.safe_load(_block_after("# .github/workflows/archlint.yaml (with the action)"))
    step = next(s for s in snippet["jobs"]["archlint"]["steps"] if str(s.get("uses", "")).startswith("archlint/"))
    _inputs(**step.get("with", {}))


def _resolves(rev: str) -> bool:
    return subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=REPO,
                          capture_output=True).returncode == 0


def test_the_readme_pre_commit_snippet_names_a_hook_and_a_rev_that_exist():
    config = yaml.safe_load(_block_after("repos:"))
    repo = config["repos"][0]
    hooks = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {h["id"] for h in repo["hooks"]} <= hooks
    rev = str(repo["rev"])
    has_git = (REPO / ".git").exists()
    assert not has_git or _resolves(rev) or _resolves(f"origin/{rev}"), f"rev {rev} is not in this repository"


def test_the_readme_first_commands_work_where_pip_refuses_the_system_python():
    """PEP 668 (Debian, Homebrew): each command creates a virtual environment and uses only its executables; the
    second is the one CI runs (.ci/run)."""
    commands = [line for line in _block_after("python3 -m venv").splitlines() if line.strip()]
    assert len(commands) == 2
    for command in commands:
        first, *rest = [part.strip() for part in command.split("&&")]
        assert first == "python3 -m venv .venv"
        assert rest and all(part.startswith(".venv/bin/") for part in rest), command
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
