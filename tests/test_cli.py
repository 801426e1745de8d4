"""The real command line, run as a user would: exit codes, paths, stdin, config, every command."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

DEMO = REPO / "examples" / "demo"
CORPUS = REPO.parent / "shared" / "corpus"

SINGLE = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      replicas: 1
      template:
        metadata: {labels: {app: api}}
        spec:
          containers:
            - name: api
              image: ghcr.io/acme/api:1
              resources: {requests: {cpu: 100m, memory: 64Mi}}
              readinessProbe: {httpGet: {path: /, port: 80}}
              livenessProbe: {httpGet: {path: /, port: 80}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: api}
    spec: {selector: {app: api}}
    """)


def test_version_is_fast_path():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("archlint 0.")


def test_check_exit_codes_follow_fail_on(tmp_path):
    (tmp_path / "api.yaml").write_text(SINGLE)
    assert run_cli("check", str(tmp_path)).returncode == 1  # FI001 is an error
    (tmp_path / ".archlint.yaml").write_text("rules:\n  FI001: warning\n")
    assert run_cli("check", str(tmp_path)).returncode == 0
    assert run_cli("check", str(tmp_path), "--fail-on", "warning").returncode == 1


def test_check_paths_are_relative_to_the_working_directory(tmp_path):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "api.yaml").write_text(SINGLE)
    result = run_cli("check", "deploy", "--format", "json", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["line"], f["rule"]) for f in findings if f["rule"] == "FI001"] == [("deploy/api.yaml", 5, "FI001")]


def test_stdin_stream(tmp_path):
    result = run_cli("check", "-", "--format", "json", cwd=tmp_path, stdin=SINGLE.encode())
    findings = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["line"], f["rule"]) for f in findings if f["rule"] == "FI001"] == [("<stdin>", 5, "FI001")]


def test_output_file_and_no_colour_when_not_a_terminal(tmp_path):
    (tmp_path / "api.yaml").write_text(SINGLE)
    out = tmp_path / "report.txt"
    result = run_cli("check", str(tmp_path), "--output", str(out))
    assert result.returncode == 1 and result.stdout == b""
    assert "FI001" in out.read_text() and "\x1b[" not in out.read_text()


def test_exclude_option_and_config(tmp_path):
    (tmp_path / "skip").mkdir()
    (tmp_path / "skip" / "api.yaml").write_text(SINGLE)
    assert run_cli("check", str(tmp_path), "--exclude", "skip/**").returncode == 0
    (tmp_path / ".archlint.yaml").write_text("exclude: [skip]\n")
    assert run_cli("check", str(tmp_path)).returncode == 0


def test_model_root_shows_only_findings_in_the_given_files(tmp_path):
    (tmp_path / "a.yaml").write_text(SINGLE)
    (tmp_path / "b.yaml").write_text(SINGLE.replace("name: api", "name: web").replace("app: api", "app: web"))
    result = run_cli("check", "--model-root", ".", "b.yaml", "--format", "json", cwd=tmp_path)
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"b.yaml"}


def test_invalid_config_exits_2_with_every_error(tmp_path):
    (tmp_path / ".archlint.yaml").write_text("rules:\n  FI999: off\nfail_on: never\n")
    result = run_cli("check", str(tmp_path))
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err
    assert ".archlint.yaml:2: rules.FI999: unknown rule" in err or "rules.FI999" in err
    assert "fail_on" in err


def test_missing_path_is_a_usage_error():
    result = run_cli("check", "does/not/exist")
    assert result.returncode == 2 and "does not exist" in result.stderr.decode()


def test_broken_file_is_a_finding_and_the_rest_is_analysed(tmp_path):
    (tmp_path / "api.yaml").write_text(SINGLE)
    (tmp_path / "broken.yaml").write_text("apiVersion: v1\nkind: [Service\n")
    (tmp_path / "binary.yaml").write_bytes(b"\x00\xff\xfe\x00garbage\x00")
    result = run_cli("check", str(tmp_path), "--format", "json")
    got = sorted((f["file"], f["rule"]) for f in json.loads(result.stdout)["findings"])
    assert ("api.yaml", "FI001") in got and ("broken.yaml", "IN001") in got and ("binary.yaml", "IN001") in got
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()


