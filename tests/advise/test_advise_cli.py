"""`archlint advise` end to end: text and JSON on the demo (snapshots, schema), weights from the configuration,
bad weights refused with the line, and the corpus advised without a crash."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import REPO, run_cli

DEMO = "examples/demo"


def test_text_on_the_demo(snapshot):
    done = run_cli("advise", DEMO)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode()
    assert text == snapshot
    assert "analytics-export (scheduled-job, examples/demo/architecture.yaml" in text
    assert "x cloud ruled out: requests 1 GPU" in text
    assert "Roadmap" in text and "Next: step 1" in text


def test_json_on_the_demo_matches_its_schema(snapshot):
    done = run_cli("advise", DEMO, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    jsonschema.validate(data, json.loads((REPO / "schemas" / "advice.schema.json").read_text()))
    assert data == snapshot
    by_name = {p["name"]: p for p in data["placements"]}
    assert by_name["eta-predictor"]["recommended"] == "ai"
    assert by_name["web"]["current"] == "edge" and by_name["web"]["recommended"] == "cloud"
    assert by_name["web"]["gain"]["latency_ms"] == 48.5
    assert {s["name"] for s in data["simplifications"]} >= {"postgres", "redis", "rabbitmq", "sms-notifier"}
    assert [s["step"] for s in data["roadmap"]["steps"]] == [1, 2, 3, 4, 5, 6]


def test_weights_in_the_configuration_change_the_advice(tmp_path):
    (tmp_path / "graph.yaml").write_text(
        "apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: t}\nspec:\n  components:\n"
        "    - {name: report, kind: batch-job, tier: cloud}\n")
    plain = json.loads(run_cli("advise", str(tmp_path), "--format", "json").stdout)
    (tmp_path / ".archlint.yaml").write_text("placement:\n  weights: {cost: 0, throughput: 0, elasticity: 0, "
                                             "resilience: 0, accelerator: 0}\n")
    tuned = json.loads(run_cli("advise", str(tmp_path), "--format", "json").stdout)
    assert plain["placements"][0]["recommended"] == "grid"
    assert tuned["weights"]["cost"] == 0 and tuned["weights"]["latency"] == 3
    assert tuned["placements"][0]["recommended"] == "cloud"


def test_bad_weights_are_refused_with_file_line_and_path(tmp_path):
    (tmp_path / ".archlint.yaml").write_text("placement:\n  weights:\n    latency: -1\n    speed: 2\n")
    done = run_cli("advise", str(tmp_path))
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "invalid configuration" in err and ".archlint.yaml:3" in err and "speed" in err
    assert "Traceback" not in err


@pytest.mark.skipif(not (REPO.parent / "shared" / "corpus").is_dir(), reason="the shared corpus is not beside the repo")
def test_the_corpus_is_advised_without_a_crash():
    done = run_cli("advise", str(REPO.parent / "shared" / "corpus"), "--format", "json")
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    assert len(data["placements"]) > 1000
    assert b"Traceback" not in done.stderr


def test_the_readme_placement_configuration_is_valid(tmp_path):
    from archlint.engine.config import load_config
    from archlint.rules import all_rules

    section = (REPO / "README.md").read_text().split("## Advice and reports\n", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    placement = next(b for b in blocks if b.startswith("placement:"))
    (tmp_path / ".archlint.yaml").write_text(placement)
    config = load_config(tmp_path / ".archlint.yaml", all_rules())
    assert config.placement.weights["cost"] == 2 and config.placement.scale_to_zero_rps == 1
