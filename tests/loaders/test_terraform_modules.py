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


# ---- values traced to the line that sets them ------------------------------------------------------------------


def places(span) -> list[tuple[str, int]]:
    return [(span.file, span.line), *((p.file, p.line) for p in span.via)]


def test_a_caller_argument_flows_into_a_module_attribute_through_a_variable_and_a_local(tmp_path):
    write(tmp_path, {
        "modules/db/variables.tf": """
            variable "multi_az" {
              type    = bool
              default = true
            }
            variable "backup_days" {
              default = 7
            }
        """,
        "modules/db/main.tf": """
            locals {
              standby = var.multi_az
            }
            resource "aws_db_instance" "this" {
              instance_class          = "db.m6g.large"
              multi_az                = local.standby
              backup_retention_period = var.backup_days
            }
        """,
        "envs/prod/main.tf": """
            module "db" {
              source   = "../../modules/db"
              multi_az = false
            }
        """,
    })
    result = check(tmp_path)
    db = result.model.component("terraform:module.db.aws_db_instance.this")
    assert db.name == "module.db.aws_db_instance.this"
    ha = db.points["high_availability"]
    # reported at the caller's argument; the module's attribute and its local are on the way, with what they are
    assert places(ha) == [("envs/prod/main.tf", 3), ("modules/db/main.tf", 6), ("modules/db/main.tf", 2),
                          ("envs/prod/main.tf", 1)]
    assert [p.note for p in ha.via] == ["module.db: aws_db_instance.this.multi_az", "module.db: local.standby",
                                        'module "db"']
    # a value the caller does not set is reported at the variable's default, the attribute and the call on the way
    assert places(db.points["backup_retention_days"]) == [("modules/db/variables.tf", 6), ("modules/db/main.tf", 7),
                                                          ("envs/prod/main.tf", 1)]
    # the resource itself shows the call that made it
    assert places(db.span) == [("modules/db/main.tf", 4), ("envs/prod/main.tf", 1)]


def test_for_each_over_a_callers_map_makes_one_node_per_key_with_each_value(tmp_path):
    write(tmp_path, {
        "modules/eks/main.tf": """
            variable "node_groups" {
              type = map(any)
            }
            resource "aws_eks_node_group" "this" {
              for_each       = var.node_groups
              node_group_name = each.key
              instance_types = [try(each.value.instance_type, "m6i.large")]
              capacity_type  = one([for c in [lookup(each.value, "capacity", "ON_DEMAND")] : c])
              scaling_config {
                min_size     = each.value.min
                max_size     = try(each.value.max, each.value.min)
                desired_size = each.value.min
              }
            }
        """,
        "main.tf": """
            module "eks" {
              source = "./modules/eks"
              node_groups = {
                general = {
                  min = 3
                  max = 10
                }
                gpu = {
                  min           = 1
                  instance_type = "g5.xlarge"
                  capacity      = "SPOT"
                }
              }
            }
        """,
    })
    result = check(tmp_path)
    assert ids(result) == ['terraform:module.eks.aws_eks_node_group.this["general"]',
                           'terraform:module.eks.aws_eks_node_group.this["gpu"]']
    general = result.model.component('terraform:module.eks.aws_eks_node_group.this["general"]')
    gpu = result.model.component('terraform:module.eks.aws_eks_node_group.this["gpu"]')
    assert (general.replicas, general.autoscaling.max_replicas, general.attrs["instance_type"]) == (3, 10, "m6i.large")
    assert (gpu.replicas, gpu.autoscaling.max_replicas, gpu.attrs["instance_type"], gpu.attrs["spot"]) == \
        (1, 1, "g5.xlarge", True)
    assert places(gpu.replicas_span)[0] == ("main.tf", 9)  # min = 1, in the caller's map
    assert places(general.points["instance_type"])[0] == ("modules/eks/main.tf", 7)  # the module's fallback


