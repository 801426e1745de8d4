"""Every string the input can hold, through the real CLI in every format: a component name with a workflow command,
a legacy `##[` command, ANSI escapes, NUL, bidirectional controls, Markdown and HTML; a file name that is not UTF-8
(Linux allows any bytes but "/" and NUL); a lone surrogate from a JSON `\\ud800` escape. Each output is valid
UTF-8, the same bytes on every run, read by its consumer's own parser, and runs nothing in a GitHub Actions log."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from archlint.resources import schema as shipped_schema
from tests.conftest import run_cli

DATA = Path(__file__).resolve().parent.parent / "data"
#: The name: a line break and a workflow command, the legacy command form, colours, a terminal bell, NUL, a C1
#: control, a line separator, a right-to-left override, Markdown (code, pipe, mention, image, emphasis), HTML.
HOSTILE = ("x\\n::error file=a,line=1::injected ##[error]legacy \\u001b[31mred\\u0007\\u0000\\u0085\\u2028\\u202e "
           "`tick` | @octocat ![i](https://evil.example/p.png) **bold** <img src=x onerror=alert(1)> %25")
#: A name that wraps so that a line of the text output would start with `::` at 80 and 100 columns.
LONG = "z" * 57 + " ::warning::wrapped " + "y" * 60 + "::error::cut"
BAD_NAME = b"bad\xff\x1b[2J.yaml"  # a byte that is not UTF-8, and an escape code, in a file name
DEPLOYMENT = (b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  template:\n"
              b"    spec:\n      containers: [{name: c, image: nginx}]\n")
SURROGATE = ('{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "s\\ud800x"}, "spec": '
             '{"replicas": 1, "template": {"spec": {"containers": [{"name": "c\\udfff", "image": "nginx"}]}}}}')
#: What a GitHub Actions runner would run in a log line (ActionCommand.TryParseV2 trims leading whitespace first;
#: the legacy TryParse finds `##[` anywhere).
COMMAND = re.compile(r"^\s*::|##\[")
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "graph.yaml").write_text(
        "apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: g}\nspec:\n  components:\n"
        f'    - {{name: "{HOSTILE}", kind: service, replicas: 1, criticality: critical, user_facing: true,'
        " entrypoint: true}\n"
        f'    - {{name: "{LONG}", kind: service, replicas: 1, user_facing: true}}\n', encoding="utf-8")
    (root / os.fsdecode(BAD_NAME)).write_bytes(DEPLOYMENT)
    (root / os.fsdecode(b"broken\xfe\x07.yaml")).write_bytes(b"a: [\n")  # unreadable: IN001 names the file
    (root / "surrogate.json").write_text(SURROGATE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def outputs(project) -> dict[str, bytes]:
    found = {}
    for fmt in FORMATS:
        first = run_cli("check", ".", "--format", fmt, cwd=project, env={"COLUMNS": "80"})
        assert first.returncode == 1, (fmt, first.stderr.decode(errors="replace"))
        again = run_cli("check", ".", "--format", fmt, cwd=project, env={"COLUMNS": "80"})
        assert again.stdout == first.stdout, f"{fmt}: not the same bytes twice"
        found[fmt] = first.stdout
    return found


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")  # strict: a lone surrogate written out would fail here
    return re.split(r"\r\n|\r|\n", text)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "github"])
def test_nothing_runs_as_a_workflow_command_in_a_ci_log(outputs, fmt):
    assert not [line for line in _lines(outputs[fmt]) if COMMAND.search(line)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_control_character_reaches_the_terminal(outputs, fmt):
    controls = set(re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", outputs[fmt].decode()))
    assert not controls, f"{fmt}: {controls}"


def test_text_shows_what_it_escaped_within_the_width(project, outputs):
    text = " ".join(line.strip() for line in outputs["text"].decode().splitlines())  # unwrapped
    assert "x\\n::error file=a,line=1::injected ##\\x5berror]legacy \\x1b[31mred\\x07\\x00\\x85\\u2028\\u202e" in text
    assert "bad\\xff\\x1b[2J.yaml" in text and "s\\ud800x" in text and "broken\\xfe\\x07.yaml" in text
    for columns in ("80", "100"):
        out = run_cli("check", ".", cwd=project, env={"COLUMNS": columns}).stdout.decode()
        assert max(len(line) for line in out.splitlines()) <= int(columns)
        assert not [line for line in out.splitlines() if COMMAND.search(line)]


def test_github_annotations_are_one_command_a_line_with_the_runner_s_escaping(outputs):
    lines = outputs["github"].decode().splitlines()
    assert lines and all(re.match(r"::(error|warning|notice) [^:]*::", line) for line in lines)
    hostile = next(line for line in lines if "injected" in line)
    # the input's line break is shown as \n; archlint's own "Fix:" line is the runner's %0A
    assert "x\\n::error file=a,line=1::injected" in hostile and "%0AFix: " in hostile
    assert "%2525" in hostile and "\x1b" not in hostile
    assert any(line.startswith("::warning file=bad\\xff\\x1b[2J.yaml,") for line in lines)


def test_json_is_strict_utf8_and_matches_its_schema(outputs):
    document = json.loads(outputs["json"].decode("utf-8"))
    jsonschema.Draft202012Validator(shipped_schema("report.schema.json")).validate(document)
    names = json.dumps(document, ensure_ascii=False)
    names.encode("utf-8")  # no lone surrogate survives as one: strict parsers (RFC 8259 8.2) would refuse it
    files = {f["file"] for f in document["findings"]}
    assert {"bad\\xff\x1b[2J.yaml", "surrogate.json", "graph.yaml"} <= files
    assert any("x\n::error file=a,line=1::injected" in f["message"] for f in document["findings"])  # exact text
    fingerprints = [(f["rule"], f["file"], f["node"], f["fingerprint"]) for f in document["findings"]]
    assert all(re.fullmatch("[0-9a-f]{20}", f[3]) for f in fingerprints)


def test_sarif_is_valid_and_its_uris_keep_the_file_s_bytes(outputs):
    document = json.loads(outputs["sarif"].decode("utf-8"))
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert "bad%FF%1B%5B2J.yaml" in uris and "broken%FE%07.yaml" in uris


def test_gitlab_matches_its_schema(outputs):
    issues = json.loads(outputs["gitlab"].decode("utf-8"))
    jsonschema.validate(issues, json.loads((DATA / "gitlab-codequality.schema.json").read_text()))
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_parses_with_junitparser_and_the_standard_library(outputs):
    from junitparser import JUnitXml

    ET.fromstring(outputs["junit"])
    xml = JUnitXml.fromstring(outputs["junit"].decode("utf-8"))
    cases = [case for suite in xml for case in suite]
    assert any("injected" in (case.result[0].message or "") for case in cases if case.result)
    assert any("bad\\xff\\x1b[2J.yaml" in case.name for case in cases)


def test_markdown_renders_no_markup_mention_or_image_from_the_input(outputs):
    text = outputs["markdown"].decode("utf-8")
    row = next(line for line in text.splitlines() if "injected" in line)
    assert not re.search(r"(?<!\\)<img", row) and "![" not in row and "**bold**" not in row and "@octocat" not in row
    assert "@&#8203;octocat" in row and "\\!\\[i\\]" in row and "\\<img" in row
    assert row.count(" | ") == 3 and "\\|" in row  # the name's pipe is escaped: the table keeps its four columns
    assert "`` bad\\xff\\x1b[2J.yaml:8 ``" not in text and "`bad\\xff\\x1b[2J.yaml:8`" in text


def test_step_summary_html_report_and_stderr(project, tmp_path):
    summary = tmp_path / "summary.md"
    done = run_cli("check", ".", "--format", "github", cwd=project, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1
    written = summary.read_bytes().decode("utf-8")
    assert "@&#8203;octocat" in written and not re.search(r"(?<!\\)<img", written)
    page = run_cli("report", ".", cwd=project).stdout.decode("utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "\x1b" not in page
    for command in ("cost", "advise", "failure-modes"):  # IN001 on stderr names the file; the text names it too
        done = run_cli(command, ".", cwd=project)
        assert done.returncode == 0, (command, done.stderr)
        for stream in (done.stdout, done.stderr):
            lines = _lines(stream)
            assert not [line for line in lines if COMMAND.search(line)] and b"\x1b" not in stream
        assert "broken\\xfe\\x07.yaml:1: invalid YAML" in done.stderr.decode()


@pytest.mark.parametrize(("text", "expected"), [
    ("plain ASCII report", "plain ASCII report"),
    ("caf\u00e9 \u2192 \U0001f600", "caf\u00e9 \u2192 \U0001f600"),  # any character UTF-8 can hold stays
    ("a\ud800b\udcffc", "a\\ud800b\\xffc"),  # a lone surrogate, and a byte of a name that is not UTF-8
])
def test_unicode_keeps_what_utf8_holds_and_shows_lone_surrogates(text, expected):
    from archlint.report.escape import unicode

    assert unicode(text) == expected
