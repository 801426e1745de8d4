"""`archlint demo` through the real CLI in every format: snapshots, and validation against the schemas."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.conftest import REPO, run_cli


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("anywhere")
    return {fmt: run_cli("demo", "--format", fmt, cwd=cwd).stdout.decode() for fmt in ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit", "markdown"])
def test_demo_output_snapshot(outputs, fmt, snapshot):
    assert outputs[fmt] == snapshot


def test_demo_json_validates_against_the_report_schema(outputs):
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(outputs["json"]))


def test_demo_sarif_validates_against_the_official_schema(outputs):
    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    sarif = json.loads(outputs["sarif"])
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert results and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)


def test_demo_text_has_no_colour_when_piped_and_ends_with_the_summary(outputs):
    assert "\x1b[" not in outputs["text"]
    assert outputs["text"].rstrip().splitlines()[-1].startswith("16 errors")