def test_rules_and_explain():
    listing = run_cli("rules").stdout.decode()
    assert "FI010" in listing and "single-point-of-failure" in listing and "failure-isolation" in listing
    explained = run_cli("explain", "FI001").stdout.decode()
    for part in ("What it flags:", "Why it matters:", "How to fix:", "Example (bad", "Example (good", "# expect"):
        assert part in explained
    assert run_cli("explain", "single-replica-without-autoscaler").returncode == 0
    assert run_cli("explain", "NOPE").returncode == 2


def test_demo_shows_every_concern_of_the_first_rules_and_exits_0(tmp_path):
    result = run_cli("demo", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    concerns = {f["concern"] for f in report["findings"]}
    assert {"failure-isolation", "over-provisioning", "cost", "input"} <= concerns
    rules = {f["rule"] for f in report["findings"]}
    # (CO001's missing requests on redis are FI038's finding there: a container with no memory settings at all)
    assert {"FI002", "FI003", "FI004", "FI005", "FI010", "FI011", "FI012", "OP001", "OP002", "FI038"} <= rules
    # the single-replica redis on the synchronous path is one finding carrying both facts (FI001 folded into FI010)
    redis = [f for f in report["findings"] if f["node"] == "parcelwise/redis" and f["rule"] in ("FI001", "FI010")]
    assert [f["rule"] for f in redis] == ["FI010"]
    assert any(r["note"].startswith("FI001: redis serves traffic with 1 replica") for r in redis[0]["related"])
    assert run_cli("demo", "--fail-on", "error", cwd=tmp_path).returncode == 1


def test_output_is_deterministic(tmp_path):
    first = run_cli("demo", "--format", "sarif", cwd=tmp_path).stdout
    second = run_cli("demo", "--format", "sarif", cwd=tmp_path).stdout
    assert first == second and first


@pytest.mark.skipif(not (CORPUS / "k8s").is_dir(), reason="the shared corpus is not beside this checkout")
def test_corpus_loads_without_a_traceback():
    result = run_cli("check", str(CORPUS), "--format", "json")
    assert result.returncode in (0, 1), result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["summary"]["model"]["documents"] > 3000


def test_graph_command_exports_what_archlint_understood(tmp_path):
    import jsonschema

    result = run_cli("graph", str(DEMO), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    graph = json.loads(result.stdout)
    schema = json.loads((REPO / "schemas" / "graph.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(graph)
    nodes = {n["id"]: n for n in graph["nodes"]}
    postgres = nodes["parcelwise/postgres"]
    assert postgres["kind"] == "datastore" and postgres["zones"] == ["eu-west-1a"]
    assert {s["file"] for s in [postgres["span"], *postgres["spans"]]} == {"k8s/postgres.yaml", "architecture.yaml"}
    assert any(l["source"] == "parcelwise/api" and l["target"] == "parcelwise/postgres" for l in graph["links"])
    for fmt, marker in (("dot", "digraph"), ("mermaid", "flowchart")):
        out = run_cli("graph", str(DEMO), "--format", fmt, cwd=tmp_path)
        assert out.returncode == 0 and out.stdout.decode().startswith(marker)


def test_a_missing_dependency_is_named_with_how_to_install_it(tmp_path):
    """A Python where a dependency is absent (archlint copied in, not installed by pip) gets one plain sentence
    naming the package and how to install it, exit 2, not `internal error: ModuleNotFoundError`."""
    absent = tmp_path / "absent" / "re2"
    absent.mkdir(parents=True)
    (absent / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 're2'\", name='re2')\n")
    (tmp_path / "deploy.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                                          "spec:\n  template:\n    spec:\n      containers:\n"
                                          "      - {name: web, image: nginx:latest}\n")
    result = run_cli("check", str(tmp_path / "deploy.yaml"), env={
        "PYTHONPATH": f"{REPO}{os.pathsep}{tmp_path / 'absent'}", "ARCHLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "google-re2, which archlint needs, is not installed" in err and "pip install google-re2" in err
    assert "internal error" not in err and "Traceback" not in err
