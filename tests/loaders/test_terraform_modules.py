"""Terraform module calls: local sources wherever they are, modules `terraform init` installed, and every call
archlint could not read said once (IN006), with a scan that modelled nothing said too (IN007)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def check(scanned: Path, root: Path | None = None):
    """Load `scanned` as `archlint check scanned` does, names relative to `root` (default: `scanned` itself)."""
    root = root or scanned
    return load(discover([scanned], root))


def ids(result) -> list[str]:
    return sorted(c.id for c in result.model.components())


def rules(result) -> list[tuple[str, str, int]]:
    return sorted((f.rule, f.file, f.line) for f in result.findings)


# ---- calls that are not read -----------------------------------------------------------------------------------

REGISTRY_CALL = """
    module "vpc" {
      source  = "terraform-aws-modules/vpc/aws"
      version = "~> 5.0"
    }
"""


def test_an_unresolved_registry_module_is_reported_once_per_call_not_silent(tmp_path):
    write(tmp_path, {
        "main.tf": """
            module "east" {
              source = "./network"
            }
            module "west" {
              source = "./network"
            }
            resource "aws_sqs_queue" "jobs" {
              name = "jobs"
            }
        """,
        "network/main.tf": REGISTRY_CALL,
    })
    result = check(tmp_path)
    # two instances of ./network, one call: one finding, at its source line
    assert rules(result) == [("IN006", "network/main.tf", 2)]
    [finding] = result.findings
    assert finding.message.startswith('module "vpc" (registry module "terraform-aws-modules/vpc/aws" version "~> 5.0") '
                                      "was not read")
    assert "there is no .terraform/modules/modules.json" in finding.message
    assert "`terraform init`" in finding.fix
    assert result.stats["unread.terraform-modules"] == 1
    assert ids(result) == ["terraform:aws_sqs_queue.jobs"]


def test_git_and_computed_sources_are_said_in_their_own_words(tmp_path):
    write(tmp_path, {"main.tf": """
        module "git" {
          source = "git::https://example.com/network.git?ref=v1.2.0"
        }
        module "computed" {
          source = "${path.module}/db"
        }
        resource "aws_sqs_queue" "jobs" {
          name = "jobs"
        }
    """})
    messages = {f.line: f.message for f in check(tmp_path).findings if f.rule == "IN006"}
    assert messages[2].startswith('module "git" (module from a git repository "git::https://example.com/network.git'
                                  '?ref=v1.2.0") was not read')
    assert "not a literal string" in messages[5]


def test_a_scan_that_models_nothing_says_so(tmp_path):
    write(tmp_path, {"main.tf": REGISTRY_CALL + """
        resource "aws_iam_role" "deploy" {
          name = "deploy"
        }
    """})
    result = check(tmp_path)
    assert rules(result) == [("IN006", "main.tf", 2), ("IN007", "main.tf", 1)]
    nothing = next(f for f in result.findings if f.rule == "IN007")
    assert nothing.message == ("1 Terraform file read, nothing was modelled: 1 module call not read (IN006); "
                               "1 resource of types archlint does not model (aws_iam_role)")


# ---- local sources ---------------------------------------------------------------------------------------------


def test_a_local_module_outside_the_scanned_paths_is_read_through_the_call_and_not_scanned(tmp_path):
    write(tmp_path, {
        "main.tf": """
            variable "multi_az" {
              default = true
            }
            resource "aws_db_instance" "this" {
              instance_class = "db.t3.micro"
              multi_az       = var.multi_az
            }
        """,
        "examples/complete/main.tf": """
            module "db" {
              source   = "../../"
              multi_az = false
            }
        """,
    })
    result = check(tmp_path / "examples" / "complete")
    assert ids(result) == ["terraform:module.db.aws_db_instance.this"]
    db = result.model.component("terraform:module.db.aws_db_instance.this")
    assert db.span.file == "../../main.tf" and db.attrs["high_availability"] is False
    assert result.findings == []
    assert "../../main.tf" in result.sources  # its suppression comments count too
    assert result.stats["terraform.files-outside-scan"] == 1


def test_a_local_source_that_leaves_the_git_repository_is_not_followed(tmp_path):
    write(tmp_path, {
        "outside/main.tf": 'resource "aws_sqs_queue" "secret" {\n  name = "x"\n}\n',
        "repo/main.tf": 'module "x" {\n  source = "../outside"\n}\nresource "aws_sqs_queue" "q" {\n  name = "q"\n}\n',
    })
    (tmp_path / "repo" / ".git").mkdir()
    result = check(tmp_path / "repo")
    assert ids(result) == ["terraform:aws_sqs_queue.q"]
    [finding] = result.findings
    assert finding.rule == "IN006" and "outside the git repository" in finding.message


# ---- modules terraform init installed --------------------------------------------------------------------------


def manifest(*entries: tuple[str, str, str]) -> str:
    modules = [{"Key": "", "Source": "", "Dir": "."}]
    for key, source, directory in entries:
        entry = {"Key": key, "Source": source, "Dir": directory}
        if source.startswith("registry."):
            entry["Version"] = "6.1.0"
        modules.append(entry)
    return json.dumps({"Modules": modules})


RDS_MODULE = {
    # the registry module, as `terraform init` downloads it, calling its own submodule with a local source
    ".terraform/modules/db/main.tf": """
        module "db_instance" {
          source   = "./modules/db_instance"
          multi_az = var.multi_az
        }
    """,
    ".terraform/modules/db/variables.tf": 'variable "multi_az" {\n  default = true\n}\n',
    ".terraform/modules/db/modules/db_instance/main.tf": """
        variable "multi_az" {}
        resource "aws_db_instance" "this" {
          instance_class = "db.m6g.large"
          multi_az       = var.multi_az
        }
    """,
    ".terraform/modules/queue/main.tf": 'resource "aws_sqs_queue" "this" {\n  name = "jobs"\n}\n',
}
CALLER = """
    module "db" {
      source   = "terraform-aws-modules/rds/aws"
      version  = "~> 6.1"
      multi_az = false
    }
    module "queue" {
      source = "git::https://github.com/acme/queue.git?ref=v2.0.0"
    }
