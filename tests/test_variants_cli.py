"""A kustomize base in two overlays through the real CLI, in every format: each problem once, at the line to edit,
listing the variants it is in; never two identical results."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_cli

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")
FILES = {
    "base/web.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: shop/web:1.0
        """,
    "base/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
                         "  ports: [{port: 80}]\n",
    "base/kustomization.yaml": "resources: [web.yaml, service.yaml]\n",
    "overlays/dev/kustomization.yaml": "resources: [../../base]\n",
    "overlays/prod/kustomization.yaml": "resources: [../../base]\npatches:\n  - path: replicas.yaml\n",
    "overlays/prod/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n",
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("variants")
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return {fmt: run_cli("check", ".", "--format", fmt, cwd=root).stdout.decode() for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_variants_output_snapshot(outputs, fmt, snapshot):
    assert outputs[fmt] == snapshot


def test_json_has_one_finding_per_problem_listing_its_variants(outputs):
    findings = json.loads(outputs["json"])["findings"]
    keys = [(f["rule"], f["file"], f["line"], f["message"]) for f in findings]
    assert len(keys) == len(set(keys))
    shared = next(f for f in findings if f["rule"] == "OB002")
    assert (shared["file"], shared["line"]) == ("base/web.yaml", 1)
    assert shared["instances"] == ["overlays/dev", "overlays/prod"]
    assert {r["file"] for r in shared["related"]} == {"overlays/dev/kustomization.yaml",
                                                       "overlays/prod/kustomization.yaml"}
    # one replica in both variants, but set in different places: dev's defaulted at the base, prod's at the patch
    single = sorted((f["file"], f["line"], [r["file"] for r in f["related"]]) for f in findings if f["rule"] == "FI001")
    assert single == [("base/web.yaml", 5, ["overlays/dev/kustomization.yaml"]),
                      ("overlays/prod/replicas.yaml", 6, ["overlays/prod/kustomization.yaml"])]


def test_sarif_has_one_result_per_distinct_location(outputs):
    results = json.loads(outputs["sarif"])["runs"][0]["results"]
    keys = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"], r["message"]["text"]) for r in results]
    assert len(keys) == len(set(keys))


def test_no_format_repeats_a_finding(outputs):
    annotations = [line for line in outputs["github"].splitlines() if line.startswith("::")]
    assert len(annotations) == len(set(annotations))
    issues = json.loads(outputs["gitlab"])
    keys = [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"], i["description"]) for i in issues]
    assert len(keys) == len(set(keys))
    assert "overlays/dev, overlays/prod" in outputs["text"]
