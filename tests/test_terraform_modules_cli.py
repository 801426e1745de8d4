"""Terraform as teams write it, through the real CLI: a root module calling modules, each finding about a value the
caller sets reported at the caller's line (the module's attribute and each place on the way as related locations),
modules `terraform init` installed read from .terraform/modules/modules.json, and a call archlint could not read
said (IN006) instead of a bare "No findings"."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tests.conftest import run_cli


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def check(root: Path, *args: str, fmt: str = "json"):
    done = run_cli("check", *args, "--format", fmt, cwd=root)
    assert done.returncode in (0, 1), done.stderr
    out = done.stdout.decode()
    return done, (json.loads(out) if fmt in ("json", "sarif") else out)


def by_rule(report: dict, rule: str) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule]


def related(finding: dict) -> list[tuple[str, int, str]]:
    return [(r["file"], r["line"], r["note"]) for r in finding["related"]]


DB_MODULE = {
    "modules/db/variables.tf": """
        variable "multi_az" {
          type    = bool
          default = true
        }
        variable "backup_days" {
          default = 14
        }
    """,
    "modules/db/main.tf": """
        locals {
          standby = var.multi_az
        }
        resource "aws_db_instance" "this" {
          identifier              = "orders"
          engine                  = "postgres"
          instance_class          = "db.m6g.large"
          multi_az                = local.standby
          backup_retention_period = var.backup_days
          deletion_protection     = true
          tags                    = { team = "orders" }
        }
    """,
}


def test_a_caller_argument_reaches_a_module_attribute_through_a_variable_and_a_local(tmp_path):
    write(tmp_path, {**DB_MODULE, "envs/prod/main.tf": """
        module "db" {
          source   = "../../modules/db"
          multi_az = false
        }
    """})
    done, report = check(tmp_path, ".")
    assert done.returncode == 1  # an error: the caller turned the standby off
    [standby] = by_rule(report, "FI020")
    # at the caller's `multi_az = false`, the line the user edits; the module's attribute, its local and the call
    # on the way, nearest first
    assert (standby["file"], standby["line"]) == ("envs/prod/main.tf", 3)
    assert related(standby) == [("modules/db/main.tf", 8, "module.db: aws_db_instance.this.multi_az"),
                                ("modules/db/main.tf", 2, "module.db: local.standby"),
                                ("envs/prod/main.tf", 1, 'module "db"')]
    assert standby["node"] == "terraform:module.db.aws_db_instance.this"
    assert "module.db.aws_db_instance.this" in standby["message"]
    # the module directory is called: judged through the call only, never on its own as well
    assert {f["node"] for f in report["findings"] if f["node"]} == {"terraform:module.db.aws_db_instance.this"}

    # the same chain in SARIF (relatedLocations) and in text ("via")
    _, sarif = check(tmp_path, ".", fmt="sarif")
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "FI020"]
    location = result["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == ("envs/prod/main.tf", 3)
    assert [(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"])
            for r in result["relatedLocations"]] == [("modules/db/main.tf", 8), ("modules/db/main.tf", 2),
                                                     ("envs/prod/main.tf", 1)]
    _, text = check(tmp_path, ".", fmt="text")
    assert "via modules/db/main.tf:8 (module.db: aws_db_instance.this.multi_az)" in " ".join(text.split())


def test_a_value_the_caller_does_not_set_is_reported_at_the_modules_default(tmp_path):
    module = {**DB_MODULE, "modules/db/variables.tf": DB_MODULE["modules/db/variables.tf"].replace(
        "default = true", "default = false")}
    write(tmp_path, {**module, "envs/prod/main.tf": 'module "db" {\n  source = "../../modules/db"\n}\n'})
    _, report = check(tmp_path, ".")
    [standby] = by_rule(report, "FI020")
    assert (standby["file"], standby["line"]) == ("modules/db/variables.tf", 3)  # `default = false`
    assert related(standby)[0] == ("modules/db/main.tf", 8, "module.db: aws_db_instance.this.multi_az")


def test_for_each_over_a_callers_map_judges_each_key_at_its_line_in_the_map(tmp_path):
    write(tmp_path, {
        "modules/dbs/main.tf": """
            variable "databases" {
              type = map(object({ class = string, multi_az = optional(bool, true) }))
            }
            resource "aws_db_instance" "this" {
              for_each                = var.databases
              identifier              = each.key
              engine                  = "postgres"
              instance_class          = each.value.class
              multi_az                = each.value.multi_az
              backup_retention_period = 14
              deletion_protection     = true
              tags                    = { team = each.key }
            }
        """,
        "main.tf": """
            module "dbs" {
              source = "./modules/dbs"
              databases = {
                orders = {
                  class    = "db.m6g.large"
                  multi_az = true
                }
                billing = {
                  class    = "db.r6g.large"
                  multi_az = false
                }
              }
            }
        """,
    })
    done, report = check(tmp_path, ".")
    assert report["summary"]["model"]["nodes"] == {"datastore": 2}
    [standby] = by_rule(report, "FI020")
    assert standby["node"] == 'terraform:module.dbs.aws_db_instance.this["billing"]'
    assert (standby["file"], standby["line"]) == ("main.tf", 10)  # billing's `multi_az = false`, in the caller's map
    assert related(standby)[0] == ("modules/dbs/main.tf", 9, "module.dbs: aws_db_instance.this.multi_az")
    assert 'module.dbs.aws_db_instance.this["billing"]' in standby["message"]
    run = run_cli("cost", ".", "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    # the cost table names each instance by its module address too, and prices each with its own class
    rows = {n["name"]: (n["team"], n["lines"][0]["formula"]) for n in json.loads(run.stdout)["nodes"]}
    assert rows == {
        'module.dbs.aws_db_instance.this["billing"]': ("billing", "1 x db.r6g.large: 2 vCPU x $0.1125 per hour x 730.5 h"),
        'module.dbs.aws_db_instance.this["orders"]': ("orders", "2 x db.m6g.large: 2 vCPU x $0.0795 per hour x 730.5 h")}


#: The registry module as `terraform init` downloads it: the package in .terraform/modules/<key>, its own
#: submodule called with a local source, and the manifest terraform writes (one line, the root module first).
INSTALLED = {
    ".terraform/modules/db/main.tf": """
        module "db_instance" {
          source   = "./modules/db_instance"
          multi_az = var.multi_az
        }
    """,
    ".terraform/modules/db/variables.tf": 'variable "multi_az" {\n  type    = bool\n  default = true\n}\n',
    ".terraform/modules/db/modules/db_instance/main.tf": """
        variable "multi_az" {
          type = bool
        }
        resource "aws_db_instance" "this" {
          identifier              = "orders"
          engine                  = "postgres"
          instance_class          = "db.m6g.large"
          multi_az                = var.multi_az
          backup_retention_period = 14
          deletion_protection     = true
          tags                    = { team = "orders" }
        }
    """,
}
MODULES_JSON = json.dumps({"Modules": [
    {"Key": "", "Source": "", "Dir": "."},
    {"Key": "db", "Source": "registry.terraform.io/terraform-aws-modules/rds/aws", "Version": "6.10.0",
     "Dir": ".terraform/modules/db"},
    {"Key": "db.db_instance", "Source": "./modules/db_instance", "Dir": ".terraform/modules/db/modules/db_instance"},
]}, separators=(",", ":"))


def test_modules_terraform_init_installed_are_read_through_modules_json(tmp_path):
    write(tmp_path, {**INSTALLED, ".terraform/modules/modules.json": MODULES_JSON, "main.tf": """
        module "db" {
          source   = "terraform-aws-modules/rds/aws"
          version  = "~> 6.10"
          multi_az = false
        }
    """})
    done, report = check(tmp_path, ".")
    assert done.returncode == 1
    assert report["summary"]["model"]["nodes"] == {"datastore": 1}  # .terraform is read for modules, never scanned
    [standby] = by_rule(report, "FI020")
    assert standby["node"] == "terraform:module.db.module.db_instance.aws_db_instance.this"
    assert (standby["file"], standby["line"]) == ("main.tf", 4)
    assert related(standby) == [
        (".terraform/modules/db/modules/db_instance/main.tf", 8,
         "module.db.module.db_instance: aws_db_instance.this.multi_az"),
        (".terraform/modules/db/main.tf", 3, 'module.db: module "db_instance" argument multi_az'),
        (".terraform/modules/db/main.tf", 1, 'module.db: module "db_instance"'),
        ("main.tf", 1, 'module "db"')]
    assert not by_rule(report, "IN006") and not by_rule(report, "IN007")


def test_an_unresolved_registry_module_is_reported_with_how_to_read_it_never_a_bare_no_findings(tmp_path):
    write(tmp_path, {"main.tf": """
        module "db" {
          source   = "terraform-aws-modules/rds/aws"
          version  = "~> 6.10"
          multi_az = false
        }
    """})
    done, report = check(tmp_path, ".")
    assert done.returncode == 0  # warnings: nothing was judged, nothing failed
    [unread] = by_rule(report, "IN006")
    assert (unread["file"], unread["line"], unread["severity"]) == ("main.tf", 2, "warning")
    assert unread["message"].startswith('module "db" (registry module "terraform-aws-modules/rds/aws" version '
                                        '"~> 6.10") was not read')
    assert "terraform init" in unread["fix"]
    [nothing] = by_rule(report, "IN007")
    assert "nothing was modelled" in nothing["message"]
    [counted] = [n for n in report["coverage"]["not_read"] if n["counter"] == "unread.terraform-modules"]
    assert counted["count"] == 1
    _, text = check(tmp_path, ".", fmt="text")
    assert "No findings" not in text and "IN006" in text and "1 Terraform module call not read" in text


#: A Cloud SQL module as the terraform-google-modules write one: backups in a dynamic block that a false
#: `enabled` in the variable's default object leaves out, a Terraform-level and an API-level deletion protection.
SQL_MODULE = {
    "modules/sql/variables.tf": """
        variable "backup_configuration" {
          type = object({ enabled = bool, retained_backups = number })
          default = {
            enabled          = false
            retained_backups = null
          }
        }
        variable "deletion_protection" {
          default = true
        }
        variable "deletion_protection_enabled" {
          default = false
        }
        variable "is_replica" {
          default = false
        }
    """,
    "modules/sql/main.tf": """
        resource "google_sql_database_instance" "default" {
          name                = "orders"
          region              = "europe-west1"
          database_version    = "POSTGRES_16"
          deletion_protection = var.deletion_protection
          settings {
            tier                        = "db-custom-2-7680"
            availability_type           = "REGIONAL"
            deletion_protection_enabled = var.deletion_protection_enabled
            user_labels                 = { team = "orders" }
            dynamic "backup_configuration" {
              for_each = !var.is_replica && var.backup_configuration.enabled ? [var.backup_configuration] : []
              content {
                enabled = backup_configuration.value.enabled
              }
            }
          }
        }
    """,
}


def test_backups_a_dynamic_block_leaves_out_are_reported_where_they_are_turned_off_in_cloud_sqls_words(tmp_path):
    write(tmp_path, {**SQL_MODULE, "main.tf": """
        module "sql" {
          source              = "./modules/sql"
          deletion_protection = false
        }
    """})
    _, report = check(tmp_path, ".")
    [backups] = by_rule(report, "FI024")
    # the `enabled = false` of the variable's default decides the `&&` that leaves the block out
    assert (backups["file"], backups["line"]) == ("modules/sql/variables.tf", 4)
    assert related(backups) == [
        ("modules/sql/main.tf", 11,
         "module.sql: google_sql_database_instance.default.settings.backup_configuration (dynamic, for_each empty)"),
        ("main.tf", 1, 'module "sql"')]
    assert backups["message"].endswith("keeps no automated backups (backups are not enabled in its "
                                       "backup_configuration)")
    assert "backup_configuration { enabled = true }" in backups["fix"]
    [protection] = by_rule(report, "FI025")
    assert (protection["file"], protection["line"]) == ("main.tf", 3)
    assert protection["message"].endswith("it keeps no backups: nothing of its data would remain")

    # the API-level deletion protection refuses the delete as well: no FI025
    (tmp_path / "main.tf").write_text('module "sql" {\n  source = "./modules/sql"\n  deletion_protection = false\n'
                                      '  deletion_protection_enabled = true\n}\n')
    _, report = check(tmp_path, ".")
    assert not by_rule(report, "FI025")


def test_a_missing_team_tag_is_reported_where_the_caller_writes_its_tags(tmp_path):
    write(tmp_path, {
        "modules/cache/main.tf": """
            variable "tags" {
              default = {}
            }
            locals {
              tags = merge(var.tags, { terraform-module = "cache" })
            }
            resource "aws_elasticache_replication_group" "this" {
              replication_group_id       = "sessions"
              description                = "sessions"
              node_type                  = "cache.m6g.large"
              num_cache_clusters         = 2
              automatic_failover_enabled = true
              multi_az_enabled           = true
              tags                       = local.tags
            }
        """,
        "main.tf": """
            locals {
              tags = {
                Example = "sessions"
              }
            }
            module "cache" {
              source = "./modules/cache"
              tags   = local.tags
            }
        """,
    })
    _, report = check(tmp_path, ".", "--select", "CO020")
    [untagged] = report["findings"]
    # merge(var.tags, {...}): the map passed in is what the user edits, in the caller's locals
    assert (untagged["file"], untagged["line"]) == ("main.tf", 2)
    assert [r[:2] for r in related(untagged)] == [("modules/cache/main.tf", 14), ("modules/cache/main.tf", 5),
                                                  ("main.tf", 8), ("main.tf", 6)]
    # Cloud SQL's labels are settings.user_labels: the SQL module's team label counts
    sql = tmp_path / "sql"
    write(sql, {**SQL_MODULE, "main.tf": 'module "sql" {\n  source = "./modules/sql"\n}\n'})
    _, report = check(sql, ".", "--select", "CO020")
    assert report["findings"] == []


def test_a_standalone_redis_cluster_is_reported_at_the_resource_the_caller_chose_not_at_num_cache_nodes(tmp_path):
    write(tmp_path, {
        "modules/cache/main.tf": """
            variable "num_cache_nodes" {
              default = 1
            }
            resource "aws_elasticache_cluster" "this" {
              cluster_id      = "sessions"
              engine          = "redis"
              node_type       = "cache.t4g.small"
              num_cache_nodes = var.num_cache_nodes
              tags            = { team = "shop" }
            }
        """,
        "main.tf": 'module "cache" {\n  source = "./modules/cache"\n}\n',
    })
    _, report = check(tmp_path, ".", "--select", "FI021")
    [single] = report["findings"]
    # num_cache_nodes must be 1 for Redis: the remedy is a replication group, so the finding is at the resource
    assert (single["file"], single["line"]) == ("modules/cache/main.tf", 4)
    assert related(single) == [("main.tf", 1, 'module "cache"')]
    assert "aws_elasticache_replication_group" in single["fix"]
