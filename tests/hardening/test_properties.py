"""Property tests: whatever bytes a file holds, loading it yields findings, never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.rules import all_rules

RULES = all_rules()

_YAML_TOKENS = st.sampled_from([
    "apiVersion: apps/v1\n", "kind: Deployment\n", "kind: Service\n", "kind: ServiceGraph\n", "metadata:\n",
    "  name: a\n", "spec:\n", "  replicas: ", "  selector: {matchLabels: {app: a}}\n", "  template:\n",
    "    spec:\n", "      containers:\n", "        - name: c\n", "          image: x\n", "---\n", "- ", "[", "]", "{",
    "}", ": ", ", ", "&a ", "*a ", "!Ref ", "!!binary ", "<<: *a\n", "'", '"', "#", "\t", "\n", "1", "-1", "1e9",
    "null", "~", "true", "500m", "2Gi", "${x}", "{{ .Values.x }}", "\x00", "\u00e9", "\ud7ff",
    "  components:\n", "    - name: a\n", "      dependencies: [{target: b}]\n", "Resources:\n", "  Type: AWS::S3::Bucket\n",
])
_HCL_TOKENS = st.sampled_from([
    'resource "aws_instance" "x" {', 'resource "aws_db_instance" "d" {', "}", "{", "\n", 'instance_type = "t3.micro"',
    "count = 3", "count = var.n", 'variable "n" {', "default = 2", "for_each = toset([\"a\", \"b\"])",
    'module "m" {', 'source = "./m"', "locals {", "x = local.x", "${", "\"", "[", "]", "(", ")", "=", ",", "#",
    "/*", "*/", "<<EOF\n", "EOF\n", "dynamic \"d\" {", "content {", "each.value", "lookup(", "1.5", "true", "null",
])
_PY_TOKENS = st.sampled_from([
    "import requests\n", "import boto3\n", "requests.get(url)\n", "requests.get(url, timeout=3)\n",
    "while True:\n", "    try:\n", "        call()\n", "    except Exception:\n", "        time.sleep(1)\n",
    "boto3.client('s3')\n", "def f(:\n", "(", ")", "\n", "    ", "\x00", "'''", "from pulumi_aws import ec2\n",
    "ec2.Instance('x', instance_type='t3.micro')\n", "class A(:\n", "lambda: (yield)\n",
])


def _load(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        paths = []
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
            paths.append(SourcePath(root / name, name))
        loaded = load(paths)
        analyze(loaded, Config(), RULES)  # the rules must take whatever the loaders made of it


_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["a.yaml", "a.json", "main.tf", "a.template", "terraform.tfvars"]))
def test_random_bytes_in_any_format(data, name):
    _load({name: data})


@_SETTINGS
@given(st.lists(_YAML_TOKENS, max_size=60).map("".join))
def test_yaml_shaped_text(text):
    _load({"a.yaml": text.encode("utf-8", "surrogatepass"), "b.json": text.encode("utf-8", "surrogatepass")})


@_SETTINGS
@given(st.lists(_HCL_TOKENS, max_size=60).map(" ".join))
def test_hcl_shaped_text(text):
    _load({"main.tf": text.encode(), "m/main.tf": text.encode()})


@_SETTINGS
@given(st.lists(_PY_TOKENS, max_size=40).map("".join))
def test_python_shaped_text_in_a_source_directory(text):
    graph = (b"apiVersion: archlint.dev/v1\nkind: ServiceGraph\nspec:\n  components:\n"
             b"    - {name: svc, kind: service, source: svc}\n")
    _load({"graph.yaml": graph, "svc/app.py": text.encode("utf-8", "surrogatepass"),
           "__main__.py": text.encode("utf-8", "surrogatepass")})
