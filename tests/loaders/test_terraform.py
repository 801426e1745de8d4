"""The Terraform loader: modules, variables and tfvars, expressions, count, references, spans and broken files."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import UNREADABLE, load
from archlint.loaders.terraform import configuration, syntax
from archlint.loaders.terraform.modules import Instance, Module
from archlint.loaders.terraform.resolve import Context
from archlint.model import EdgeKind, NodeKind, Span
from tests.conftest import REPO

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "terraform"
SHOP = FIXTURES / "shop"


def load_dir(root: Path):
    return load(discover([root], root))


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the one line of `path` that contains `needle`."""
    lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text]
    assert len(lines) == 1, f"{needle!r} found on lines {lines} of {path}"
    return lines[0]


def line_after(path: Path, anchor: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle` after the line containing `anchor`."""
    start = line_of(path, anchor)
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if n > start and needle in text)


@pytest.fixture(scope="module")
def shop():
    return load_dir(SHOP)


@pytest.fixture(scope="module")
def shop_resources():
    """The CloudResources the loader builds for the shop, by address (before the shared mapping)."""
    built = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(configuration, "add_resources", lambda resources, builder: built.extend(resources) or {})
        load_dir(SHOP)
    return {r.address: r for r in built}


def node(result, address):
    return result.model.component(f"terraform:{address}")


# ---- the realistic fixture -------------------------------------------------------------------------------------


def test_every_mapped_resource_becomes_a_node_with_its_kind(shop):
    kinds = {c.id: c.kind for c in shop.model.components()}
    assert kinds == {
        "terraform:aws_autoscaling_group.web": NodeKind.SERVICE,
        "terraform:aws_instance.worker": NodeKind.SERVICE,
        "terraform:aws_elasticache_replication_group.sessions": NodeKind.CACHE,
        "terraform:aws_db_instance.analytics": NodeKind.DATASTORE,
        "terraform:module.db.aws_db_instance.this": NodeKind.DATASTORE,
        "terraform:module.db.aws_db_instance.replica": NodeKind.DATASTORE,
        "terraform:google_sql_database_instance.billing": NodeKind.DATASTORE,
        "terraform:azurerm_kubernetes_cluster.main": NodeKind.CLUSTER,
        "terraform:azurerm_kubernetes_cluster_node_pool.gpu": NodeKind.NODE_POOL,
        # the cluster's default_node_pool block is a node pool of its own
        "terraform:azurerm_kubernetes_cluster.main.default_node_pool": NodeKind.NODE_POOL,
    }
    # The registry's vpc module (no terraform init) and ../search-module (not there) are said, once each.
    assert [(f.rule, f.file, f.line) for f in shop.findings] == [
        ("IN006", "main.tf", line_of(SHOP / "main.tf", 'source  = "terraform-aws-modules/vpc/aws"')),
        ("IN006", "main.tf", line_of(SHOP / "main.tf", 'source = "../search-module"')),
    ]


def test_stats_count_resources_and_what_was_skipped(shop):
    stats = shop.stats
    # 11 resources: the 9 above, a launch template and a DB subnet group (types archlint does not map)
    assert stats["documents.terraform"] == 11 and stats["documents"] == 11
    assert stats["terraform.modules"] == 1  # ./modules/rds
    assert stats["unread.terraform-modules"] == 2  # the registry's vpc module, ../search-module (not on disk)
    assert stats["skipped.terraform-zero-count"] == 1  # the migrator: count = 0 in prod
    assert stats["files"] == 11


def test_auto_tfvars_override_terraform_tfvars_which_override_defaults(shop):
    sessions = node(shop, "aws_elasticache_replication_group.sessions")
    assert sessions.attrs["instance_type"] == "cache.r6g.large"  # prod.auto.tfvars
    assert sessions.replicas == 2  # environment = "prod" (auto) over "staging" (tfvars) over "dev" (default)
    assert node(shop, "module.db.aws_db_instance.this").attrs["instance_type"] == "db.r6g.large"  # terraform.tfvars
    assert node(shop, "aws_autoscaling_group.web").region == "eu-west-1"  # terraform.tfvars over the default


@pytest.mark.parametrize("files, expected", [
    ({}, "dev"),
    ({"terraform.tfvars": 'environment = "staging"\n'}, "staging"),
    ({"terraform.tfvars": 'environment = "staging"\n', "prod.auto.tfvars": 'environment = "prod"\n'}, "prod"),
    ({"a.auto.tfvars": 'environment = "a"\n', "b.auto.tfvars": 'environment = "b"\n'}, "b"),
    ({"prod.tfvars": 'environment = "prod"\n'}, "dev"),  # only given with -var-file: not read
], ids=["default", "tfvars", "auto-tfvars", "auto-in-name-order", "var-file-ignored"])
def test_variable_precedence(load_yaml, files, expected):
    main = """
        variable "environment" {
          default = "dev"
        }
        resource "aws_sqs_queue" "jobs" {
          name = "${var.environment}-jobs"
          tags = { Environment = var.environment }
        }
    """
    result = load_yaml({"main.tf": main, **files})
    assert node(result, "aws_sqs_queue.jobs").labels == {"Environment": expected}


def test_local_module_is_expanded_with_its_arguments(shop):
    db = node(shop, "module.db.aws_db_instance.this")
    child = SHOP / "modules" / "rds" / "main.tf"
    assert (db.span.file, db.span.line) == ("modules/rds/main.tf", line_of(child, 'resource "aws_db_instance" "this"'))
    assert db.attrs["address"] == "module.db.aws_db_instance.this"
    assert db.attrs["high_availability"] is True  # multi_az = var.multi_az, bound to local.is_prod
    assert db.attrs["backup_retention_days"] == 7  # the child's own default
    assert db.labels["Service"] == "orders" and db.owner == "platform"  # merge(local.common_tags, {...})
    # multi_az is written where local.is_prod computes it; the child's attribute and the call's argument are on the way
    ha = db.points["high_availability"]
    assert (ha.file, ha.line) == ("locals.tf", line_of(SHOP / "locals.tf", "is_prod     ="))
    assert [(p.file, p.line, p.note) for p in ha.via] == [
        ("modules/rds/main.tf", line_of(child, "multi_az                = var.multi_az"),
         "module.db: aws_db_instance.this.multi_az"),
        ("main.tf", line_of(SHOP / "main.tf", "multi_az       = local.is_prod"), 'module "db" argument multi_az'),
        ("main.tf", line_of(SHOP / "main.tf", 'module "db" {'), 'module "db"'),  # the call that made the resource
    ]


def test_count_and_for_each_become_replicas(shop, shop_resources):
    worker = node(shop, "aws_instance.worker")
    assert worker.replicas == 3  # for_each = toset(var.zones)
    # the number of instances is written in the zones' default; the for_each is on the way
    assert (worker.replicas_span.file, worker.replicas_span.line) == \
        ("variables.tf", line_of(SHOP / "variables.tf", 'default = ["eu-west-1a"'))
    assert worker.replicas_span.via[0].line == line_of(SHOP / "main.tf", "for_each = toset(var.zones)")
    # count = var.replicas <- var.db_read_replicas (prod.auto.tfvars): what the loader hands to the shared mapping
    assert shop_resources["module.db.aws_db_instance.replica"].count == 2
    assert shop_resources["aws_instance.worker"].count == 3
    assert shop_resources["aws_db_instance.analytics"].count is None
    assert "aws_instance.migrator" not in shop_resources  # count = 0


def test_blocks_are_nested_props_with_spans_by_dotted_path(shop_resources):
    billing = shop_resources["google_sql_database_instance.billing"]
    backups = billing.props["settings"]["backup_configuration"]
    assert backups == {"enabled": True, "point_in_time_recovery_enabled": True}
    assert billing.at("settings.backup_configuration.enabled").line == line_of(SHOP / "gcp.tf", "enabled   ")
    assert billing.span == Span("gcp.tf", 1, note="google_sql_database_instance.billing")
    assert billing.region == "europe-west1"
    web = shop_resources["aws_autoscaling_group.web"]
    assert [tag["key"] for tag in web.props["tag"]] == ["Name", "Role"]  # a repeated block is a list
    assert web.props["launch_template"] == {"id": UNKNOWN, "version": "$Latest"}  # another resource's attribute
    uses = line_of(SHOP / "main.tf", "id      = aws_launch_template.web.id")
    assert web.references == [("aws_launch_template.web", Span("main.tf", uses))]
    assert web.at("min_size").line == line_of(SHOP / "main.tf", "min_size            =")


def test_facts_of_autoscaling_groups_caches_cloud_sql_and_node_pools(shop):
    web = node(shop, "aws_autoscaling_group.web")
    assert (web.autoscaling.min_replicas, web.autoscaling.max_replicas) == (3, 12)
    assert web.replicas == 3 and web.attrs["subnet_count"] == 3
    assert web.labels["Role"] == "web" and web.labels["Team"] == "platform"  # tag blocks and provider default_tags
    sessions = node(shop, "aws_elasticache_replication_group.sessions")
    assert sessions.attrs["automatic_failover"] is True and sessions.attrs["high_availability"] is True
    billing = node(shop, "google_sql_database_instance.billing")
    assert billing.attrs["high_availability"] is True and billing.region == "europe-west1"
    assert billing.points["high_availability"].line == line_of(SHOP / "gcp.tf", "availability_type = local.is_prod")
    gpu = node(shop, "azurerm_kubernetes_cluster_node_pool.gpu")
    assert (gpu.autoscaling.min_replicas, gpu.autoscaling.max_replicas) == (1, 4)
    assert gpu.zones == ("1", "2") and gpu.attrs["accelerator"] == "V100" and gpu.owner == "ml"
    assert node(shop, "azurerm_kubernetes_cluster.main").region == "westeurope"


def test_a_variable_without_default_stays_unknown(shop):
    analytics = node(shop, "aws_db_instance.analytics")
    assert analytics.attrs["unknown"] == ["multi_az"]
    assert "high_availability" not in analytics.attrs


def test_references_become_depends_on_edges_at_the_referring_line(shop):
    main = SHOP / "main.tf"
    edges = {(d.source, d.target): (d.kind, d.span.file, d.span.line) for d in shop.model.dependencies()}
    assert edges == {
        ("terraform:aws_instance.worker", "terraform:aws_elasticache_replication_group.sessions"):
            (EdgeKind.DEPENDS_ON, "main.tf", line_of(main, "sessions = aws_elasticache_replication_group")),
        # through the module's output: the edge points where the worker uses it
        ("terraform:aws_instance.worker", "terraform:module.db.aws_db_instance.this"):
            (EdgeKind.DEPENDS_ON, "main.tf", line_of(main, "database = module.db.address")),
        ("terraform:module.db.aws_db_instance.replica", "terraform:module.db.aws_db_instance.this"):
            (EdgeKind.DEPENDS_ON, "modules/rds/main.tf",
             line_of(SHOP / "modules/rds/main.tf", "replicate_source_db = aws_db_instance.this")),
        ("terraform:azurerm_kubernetes_cluster_node_pool.gpu", "terraform:azurerm_kubernetes_cluster.main"):
            (EdgeKind.DEPENDS_ON, "azure.tf", line_of(SHOP / "azure.tf", "kubernetes_cluster_id")),
        ("terraform:azurerm_kubernetes_cluster.main.default_node_pool", "terraform:azurerm_kubernetes_cluster.main"):
            (EdgeKind.DEPENDS_ON, "azure.tf", line_of(SHOP / "azure.tf", "default_node_pool {")),
    }


def test_idioms_of_public_modules_are_evaluated_or_left_unknown():
    result = load_dir(FIXTURES / "idioms")
    assert result.findings == []
    app = node(result, "aws_autoscaling_group.app")
    # count = var.create ? 1 : 0 is one instance; min_size through `false == var.x ? 1 : local.nat_count`
    assert (app.replicas, app.autoscaling.min_replicas, app.autoscaling.max_replicas) == (3, 3, 6)
    # desired_capacity is absent: replicas point at the resource, not at the create flag's `count`
    assert app.replicas_span.line == line_of(FIXTURES / "idioms" / "main.tf", 'resource "aws_autoscaling_group"')
    assert app.attrs["subnet_count"] == 3 and app.owner == "payments"  # a `for` list; a tag block from an object
    assert app.attrs["unknown"] == ["availability_zones"]  # regexall() is not evaluated
    edges = {(d.source, d.target) for d in result.model.dependencies()}
    assert edges == {("terraform:aws_lambda_function.cleanup", "terraform:aws_autoscaling_group.app")}


_MUTATIONS = [b"{", b"}", b"[", b"]", b"(", b")", b'"', b"${", b"%{", b"=", b"?", b":", b".", b"*", b"<<EOT\n",
              b"\n", b"#", b"...", b"=>", b"for ", b" in ", b"var.", b"local.", b"module.", b"-", b"!", b"\\", b"\xff"]


@pytest.mark.parametrize("seed", range(8))
def test_any_damage_to_a_file_gives_findings_never_an_exception(tmp_path, seed):
    import random

    rng = random.Random(seed)
    sources = sorted((FIXTURES / name / "main.tf").read_bytes() for name in ("shop", "idioms", "broken"))
    for _ in range(25):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 5)):
            position = rng.randrange(len(data) + 1)
            if rng.random() < 0.5:
                del data[position:position + rng.randint(1, 30)]
            else:
                data[position:position] = rng.choice(_MUTATIONS)
        (tmp_path / "main.tf").write_bytes(bytes(data))
        result = load_dir(tmp_path)
        lines = data.count(b"\n") + 1
        # a module call the damage left standing is said as not read (IN006), a file that models nothing too (IN007)
        assert all(f.rule in (UNREADABLE, "IN006", "IN007") and 1 <= f.line <= lines for f in result.findings), \
            bytes(data)


# ---- broken and unreadable files ------------------------------------------------------------------------------


def test_a_broken_file_is_reported_at_the_error_and_the_rest_is_still_loaded():
    result = load_dir(FIXTURES / "broken")
    [finding] = result.findings
    main = FIXTURES / "broken" / "main.tf"
    assert (finding.rule, finding.file, finding.line) == (UNREADABLE, "main.tf", line_of(main, "multi_az       ="))
    assert finding.message.startswith("invalid HCL near 'multi_az ='")
    ids = sorted(c.id for c in result.model.components())
    assert ids == ["terraform:aws_db_instance.payments", "terraform:aws_elasticache_cluster.cache",
                   "terraform:aws_sqs_queue.orders"]
    assert result.model.component("terraform:aws_db_instance.payments").attrs["unknown"] == ["multi_az"]


@pytest.mark.parametrize("text, line, message", [
    ('locals {\n  zones = ["a", "b"\n}\n', 2, "invalid HCL near '[\"a\", \"b\"': missing ']'"),
    ('resource "aws_sqs_queue" "q" {\n  name = "q"\n', 1,
     "invalid HCL near 'resource \"aws_sqs_queue\" \"q\" {': missing '}'"),
], ids=["bracket", "brace"])
def test_an_unclosed_bracket_is_reported_where_it_opens(load_yaml, text, line, message):
    [finding] = [f for f in load_yaml({"main.tf": text}).findings if f.rule == UNREADABLE]
    assert finding.line == line and finding.message.startswith(message)


@pytest.mark.parametrize("data, message", [
    (b'resource "aws_sqs_queue" "q" {\n  name = "caf\xe9"\n}\n', "not UTF-8 text"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary file"),
])
def test_binary_and_non_utf8_files_are_unreadable_and_others_still_load(tmp_path, data, message):
    (tmp_path / "bad.tf").write_bytes(data)
    (tmp_path / "good.tf").write_text('resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n')
    result = load_dir(tmp_path)
    [finding] = result.findings
    assert finding.rule == UNREADABLE and finding.file == "bad.tf" and finding.message.startswith(message)
    assert "terraform:aws_sqs_queue.jobs" in result.model


# ---- modules: cycles, missing directories, count, providers ---------------------------------------------------


def test_module_cycles_and_missing_directories_do_not_crash(load_yaml):
    result = load_yaml({
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_sqs_queue" "a" {\n  name = "a"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\nmodule "gone" {\n  source = "./gone"\n}\n'
                     'resource "aws_sqs_queue" "b" {\n  name = "b"\n}\n',
        "c/main.tf": 'module "self" {\n  source = "./"\n}\nresource "aws_sqs_queue" "c" {\n  name = "c"\n}\n',
    })
    ids = sorted(c.id for c in result.model.components())
    assert ids == ["terraform:aws_sqs_queue.a", "terraform:aws_sqs_queue.c", "terraform:module.b.aws_sqs_queue.b"]
    assert result.stats["skipped.terraform-module-cycles"] == 2
    assert result.stats["unread.terraform-modules"] == 3
    assert sorted((f.rule, f.file, f.line) for f in result.findings) == [
        ("IN006", "b/main.tf", 2),  # a -> b -> a
        ("IN006", "b/main.tf", 5),  # ./gone
        ("IN006", "c/main.tf", 2),  # ./ calls itself
    ]


def test_module_count_multiplies_the_instances_of_its_resources(load_yaml):
    result = load_yaml({
        "main.tf": 'module "web" {\n  source = "./web"\n  count  = 2\n  size   = 3\n}\n',
        "web/main.tf": 'variable "size" {}\nresource "aws_instance" "this" {\n  count         = var.size\n'
                       '  instance_type = "m5.large"\n}\n',
    })
    assert node(result, "module.web.aws_instance.this").replicas == 6


def test_provider_aliases_and_inherited_providers_give_regions(load_yaml):
    result = load_yaml({
        "main.tf": """
            provider "aws" {
              region = "eu-central-1"
            }
            provider "aws" {
              alias  = "dr"
              region = "eu-north-1"
            }
            resource "aws_sqs_queue" "main" {
              name = "main"
            }
            resource "aws_sqs_queue" "dr" {
              provider = aws.dr
              name     = "dr"
            }
            module "inherits" {
              source = "./queue"
            }
            module "passed" {
              source    = "./queue"
              providers = { aws = aws.dr }
            }
        """,
        "queue/main.tf": 'resource "aws_sqs_queue" "this" {\n  name = "q"\n}\n',
    })
    regions = {c.attrs["address"]: c.region for c in result.model.components()}
    assert regions == {"aws_sqs_queue.main": "eu-central-1", "aws_sqs_queue.dr": "eu-north-1",
                       "module.inherits.aws_sqs_queue.this": "eu-central-1",
                       "module.passed.aws_sqs_queue.this": "eu-north-1"}


def test_blocks_repeated_blocks_and_dynamic_blocks(load_yaml):
    result = load_yaml({"main.tf": """
        resource "aws_sagemaker_endpoint_configuration" "llm" {
          name = "llm"
          production_variants {
            variant_name           = "primary"
            instance_type          = "ml.g5.2xlarge"
            initial_instance_count = 2
          }
          production_variants {
            variant_name           = "shadow"
            instance_type          = "ml.g5.xlarge"
            initial_instance_count = 1
          }
        }
        resource "aws_eks_node_group" "apps" {
          cluster_name = "prod"
          scaling_config {
            min_size     = 2
            max_size     = 6
            desired_size = 3
          }
          dynamic "taint" {
            for_each = var.taints
            content {
              key   = taint.value.key
              value = aws_sagemaker_endpoint_configuration.llm.name
            }
          }
        }
        variable "taints" {}
    """})
    llm = node(result, "aws_sagemaker_endpoint_configuration.llm")
    assert llm.replicas == 2 and llm.attrs["instance_type"] == "ml.g5.2xlarge"  # the first of the repeated blocks
    apps = node(result, "aws_eks_node_group.apps")
    assert (apps.autoscaling.min_replicas, apps.autoscaling.max_replicas, apps.replicas) == (2, 6, 3)
    [edge] = result.model.dependencies()  # a reference inside a dynamic block still counts
    assert (edge.source, edge.target) == ("terraform:aws_eks_node_group.apps",
                                          "terraform:aws_sagemaker_endpoint_configuration.llm")


# ---- expressions -------------------------------------------------------------------------------------------------

CONTEXT = """
variable "env" { default = "prod" }
variable "n" { default = 3 }
variable "zones" { default = ["b", "a", "b"] }
variable "sizes" {
  default = { small = "t3.small", large = "m5.large" }
}
variable "secret" {}
locals {
  prefix = "${var.env}-shop"
}
resource "aws_instance" "web" {}
"""


def evaluate(expression: str):
    parsed = syntax.parse("main.tf", (CONTEXT + f"locals {{\n  value = {expression}\n}}\n").encode())
    assert parsed.error is None, parsed.error
    module = Module("")
    module.add(parsed)
    instance = Instance(module, "", {}, {}, ("",), 1, Context({"": module}, None, defaultdict(int), []))
    return instance.local("value")[0]


@pytest.mark.parametrize("expression, expected", [
    ('"plain"', "plain"), ("42", 42), ("2.5", 2.5), ("true", True), ("null", None),
    ('["a", 1, false]', ["a", 1, False]), ('{ a = 1, "b-c" = { d = [] } }', {"a": 1, "b-c": {"d": []}}),
    ('"${var.env}-db"', "prod-db"), ('"${local.prefix}"', "prod-shop"), ('"${var.n}"', 3),
    ('"a\\"b\\\\c\\n $${literal}"', 'a"b\\c\n ${literal}'),
    ("<<-EOT\n    first ${var.env}\n      second\n    EOT", "first prod\n  second\n"),
    ("<<EOT\nraw $${x}\nEOT", "raw ${x}\n"),
    ("var.n > 2 ? \"big\" : \"small\"", "big"), ('var.env == "dev" ? 1 : 2', 2),
    ("var.n * 2 + 1", 7), ("(var.n + 1) * 2", 8), ("7 / 2", 3.5), ("8 / 2", 4), ("-var.n % 2", -1),
    ("var.n >= 3 && !false", True), ('var.env != "prod" || var.n < 1', False),
    ("var.zones[1]", "a"), ('var.sizes["large"]', "m5.large"), ("var.sizes.small", "t3.small"),
    ('[{ id = 1 }, { id = 2 }][*].id', [1, 2]),
    ("length(var.zones)", 3), ("toset(var.zones)", ["a", "b"]), ('upper(var.env)', "PROD"),
    ('lower("ABC")', "abc"), ('format("%s-%03d", var.env, var.n)', "prod-003"),
    ('join(",", toset(var.zones))', "a,b"), ("concat([1], [2, 3])", [1, 2, 3]),
    ("merge({ a = 1 }, { b = 2 }, { a = 3 })", {"a": 3, "b": 2}),
    ('lookup(var.sizes, "huge", "none")', "none"), ('element(["x", "y"], 3)', "y"),
    ('coalesce("", var.env)', "prod"), ("min(3, 1, 2)", 1), ("max(var.n, 5)", 5), ('tonumber("42")', 42),
    ("tostring(5)", "5"), ("[for z in var.zones : upper(z) if z != \"a\"]", ["B", "B"]),
    ("{ for k, v in var.sizes : k => length(v) }", {"large": 8, "small": 8}),
])
def test_expressions_archlint_evaluates(expression, expected):
    assert evaluate(expression) == expected


@pytest.mark.parametrize("expression", [
    "var.secret", '"${var.secret}-db"', "length(var.secret)", "var.secret ? 1 : 2", "var.secret + 1",
    "aws_instance.web.id", "data.aws_ami.ubuntu.id", "each.key", "count.index", "path.module",
    'file("${path.module}/x")', "var.missing", "local.missing", "module.missing.output",
    '"%{ if var.n > 1 }many%{ endif }"', "[for z in var.secret : z]", "provider::aws::arn_parse(\"x\")",
    'lookup(var.sizes, "huge")', '1 + "x"',
])
def test_expressions_that_stay_unknown(expression):
    assert evaluate(expression) is UNKNOWN


# ---- suppressions and laziness -------------------------------------------------------------------------------


def test_an_hcl_comment_suppresses_a_finding_on_its_line_or_the_whole_block_below():
    from archlint.engine import analyze
    from archlint.engine.config import Config
    from archlint.rules import all_rules

    rules = all_rules()
    if "FI020" not in {r.id for r in rules}:
        pytest.skip("no infrastructure-as-code rule yet (FI020)")
    analysis = analyze(load_dir(FIXTURES / "suppressed"), Config(), rules)
    main = FIXTURES / "suppressed" / "main.tf"
    flagged = [(f.rule, f.node, f.line) for f in analysis.findings if f.rule in ("FI020", "IN003", "IN004")]
    assert flagged == [("FI020", "terraform:aws_db_instance.orders", line_after(main, '"orders" {', "multi_az"))]
    silenced = sorted(f.node for f in analysis.suppressed if f.rule == "FI020")
    assert silenced == ["terraform:aws_db_instance.load_tests", "terraform:aws_db_instance.reports"]


def test_tree_sitter_is_imported_only_when_a_terraform_file_is_loaded(tmp_path):
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    code = ("import sys; from pathlib import Path; from archlint.loaders.discover import discover; "
            "from archlint.loaders.pipeline import load; root = Path(sys.argv[1]); load(discover([root], root)); "
            "print('tree_sitter' in sys.modules)")
    output = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": str(REPO)}).stdout
    assert output.strip() == "False"
