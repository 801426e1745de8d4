"""Bad input never crashes archlint: each bad file is an `input` finding with its file (and line where known),
every other file is still analysed, and no traceback reaches the user."""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests.conftest import run_cli

GOOD = """apiVersion: apps/v1
kind: Deployment
metadata: {name: ok}
spec:
  replicas: 1
  selector: {matchLabels: {app: ok}}
  template:
    metadata: {labels: {app: ok}}
    spec:
      containers: [{name: ok, image: "acme/ok:1"}]
"""

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
    f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))

CASES = {
    "malformed.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n  broken: [\n",
    "malformed.json": b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": }',
    "malformed.tf": b'resource "aws_instance" "x" {\n  instance_type = "t3.micro"\n  ami = [\n',
    "binary.yaml": bytes(range(256)) * 4,
    "latin1.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata: {name: caf\xe9}\n".encode("latin-1"),
    "empty.yaml": b"",
    "bomb.yaml": BOMB.encode(),
    "deep.yaml": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep.json": b'{"apiVersion": "v1", "kind": "ConfigMap", "a": ' + b"[" * 50000 + b"]" * 50000 + b"}",
}


def _check(root, *extra):
    done = run_cli("check", ".", "--format", "json", *extra, cwd=root)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr and done.returncode in (0, 1), stderr
    return json.loads(done.stdout)


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    return tmp_path


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_is_reported_and_the_rest_still_analysed(tree, name):
    (tree / name).write_bytes(CASES[name])
    report = _check(tree)
    rules = {(f["rule"], f["file"]) for f in report["findings"]}
    assert ("FI038", "good.yaml") in rules  # the good file is still analysed (no resources: FI038, standing for CO001)
    if name not in ("empty.yaml", "bomb.yaml"):
        assert any(f["file"] == name and f["concern"] == "input" and f["line"] >= 1 for f in report["findings"]), rules


def test_a_large_file_is_refused_with_a_finding(tree):
    with open(tree / "huge.yaml", "wb") as handle:
        handle.write(b"items:\n")
        handle.write(b"  - {name: x, value: 1}\n" * 2_300_000)  # about 55 MB
    report = _check(tree)
    assert any(f["file"] == "huge.yaml" and f["rule"] == "IN001" and "MiB" in f["message"] for f in report["findings"])
    assert any(f["file"] == "good.yaml" for f in report["findings"])


def test_the_alias_bomb_does_not_explode_memory(tree):
    (tree / "bomb.yaml").write_text(BOMB)
    done = run_cli("check", ".", "--format", "json", cwd=tree)
    assert done.returncode in (0, 1) and b"Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_symbolic_link_loops_are_skipped(tree):
    (tree / "loop").mkdir()
    os.symlink(tree / "loop", tree / "loop" / "again")
    os.symlink(tree / "self.yaml", tree / "self.yaml")
    report = _check(tree)
    assert any(f["file"] == "good.yaml" for f in report["findings"])


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_a_finding(tree):
    (tree / "secret.yaml").write_text(GOOD)
    (tree / "secret.yaml").chmod(0)
    try:
        report = _check(tree)
    finally:
        (tree / "secret.yaml").chmod(0o600)
    assert any(f["file"] == "secret.yaml" and f["rule"] == "IN001" for f in report["findings"])


def test_malformed_python_in_a_source_directory(tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "app.py").write_bytes(b"def broken(:\n    pass\n\x00\xff")
    (tmp_path / "graph.yaml").write_text("apiVersion: archlint.dev/v1\nkind: ServiceGraph\nspec:\n  components:\n"
                                         "    - {name: svc, kind: service, source: svc}\n")
    report = _check(tmp_path)
    assert report["findings"] is not None
