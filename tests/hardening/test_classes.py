"""Each class of input that used to end the whole run (exit 2, or a signal) now costs at most its own file, through
the real CLI: the value is read as its tool reads it, or unknown, or the file (or document) is one IN001 finding
with its line, and every other file is still analysed."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import run_cli
from tests.hardening.test_bad_input import GOOD

PULUMI = {"Pulumi.yaml": "name: p\nruntime: python\n"}
CDK = {"cdk.json": '{"app": "python3 app.py"}'}
CDK_HEAD = ("import aws_cdk as cdk\nfrom aws_cdk import aws_ec2 as ec2, aws_sqs as sqs\napp = cdk.App()\n"
            "class S(cdk.Stack):\n    def __init__(self, scope, name):\n        super().__init__(scope, name)\n")
PLAN = '{"format_version": "1.0", "resource_changes": %s}'
SAM = ("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  F:\n"
       "    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a\n      Runtime: python3.12\n"
       "      Events:\n        E:\n          Type: %s\n")


def check(tmp_path, files: dict[str, str | bytes]) -> dict:
    (tmp_path / "good.yaml").write_text(GOOD)
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    done = run_cli("check", ".", "--format", "json", cwd=tmp_path)
    stderr = done.stderr.decode()
    assert done.returncode in (0, 1) and "Traceback" not in stderr and "internal error" not in stderr, stderr
    report = json.loads(done.stdout)
    assert any(f["file"] == "good.yaml" for f in report["findings"]), "the good file was not analysed"
    return report


def about(report: dict, name: str, concern: str = "input") -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in report["findings"] if f["file"] == name and f["concern"] == concern]


# ---- YAML scalars the constructor rejects ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["released: 2024-02-30\n", "at: 2024-01-01 25:61:00\n",
                                  "big: " + "9" * 5000 + "\n", "neg: -" + "1" * 4400 + "\n"])
def test_a_plain_scalar_that_only_looks_like_a_date_or_a_number_is_a_string(tmp_path, text):
    report = check(tmp_path, {"docs/mkdocs.yaml": "site_name: docs\n" + text})
    assert about(report, "docs/mkdocs.yaml") == []


@pytest.mark.parametrize("text", ["x: !!int abc", "x: !!bool maybe", "x: !!timestamp foo", "x: !!map [a]",
                                  "x: !!float nope", "x: !!binary abc", "x: !!seq {a: 1}"])
def test_an_explicit_tag_that_does_not_fit_its_value_is_malformed_yaml_at_its_line(tmp_path, text):
    report = check(tmp_path, {"a.yaml": "kind: ConfigMap\n" + text + "\n"})
    assert about(report, "a.yaml") == [("IN001", 2)]


def test_a_json_integer_beyond_pythons_conversion_limit(tmp_path):
    manifest = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "n"}, "data": {"x": %s}}'
    report = check(tmp_path, {"a.json": manifest % ("9" * 5000), "b.json": (manifest % ("9" * 5000)).replace(
        "{", "{\t", 1)})  # the tab sends it to the json module
    assert about(report, "a.json") == [] and about(report, "b.json") == []


# ---- Terraform evaluation ----------------------------------------------------------------------------------

@pytest.mark.parametrize("expression", ['"\\U00110000"', '"\\uD800"', "5 % 0", "5 / 0", "5.5 % 0",
                                        "ceil(1.5e308 * 10)", 'tonumber("x")', 'format("%d", "x")', "element([], 1)",
                                        "9" * 5000])
def test_a_terraform_expression_the_plan_would_reject_is_unknown(tmp_path, expression):
    tf = (f'locals {{\n  x = {expression}\n}}\n\nresource "aws_instance" "a" {{\n  count = 2\n'
          '  instance_type = local.x\n}\n')
    report = check(tmp_path, {"main.tf": tf})
    assert [rule for rule, _ in about(report, "main.tf")] in ([], ["IN009"])
    nodes = json.loads(run_cli("graph", ".", "--format", "json", cwd=tmp_path).stdout)["nodes"]
    instance = next(n for n in nodes if n["id"].endswith("aws_instance.a"))
    assert "instance_type" in json.dumps(instance.get("attrs", {}).get("unknown", instance))


@pytest.mark.parametrize("change", [
    '{"address": ["x"], "type": "aws_instance", "change": {"actions": ["create"], "after": {}}}',
    '{"address": "a", "type": ["aws_instance"], "change": {"actions": ["create"], "after": {}}}',
    '{"address": "a", "type": "aws_instance", "change": {"actions": "create", "after": []}}',
    '{"address": "a", "type": "aws_instance", "change": {"actions": ["create"], "after": {"x": '
    + "[" * 900 + "]" * 900 + "}}}",
    '{"address": "a", "type": "aws_instance", "mode": 3, "index": {"a": 1}, "change": null}',
])
def test_a_plan_with_wrong_types_or_deep_nesting(tmp_path, change):
    report = check(tmp_path, {"plan.json": PLAN % f"[{change}]"})
    assert all(rule == "IN001" for rule, _ in about(report, "plan.json"))


@pytest.mark.parametrize("kind", ["[SQS]", "{a: 1}", "3", "null"])
def test_a_sam_event_whose_type_is_not_a_string(tmp_path, kind):
    report = check(tmp_path, {"template.yaml": SAM % kind})
    assert about(report, "template.yaml") == []
    nodes = json.loads(run_cli("graph", ".", "--format", "json", cwd=tmp_path).stdout)["nodes"]
    assert any(n["id"].endswith("F") for n in nodes)  # the function is still modelled


# ---- Python read with libcst -------------------------------------------------------------------------------

@pytest.mark.parametrize("files, line", [
    ({**PULUMI, "__main__.py": b"# caf\xe9\nimport pulumi\n"}, 1),
    ({**PULUMI, "__main__.py": b"import pulumi\n\nname = 'caf\xe9'\n"}, 3),
    ({**PULUMI, "__main__.py": "x = " + "(" * 1500 + "1" + ")" * 1500 + "\n"}, 1),
    ({**PULUMI, "__main__.py": "import pulumi\nx = " + "1+" * 6000 + "1\n"}, None),
])
def test_python_that_is_not_utf_8_or_too_deep_for_the_parser_is_one_finding(tmp_path, files, line):
    report = check(tmp_path, files)
    found = about(report, "__main__.py")
    assert [rule for rule, _ in found] == ["IN001"] and (line is None or found[0][1] == line)


@pytest.mark.parametrize("program", [
    "import pulumi_aws as aws\nfor i in range(0, 10, 0):\n    aws.ec2.Instance(f'i{i}', instance_type='t3.micro')\n",
    "import pulumi_aws as aws\nfor i in range(10000000000000000000000000000):\n"
    "    aws.ec2.Instance(f'i{i}', instance_type='t3.micro')\n",
    "import pulumi_aws as aws\nn = " + "9" * 5000 + "\naws.ec2.Instance('i', instance_type='t3.micro', tags={'n': n})\n",
])
def test_pulumi_loops_and_numbers_the_program_could_not_run(tmp_path, program):
    report = check(tmp_path, {**PULUMI, "__main__.py": program})
    assert [rule for rule, _ in about(report, "__main__.py")] in ([], ["IN009"])


@pytest.mark.parametrize("call", [
    "ec2.Instance(self, 'i', instance_type=ec2.InstanceType.of(ec2.InstanceClass.T3))",
    "ec2.Instance(self, 'i', instance_type=ec2.InstanceType.of(1, 2, 3, 4))",
    "sqs.Queue(self, 'q', visibility_timeout=cdk.Duration.days(1e309))",
    "sqs.Queue(self, 'q', visibility_timeout=cdk.Duration.seconds(-1e309), retention_period=cdk.Duration.days('x'))",
])
def test_cdk_constructors_called_with_arguments_they_refuse(tmp_path, call):
    report = check(tmp_path, {**CDK, "app.py": CDK_HEAD + "        " + call + "\nS(app, 's')\n"})
    assert about(report, "app.py") == []


# ---- trees and rules -----------------------------------------------------------------------------------------

def test_a_directory_tree_nested_a_thousand_levels_deep(tmp_path):
    here = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(1100):  # one level at a time, relative to the last: the path is past what one call takes
            os.mkdir("d", dir_fd=here)
            inner = os.open("d", os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = inner
        fd = os.open("deep.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=here)
        os.write(fd, GOOD.replace("name: ok", "name: deep").encode())
        os.close(fd)
    finally:
        os.close(here)
    try:
        report = check(tmp_path, {})
    finally:
        _remove_deep(tmp_path / "d")  # pytest's own clean-up recurses, and would fail on it in a later session
    assert any(f["file"].endswith("/deep.yaml") for f in report["findings"])


def _remove_deep(top) -> None:
    """Remove a chain of single directories (each holding `d` and maybe files) without recursing."""
    chain = []
    here = os.open(top, os.O_RDONLY)
    while True:
        chain.append(here)
        try:
            here = os.open("d", os.O_RDONLY, dir_fd=here)
        except FileNotFoundError:
            break
    for fd in reversed(chain):
        for name in os.listdir(fd):
            if name == "d":
                os.rmdir(name, dir_fd=fd)
            else:
                os.unlink(name, dir_fd=fd)
        os.close(fd)
    os.rmdir(top)