def test_module_for_each_dynamic_blocks_and_count_one(tmp_path):
    write(tmp_path, {
        "modules/app/main.tf": """
            variable "size" {}
            variable "create" {
              default = true
            }
            variable "zones" {
              default = []
            }
            resource "aws_autoscaling_group" "this" {
              count            = var.create ? 1 : 0
              name             = "app-${count.index}"
              min_size         = var.size
              max_size         = var.size * 2
              desired_capacity = var.size
              dynamic "tag" {
                for_each = { team = "shop", tier = "web" }
                content {
                  key                 = tag.key
                  value               = tag.value
                  propagate_at_launch = true
                }
              }
              dynamic "instance_refresh" {
                for_each = var.zones
                content {
                  strategy = "Rolling"
                }
              }
            }
        """,
        "main.tf": """
            module "app" {
              source   = "./modules/app"
              for_each = { web = 3, api = 2 }
              size     = each.value
            }
        """,
    })
    result = check(tmp_path)
    assert ids(result) == ['terraform:module.app["api"].aws_autoscaling_group.this',
                           'terraform:module.app["web"].aws_autoscaling_group.this']
    web = result.model.component('terraform:module.app["web"].aws_autoscaling_group.this')
    assert (web.replicas, web.autoscaling.max_replicas, web.owner) == (3, 6, "shop")
    assert places(web.replicas_span)[0] == ("main.tf", 3)  # each.value comes from the for_each map
    assert "instance_refresh" not in web.attrs.get("unknown", [])


def test_the_arguments_of_an_unread_vpc_module_still_say_it_makes_one_nat_gateway(tmp_path):
    write(tmp_path, {"main.tf": """
        locals {
          azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
        }
        module "vpc" {
          source             = "terraform-aws-modules/vpc/aws"
          version            = "~> 5.0"
          azs                = local.azs
          private_subnets    = [for k, v in local.azs : cidrsubnet("10.0.0.0/16", 8, k)]
          enable_nat_gateway = true
          single_nat_gateway = true
          tags               = { team = "network" }
        }
        module "vpc_per_zone" {
          source                 = "terraform-aws-modules/vpc/aws"
          azs                    = local.azs
          private_subnets        = ["10.1.1.0/24", "10.1.2.0/24"]
          enable_nat_gateway     = true
          one_nat_gateway_per_az = true
        }
    """})
    result = check(tmp_path)
    assert ids(result) == ["terraform:module.vpc.aws_nat_gateway.this"]
    nat = result.model.component("terraform:module.vpc.aws_nat_gateway.this")
    assert (nat.attrs["private_subnets"], nat.attrs["private_subnet_zones"], nat.owner) == (3, 3, "network")
    assert nat.replicas_span.line == 10 and nat.entrypoint is False  # single_nat_gateway = true; traffic leaves by it
    # both calls are still said as not read, and the scan left more unread than it modelled
    assert sorted(f.rule for f in result.findings) == ["IN006", "IN006", "IN007"]


# ---- a module repository: its examples, and the module on its own ---------------------------------------------

MODULE_REPO = {
    "terraform-aws-widgets/modules/db/main.tf": """
        variable "multi_az" {
          default = false
        }
        resource "aws_db_instance" "this" {
          instance_class      = "db.m6g.large"
          multi_az            = var.multi_az
          deletion_protection = true
        }
    """,
    "terraform-aws-widgets/examples/complete/main.tf": """
        module "db" {
          source   = "acme/widgets/aws//modules/db"
          version  = "~> 1.0"
          multi_az = true
        }
    """,
}


def test_a_registry_source_naming_the_repository_itself_is_read_from_it(tmp_path):
    write(tmp_path, MODULE_REPO)
    result = check(tmp_path / "terraform-aws-widgets" / "examples" / "complete")
    assert ids(result) == ["terraform:module.db.aws_db_instance.this"]
    db = result.model.component("terraform:module.db.aws_db_instance.this")
    assert db.span.file == "../../modules/db/main.tf" and db.attrs["high_availability"] is True
    assert result.findings == [] and result.stats["terraform.modules-from-this-repository"] == 1


