"""The rules that read the NetworkX graph say so (`walks_graph`), and a check on two cores never imports NetworkX
in the main process: the child that runs those rules does (archlint.engine.checks, archlint.model.graph)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archlint import forked
from archlint.engine.config import Config
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.model.graph import SystemModel
from archlint.rules import all_rules
from tests.conftest import REPO

CORPUS = Path(os.environ.get("ARCHLINT_CORPUS") or REPO.parent / "shared" / "corpus")


def _trees():
    """(name, tree, the rules to run on it): the demo and the corpus with every rule, and each rule's own examples
    with that rule (they take it down the paths it has)."""
    checked = [rule for rule in all_rules() if rule.check is not None]
    for tree in [REPO / "examples" / "demo"] + [CORPUS / name for name in ("k8s", "compose", "cloudformation")]:
        if tree.is_dir():
            yield tree.name, tree, checked
    for rule in checked:
        if rule.examples.is_dir():
            yield rule.id, rule.examples, [rule]


def _reads_the_graph(rule, model) -> bool:
    """Whether the rule asks for a NetworkX graph on `model`, run in a forked child whose graphs cannot be had."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            SystemModel.graph = SystemModel.sync_graph = property(lambda self: os._exit(3))  # only in the child
            list(rule.check(model, dict(rule.meta.options)))
        except BaseException:  # noqa: BLE001  (a rule failing on this model is another test's business)
            code = 4
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 3


@pytest.mark.skipif(not forked.available(), reason="needs fork and two cores")
def test_a_rule_that_reads_the_networkx_graph_says_so():
    reading = set()
    for name, tree, rules in _trees():
        model = load(discover([tree], tree, Config().exclude)).model
        found = {rule.id for rule in rules if _reads_the_graph(rule, model)}
        assert found <= {rule.id for rule in rules if rule.meta.walks_graph}, name
        reading |= found
    assert "FI011" in reading  # a synchronous cycle's route is NetworkX's: its bad example reads the graph


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: app{n}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: app{n}}}}}
  template:
    metadata: {{labels: {{app: app{n}}}}}
    spec:
      containers:
        - name: c
          image: app{n}:1.0
          env: [{{name: NEXT, value: "http://app{next}:80"}}]
---
apiVersion: v1
kind: Service
metadata: {{name: app{n}}}
spec: {{selector: {{app: app{n}}}, ports: [{{port: 80}}]}}
"""


INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: front}
spec: {defaultBackend: {service: {name: app0, port: {number: 80}}}}
"""


@pytest.mark.skipif(not forked.available() or shutil.which("taskset") is None,
                    reason="needs fork, two cores, and taskset for the one-core run")
def test_a_check_on_two_cores_never_imports_networkx_here_and_reports_what_one_core_does(tmp_path):
    project = tmp_path / "repo"
    project.mkdir()
    (project / "apps.yaml").write_text("---\n".join([DEPLOYMENT.format(n=n, next=n + 1) for n in range(220)] + [INGRESS]))
    code = ("import sys\nfrom archlint.cli import main  # not _entry: it leaves with os._exit\nsys.argv = ['archlint', 'check', '.', '--format', 'json',"
            f" '-o', {str(tmp_path / 'two.json')!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\nprint('networkx' in sys.modules)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO), "ARCHLINT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.stdout.split() == ["False"], run.stderr
    one_core = subprocess.run(["taskset", "-c", "0", sys.executable, "-m", "archlint", "check", ".", "--format",
                               "json", "-o", str(tmp_path / "one.json")], cwd=project, env=env, capture_output=True,
                              timeout=120)
    assert one_core.returncode == 1
    two, one = (tmp_path / "two.json").read_bytes(), (tmp_path / "one.json").read_bytes()
    assert hashlib.sha256(two).hexdigest() == hashlib.sha256(one).hexdigest()  # a diff of both would be huge
    assert b'"rule": "FI010"' in two  # single points of failure on the chain: the call-graph rules ran