"""


def test_modules_terraform_init_installed_are_read_from_modules_json(tmp_path):
    write(tmp_path, {"main.tf": CALLER, **RDS_MODULE, ".terraform/modules/modules.json": manifest(
        ("db", "registry.terraform.io/terraform-aws-modules/rds/aws", ".terraform/modules/db"),
        ("db.db_instance", "./modules/db_instance", ".terraform/modules/db/modules/db_instance"),
        ("queue", "git::https://github.com/acme/queue.git?ref=v2.0.0", ".terraform/modules/queue"),
    )})
    result = check(tmp_path)
    assert ids(result) == ["terraform:module.db.module.db_instance.aws_db_instance.this",
                           "terraform:module.queue.aws_sqs_queue.this"]
    db = result.model.component("terraform:module.db.module.db_instance.aws_db_instance.this")
    assert db.attrs["high_availability"] is False  # the caller's multi_az, through the registry module
    assert db.span.file == ".terraform/modules/db/modules/db_instance/main.tf"
    assert result.findings == []
    assert result.stats["terraform.installed-modules"] == 2


def test_a_manifest_that_does_not_match_the_call_or_leaves_terraform_modules_is_not_followed(tmp_path):
    write(tmp_path, {"main.tf": CALLER, **RDS_MODULE, ".terraform/modules/modules.json": manifest(
        ("db", "registry.terraform.io/terraform-aws-modules/rds/aws", "../../etc"),
        ("queue", "git::https://github.com/acme/queue.git?ref=v1.0.0", ".terraform/modules/queue"),
    )})
    result = check(tmp_path)
    assert ids(result) == []
    messages = {f.line: f.message for f in result.findings if f.rule == "IN006"}
    assert "missing or outside .terraform/modules" in messages[2]
    assert "the source changed after terraform init ran" in messages[7]
