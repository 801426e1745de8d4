"""Baselines: recorded findings stay quiet through moved lines and reordered files; new ones and stale ones count."""

from __future__ import annotations

import json
import shutil

import jsonschema

from archlint.engine.baseline import dumps, split
from archlint.finding import Finding
from tests.conftest import REPO, run_cli

SCHEMA = json.loads((REPO / "schemas" / "baseline.schema.json").read_text())


def _finding(rule, file, node, line=1, key=""):
    from archlint.engine.run import fingerprint

    raw = Finding(rule=rule, message="m", file=file, line=line, node=node, key=key)
    return Finding(rule=rule, message="m", file=file, line=line, node=node, key=key, fingerprint=fingerprint(raw))


def test_duplicates_are_absorbed_by_count_and_leftovers_are_stale():
    a, b = _finding("FI001", "a.yaml", "x"), _finding("FI004", "a.yaml", "x")
    recorded = json.loads(dumps([a, a, b]))
    jsonschema.validate(recorded, SCHEMA)
    counts = {e["fingerprint"]: e["count"] for e in recorded["findings"]}
    assert counts[a.fingerprint] == 2
    from collections import Counter

    new, absorbed, stale = split((a, a, a), Counter(counts))
    assert (len(new), len(absorbed), stale) == (1, 2, 1)


def test_a_moved_line_keeps_its_fingerprint():
    assert _finding("FI001", "a.yaml", "x", line=3).fingerprint == _finding("FI001", "a.yaml", "x", line=40).fingerprint


def _check(cwd, *args):
    done = run_cli("check", ".", *args, cwd=cwd)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def test_baseline_end_to_end_through_moved_lines_reordered_documents_and_new_findings(tmp_path):
    for name in ("api.yaml", "redis.yaml", "postgres.yaml"):
        shutil.copy(REPO / "examples" / "demo" / "k8s" / name, tmp_path / name)
    code, _, err = _check(tmp_path, "--write-baseline", str(tmp_path.parent / "baseline.json"))
    baseline = str(tmp_path.parent / "baseline.json")
    assert code == 0 and "recorded" in err
    jsonschema.validate(json.loads((tmp_path.parent / "baseline.json").read_text()), SCHEMA)
    code, out, err = _check(tmp_path, "--baseline", baseline)
    assert code == 0 and "No findings." in out and "0 new" in err
    for path in tmp_path.glob("*.yaml"):  # lines move, documents swap places
        documents = path.read_text().split("\n---\n")
        path.write_text("# a comment\n\n" + "\n---\n".join(reversed(documents)))
    code, out, err = _check(tmp_path, "--baseline", baseline)
    assert code == 0 and "No findings." in out and "0 new" in err and "0 baseline entries" in err
    (tmp_path / "redis.yaml").unlink()
    (tmp_path / "extra.yaml").write_text("""apiVersion: apps/v1
kind: Deployment
metadata: {name: extra}
spec:
  replicas: 1
  selector: {matchLabels: {app: extra}}
  template:
    metadata: {labels: {app: extra}}
    spec:
      containers: [{name: x, image: "acme/x:1"}]
""")
    code, out, err = _check(tmp_path, "--baseline", baseline, "--format", "json")
    new = json.loads(out)["findings"]
    assert new and {f["file"] for f in new} == {"extra.yaml"}
    assert "stale" in err and " 0 baseline entries" not in err


def test_a_broken_baseline_is_a_clear_error(tmp_path):
    (tmp_path / "a.yaml").write_text("kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n")
    (tmp_path.parent / "bad-baseline.json").write_text('{"version": 1, "findings": [{"rule": "FI001"}]}')
    code, _, err = _check(tmp_path, "--baseline", str(tmp_path.parent / "bad-baseline.json"))
    assert code == 2 and "invalid baseline" in err and "Traceback" not in err
