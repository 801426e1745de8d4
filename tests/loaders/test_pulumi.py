"""Pulumi programs in Python: read statically into Terraform-vocabulary resources, never imported or run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archlint.loaders import reading
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import UNREADABLE, load
from archlint.model import NodeKind

FIXTURE = Path(__file__).parent.parent / "fixtures" / "pulumi"
PULUMI_YAML = "name: app\nruntime: python\n"


def line_of(name: str, text: str) -> int:
    """The first line of a fixture file that contains `text`."""
    lines = (FIXTURE / name).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def shop():
    return load(discover([FIXTURE], FIXTURE))


def test_every_mapped_resource_becomes_a_node_with_its_kind(shop):
    kinds = {c.id: c.kind for c in shop.model.components()}
    assert kinds == {
        "pulumi:aws:rds:Instance::orders-db": NodeKind.DATASTORE,
        "pulumi:aws:rds:Instance::reporting-db": NodeKind.DATASTORE,
        "pulumi:aws:ec2:Instance::worker-{i}": NodeKind.SERVICE,
        "pulumi:aws:lambda:Function::thumbnailer": NodeKind.FUNCTION,
        "pulumi:aws:eks:NodeGroup::general": NodeKind.NODE_POOL,
        "pulumi:aws:elasticache:ReplicationGroup::{name}-redis": NodeKind.CACHE,
        "pulumi:aws:s3:BucketV2::uploads": NodeKind.DATASTORE,
        "pulumi:aws:sqs:Queue::jobs": NodeKind.QUEUE,
        "pulumi:gcp:sql:DatabaseInstance::analytics": NodeKind.DATASTORE,
    }
    assert shop.findings == []
    assert all(c.source == "pulumi" for c in shop.model.components())


def test_constants_imported_from_another_module_resolve(shop):
    db = shop.model.component("pulumi:aws:rds:Instance::orders-db")
    assert db.attrs["instance_type"] == "db.r6g.large" and db.cpu == 2 and db.memory == 16 * 2**30
    assert db.attrs["high_availability"] is False and db.attrs["backup_retention_days"] == 7
    assert db.labels == {"team": "checkout", "cost-center": "shop"} and db.owner == "checkout"
    assert (db.span.file, db.span.line) == ("__main__.py", line_of("__main__.py", "orders_db = rds.Instance("))
    assert db.points["high_availability"].line == line_of("__main__.py", "multi_az=False")


def test_config_and_environment_values_stay_unknown(shop):
    db = shop.model.component("pulumi:aws:rds:Instance::reporting-db")
    assert db.attrs["unknown"] == ["instance_class", "multi_az"]
    assert "high_availability" not in db.attrs and db.cpu is None


def test_a_literal_range_loop_is_a_count(shop):
    workers = shop.model.component("pulumi:aws:ec2:Instance::worker-{i}")
    assert workers.replicas == 3 and workers.cpu == 2 and workers.memory == 8 * 2**30


def test_nested_args_are_blocks_with_their_own_lines(shop):
    analytics = shop.model.component("pulumi:gcp:sql:DatabaseInstance::analytics")
    assert analytics.attrs["high_availability"] is True and analytics.attrs["backup_retention_days"] == 7
    assert analytics.points["high_availability"].line == line_of("__main__.py", 'availability_type="REGIONAL"')
    assert analytics.region == "europe-west1"
    nodes = shop.model.component("pulumi:aws:eks:NodeGroup::general")
    assert nodes.replicas == 3 and (nodes.autoscaling.min_replicas, nodes.autoscaling.max_replicas) == (2, 5)
    assert nodes.attrs["instance_type"] == "m5.xlarge" and nodes.cpu == 4


def test_function_parameters_are_unknown_and_names_keep_their_template(shop):
    cache = shop.model.component("pulumi:aws:elasticache:ReplicationGroup::{name}-redis")
    assert cache.span.file == "components/cache.py"
    assert cache.attrs["instance_type"] == "cache.r6g.large" and cache.attrs["unknown"] == ["num_cache_clusters"]
    assert cache.replicas is None


def test_attribute_references_become_edges_across_modules(shop):
    edges = {(d.source, d.target, d.span.line) for d in shop.model.dependencies()}
    assert edges == {
        ("pulumi:aws:ec2:Instance::worker-{i}", "pulumi:aws:rds:Instance::orders-db",
         line_of("__main__.py", "user_data=orders_db.endpoint")),
        ("pulumi:aws:lambda:Function::thumbnailer", "pulumi:aws:s3:BucketV2::uploads",
         line_of("__main__.py", '"BUCKET": uploads.bucket')),
        ("pulumi:aws:lambda:Function::thumbnailer", "pulumi:aws:sqs:Queue::jobs",
         line_of("__main__.py", '"BUCKET": uploads.bucket')),
    }


def test_a_resource_call_is_a_suppression_block(shop):
    start = line_of("__main__.py", "orders_db = rds.Instance(")
    assert (start, start + 8) in shop.sources["__main__.py"].documents


def test_import_aliases(load_yaml):
    result = load_yaml({
        "Pulumi.yaml": PULUMI_YAML,
        "__main__.py": """\
            import pulumi_aws.rds as database
            from pulumi_aws.rds import Instance as DbInstance
            from pulumi_aws import ec2
            import pulumi_aws

            Machine = ec2.Instance
            database.Instance("a", multi_az=True)
            DbInstance("b", multi_az=True)
            Machine("c", instance_type=pulumi_aws.ec2.InstanceType.M5_2_X_LARGE)
            pulumi_aws.rds.Instance("d", multi_az=True)
            """,
    })
    nodes = {c.name: c for c in result.model.components()}
    assert sorted(nodes) == ["a", "b", "c", "d"]
    assert all(nodes[n].attrs["high_availability"] is True for n in "abd")
    assert nodes["c"].attrs["instance_type"] == "m5.2xlarge" and nodes["c"].cpu == 8


def test_names_bound_twice_and_unknown_loops_are_unknown(load_yaml):
    result = load_yaml({
        "Pulumi.yaml": PULUMI_YAML,
        "__main__.py": """\
            import pulumi
            import pulumi_aws as aws

            size = "db.t3.micro"
            size = "db.r6g.large"
            zones = pulumi.Config().require_object("zones")
            for zone in zones:
                aws.ec2.Instance(f"web-{zone}", instance_type="t3.small")
            aws.rds.Instance("db", instance_class=size, multi_az=False)
            """,
    })
    web, db = result.model.component("pulumi:aws:ec2:Instance::web-{zone}"), result.model.component(
        "pulumi:aws:rds:Instance::db")
    assert web.replicas is None and "count" in web.attrs["unknown"]
    assert db.attrs["unknown"] == ["instance_class"]


def test_a_syntax_error_is_one_finding_and_the_other_files_still_load(load_yaml):
    result = load_yaml({
        "Pulumi.yaml": PULUMI_YAML,
        "__main__.py": "import pulumi_aws as aws\n\naws.sqs.Queue('jobs')\n",
        "broken.py": "import pulumi_aws as aws\n\ndef make(:\n    pass\n",
    })
    [finding] = result.findings
    assert (finding.rule, finding.file, finding.line) == (UNREADABLE, "broken.py", 3)
    assert [c.name for c in result.model.components()] == ["jobs"]


def test_python_files_outside_a_project_are_never_read(tmp_path, monkeypatch):
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "deploy.py").write_text("import pulumi_aws as aws\naws.sqs.Queue('q')\n")
    (tmp_path / "setup.py").write_text("from setuptools import setup\n")
    (tmp_path / "nodeapp").mkdir()
    (tmp_path / "nodeapp" / "Pulumi.yaml").write_text("name: web\nruntime: nodejs\n")
    (tmp_path / "nodeapp" / "tool.py").write_text("import pulumi_aws as aws\naws.sqs.Queue('q')\n")
    read = []
    original = reading.read_file
    monkeypatch.setattr(reading, "read_file", lambda source, found: read.append(source.name) or original(source, found))
    result = load(discover([tmp_path], tmp_path))
    assert not any(name.endswith(".py") for name in read) and len(result.model) == 0
    assert result.stats["skipped.python-iac"] == 3 and result.findings == []


def test_a_subdirectory_of_a_project_is_read_with_its_project(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text(PULUMI_YAML)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "queues.py").write_text("import pulumi_aws as aws\naws.sqs.Queue('q')\n")
    result = load(discover([tmp_path / "infra"], tmp_path))
    assert [c.id for c in result.model.components()] == ["pulumi:aws:sqs:Queue::q"]


def test_libcst_is_imported_only_when_a_python_project_is_found(tmp_path):
    code = ("import sys; from pathlib import Path; from archlint.loaders.discover import discover; "
            "from archlint.loaders.pipeline import load; root = Path(sys.argv[1]).resolve(); "
            "load(discover([root], root)); print('libcst' in sys.modules)")
    root = Path(__file__).parent.parent.parent

    def imports_libcst(path: Path) -> bool:
        run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=root,
                             check=True)
        return run.stdout.strip() == "True"

    manifests = tmp_path / "repo"
    (manifests / "k8s").mkdir(parents=True)
    (manifests / "k8s" / "api.yaml").write_text((root / "examples" / "demo" / "k8s" / "api.yaml").read_text())
    (manifests / "scripts").mkdir()
    (manifests / "scripts" / "tool.py").write_text("import requests\nrequests.get('http://x')\n")
    assert not imports_libcst(manifests)  # manifests and a stray script: no Python project, no source directory
    assert imports_libcst(FIXTURE)


def test_a_comment_above_a_resource_call_suppresses_findings_anywhere_in_it(tmp_path):
    from archlint.engine import analyze
    from archlint.engine.config import Config
    from archlint.rules import all_rules

    program = 'import pulumi_aws as aws\n\n{comment}db = aws.rds.Instance(\n    "db",\n    multi_az=False,\n)\n'
    (tmp_path / "Pulumi.yaml").write_text(PULUMI_YAML)

    def findings(comment: str):
        (tmp_path / "__main__.py").write_text(program.format(comment=comment))
        return analyze(load(discover([tmp_path], tmp_path)), Config(), all_rules()).findings

    fired = [f for f in findings("") if f.node == "pulumi:aws:rds:Instance::db"]
    assert {f.line for f in fired} >= {3, 5}  # on the call and on `multi_az` inside it
    rules = ", ".join(sorted({f.rule for f in fired}))
    assert not findings(f"# archlint: ignore {rules} -- a throwaway test database\n")


def test_a_spread_of_unknown_arguments_assumes_no_default(load_yaml):
    result = load_yaml({
        "Pulumi.yaml": PULUMI_YAML,
        "__main__.py": """\
            import pulumi_aws as aws

            def database(name, **options):
                return aws.rds.Instance(name, instance_class="db.t3.micro", **options)
            """,
    })
    [db] = result.model.components()
    assert db.attrs["instance_type"] == "db.t3.micro"
    assert {"multi_az", "backup_retention_period"} <= set(db.attrs["unknown"]) and "high_availability" not in db.attrs


def test_a_components_arguments_class_gives_its_defaults_unless_a_caller_passes_them(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text(PULUMI_YAML)
    (tmp_path / "__main__.py").write_text('''import dataclasses
import pulumi
import pulumi_aws as aws


@dataclasses.dataclass
class DatabaseArgs:
    instance_class: str = "db.t3.micro"
    multi_az: bool = False


class CacheArgs:
    def __init__(self, node_type: str = "cache.t4g.small", nodes: int = 1):
        self.node_type = node_type
        self.nodes = nodes


class Database(pulumi.ComponentResource):
    def __init__(self, name: str, args: DatabaseArgs, cache: CacheArgs, opts=None):
        super().__init__("shop:Database", name, None, opts)
        aws.rds.Instance(f"{name}-db", instance_class=args.instance_class, multi_az=args.multi_az)
        aws.elasticache.ReplicationGroup(f"{name}-cache", node_type=cache.node_type, num_cache_clusters=cache.nodes)


Database("orders", DatabaseArgs(multi_az=True), CacheArgs())
''')
    result = load(discover([tmp_path], tmp_path))
    db = result.model.component("pulumi:aws:rds:Instance::{name}-db")
    assert db.attrs["instance_type"] == "db.t3.micro"  # the class's default: no caller passes instance_class
    assert "high_availability" not in db.attrs and "multi_az" in db.attrs["unknown"]  # a caller passes multi_az
    cache = result.model.component("pulumi:aws:elasticache:ReplicationGroup::{name}-cache")
    assert cache.attrs["instance_type"] == "cache.t4g.small" and cache.attrs["cache_nodes"] == 1  # __init__ defaults
