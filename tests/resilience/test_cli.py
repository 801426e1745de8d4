"""`archlint failure-modes` end to end, as a user runs it: text and JSON (snapshots, the schema), a what-if, the
figures, errors; and the matrix in the HTML and Markdown reports."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import REPO, run_cli as _run


def run_cli(*args, **kwargs):
    """The CLI with its output decoded."""
    done = _run(*args, **kwargs)
    done.stdout, done.stderr = done.stdout.decode(), done.stderr.decode()
    return done

DEMO = REPO / "examples" / "demo"


@pytest.fixture(scope="module")
def demo_json():
    done = run_cli("failure-modes", str(DEMO), "--format", "json", cwd=DEMO)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_text_on_the_demo(snapshot):
    done = run_cli("failure-modes", ".", cwd=DEMO)
    assert done.returncode == 0, done.stderr
    assert done.stdout == snapshot


def test_json_on_the_demo_follows_the_schema(demo_json, snapshot):
    schema = json.loads((REPO / "schemas" / "failure-modes.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(demo_json)
    assert demo_json == snapshot


def test_the_demo_tells_its_story(demo_json):
    """A zone outage stops checkout with nothing to bring it back because PostgreSQL is single-zone, and the
    cheapest change that brings it within the policy is a managed database with a standby in another zone."""
    cell = next(c for c in demo_json["cells"] if c["journey"] == "checkout" and c["disruption"] == "zone=eu-west-1a")
    assert cell["outcome"] == "fails" and cell["through"] == ["parcelwise/postgres"]
    assert cell["rto"]["unbounded"] and cell["breaches"] == ["rto", "rpo"]
    assert cell["at"] == {"file": "architecture.yaml", "line": 56}  # where the service graph pins it to one zone
    fix = demo_json["fixes"][cell["fix"]]
    assert fix["change"].startswith("move it to Amazon RDS for postgres with multi_az = true")
    assert fix["meets_policy"] is True and fix["monthly_usd"] > 0 and fix["rto"]["text"] == "60 s to 2 min"
    # its data is on the container's filesystem (the claim template is not mounted): lost with the pod, which a
    # person must force off its unreachable node
    assert cell["sources"] == ["kubernetes-statefulset-node-loss:rto:any"] and cell["rpo"]["unbounded"]
    assert cell["rpo_at"] == {"file": "k8s/postgres.yaml", "line": 18}


def test_a_what_if_answers_one_disruption_for_every_journey(tmp_path):
    done = run_cli("failure-modes", ".", "--disruption", "zone=eu-west-1b", "--format", "json", cwd=DEMO)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["only"] == ["zone=eu-west-1b"] and [d["id"] for d in data["disruptions"]] == ["zone=eu-west-1b"]
    assert {c["journey"] for c in data["cells"]} == {"checkout", "track-parcel", "mobile-app", "public"}
    by_name = run_cli("failure-modes", ".", "--disruption", "node=postgres", cwd=DEMO)
    assert by_name.returncode == 0 and "[node=parcelwise/postgres]" in by_name.stdout


def test_an_unknown_disruption_is_a_usage_error_listing_what_there_is():
    done = run_cli("failure-modes", ".", "--disruption", "zone=mars-1a", cwd=DEMO)
    assert done.returncode == 2
    assert "no disruption 'zone=mars-1a' in the model (zone disruptions: eu-west-1a" in done.stderr


def test_the_figures_list_every_row_with_its_source_and_date():
    done = run_cli("failure-modes", "--figures", cwd=DEMO)
    assert done.returncode == 0
    assert "rds-multi-az-failover [aws] rto: 60 s to 2 min" in done.stdout
    assert "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html (2026-12-02)" \
        in done.stdout


def test_a_tree_without_entrypoints_or_journeys_says_so(tmp_path):
    (tmp_path / "graph.yaml").write_text("apiVersion: archlint.dev/v1\nkind: ServiceGraph\nspec:\n  components:\n"
                                         "    - {name: batch, kind: worker}\n")
    done = run_cli("failure-modes", str(tmp_path))
    assert done.returncode == 0 and "No journey: no entrypoint and no `journeys:`" in done.stdout


def test_the_html_report_has_the_matrix_and_its_cells_explain_themselves(tmp_path):
    done = run_cli("report", ".", "-o", str(tmp_path / "report.html"), cwd=DEMO)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "report.html").read_text()
    assert '<section id="failure-modes"><h2>Failure modes</h2>' in html and 'href="#failure-modes"' in html
    assert '<td class="fails breach" title="zone eu-west-1a lost (eu-west-1): checkout fails through postgres.' in html
    assert "fix: move it to Amazon RDS for postgres with multi_az = true" in html


def test_the_markdown_report_has_the_summary():
    done = run_cli("report", ".", "--format", "markdown", cwd=DEMO)
    assert "<details><summary>Failure modes: " in done.stdout
    assert "| zone eu-west-1a lost (eu-west-1) | checkout | 🔴 fails (RTO, RPO) | unbounded |" in done.stdout