def test_module_sources_of_the_configuration_and_modules_judged_on_their_own(tmp_path):
    from archlint.loaders.layout import Layout, TerraformSettings

    write(tmp_path, {**{k.replace("terraform-aws-widgets", "widgets"): v for k, v in MODULE_REPO.items()}})
    root = tmp_path / "widgets"
    settings = TerraformSettings(module_sources={"acme/widgets/aws": str(root)})
    through_calls = load(discover([root], root), layout=Layout(terraform=settings))
    assert ids(through_calls) == ["terraform:module.db.aws_db_instance.this"]  # the directory is called: not a root
    alone = load(discover([root], root), layout=Layout(terraform=TerraformSettings(True, settings.module_sources)))
    assert ids(alone) == ["terraform:aws_db_instance.this", "terraform:module.db.aws_db_instance.this"]
    on_its_own = alone.model.component("terraform:aws_db_instance.this")
    assert on_its_own.attrs["high_availability"] is False  # its own default
    assert on_its_own.points["high_availability"].file == "modules/db/main.tf"


def test_a_boolean_passed_on_by_not_and_or_is_traced_to_the_operand_that_decides_it(tmp_path):
    write(tmp_path, {
        "modules/db/main.tf": """
            variable "create_standby" {
              default = true
            }
            variable "single_az" {
              default = false
            }
            variable "env" {
              default = "prod"
            }
            resource "aws_db_instance" "this" {
              instance_class      = "db.m6g.large"
              multi_az            = !var.single_az && var.create_standby
              deletion_protection = var.env == "prod"
              storage_encrypted   = var.create_standby || var.single_az
            }
        """,
        "main.tf": """
            module "db" {
              source         = "./modules/db"
              create_standby = false
              env            = "dev"
            }
        """,
    })
    db = check(tmp_path).model.component("terraform:module.db.aws_db_instance.this")
    # `false && ...`: the caller's create_standby; the module's expression on the way
    assert places(db.points["high_availability"])[:2] == [("main.tf", 3), ("modules/db/main.tf", 12)]
    # a comparison is computed where it is written (the caller's env only feeds it)
    assert places(db.points["deletion_protection"])[0] == ("modules/db/main.tf", 13)


def test_an_element_a_for_expression_passes_on_is_traced_to_its_place_in_the_callers_list(tmp_path):
    write(tmp_path, {
        "modules/sql/main.tf": """
            variable "read_replicas" {
              default = []
            }
            locals {
              replicas = { for x in var.read_replicas : "orders-${x.name}" => x }
            }
            resource "google_sql_database_instance" "replicas" {
              for_each         = local.replicas
              region           = "europe-west1"
              database_version = "POSTGRES_16"
              settings {
                tier              = each.value.tier
                availability_type = lookup(each.value, "availability_type", "ZONAL")
              }
            }
        """,
        "main.tf": """
            module "sql" {
              source = "./modules/sql"
              read_replicas = [
                {
                  name = "r1"
                  tier = "db-custom-1-3840"
                },
                {
                  name              = "r2"
                  tier              = "db-custom-2-7680"
                  availability_type = "REGIONAL"
                },
              ]
            }
        """,
    })
    result = check(tmp_path)
    r2 = result.model.component('terraform:module.sql.google_sql_database_instance.replicas["orders-r2"]')
    # each.value.tier of "orders-r2": the second element of the caller's list, through the local's `for`
    assert places(r2.points["instance_type"])[:1] == [("main.tf", 10)]
    assert ("modules/sql/main.tf", 5) in places(r2.points["instance_type"])
    r1 = result.model.component('terraform:module.sql.google_sql_database_instance.replicas["orders-r1"]')
    assert places(r1.points["instance_type"])[0] == ("main.tf", 6)
