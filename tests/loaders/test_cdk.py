"""AWS CDK apps in Python: constructs read statically into Terraform-vocabulary resources, with CDK's defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.model import NodeKind, Tier

FIXTURE = Path(__file__).parent.parent / "fixtures" / "cdk"
CDK_JSON = '{"app": "python3 app.py"}'


def line_of(name: str, text: str) -> int:
    lines = (FIXTURE / name).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def app():
    return load(discover([FIXTURE], FIXTURE))


def node(result, address: str):
    return result.model.component(f"cdk:{address}")


def test_constructs_become_nodes_addressed_by_stack_class_and_id(app):
    kinds = {c.id: c.kind for c in app.model.components()}
    assert kinds == {
        "cdk:DataStack/OrdersDb": NodeKind.DATASTORE, "cdk:DataStack/Ledger": NodeKind.DATASTORE,
        "cdk:DataStack/Carts": NodeKind.DATASTORE, "cdk:DataStack/Sessions": NodeKind.CACHE,
        "cdk:ServiceStack/Api": NodeKind.SERVICE, "cdk:ServiceStack/Api/LB": NodeKind.GATEWAY,
        "cdk:ServiceStack/Jobs": NodeKind.QUEUE, "cdk:ServiceStack/Reports": NodeKind.DATASTORE,
        "cdk:ServiceStack/Worker": NodeKind.FUNCTION, "cdk:ServiceStack/Web": NodeKind.SERVICE,
        "cdk:ServiceStack/WebLb": NodeKind.GATEWAY, "cdk:ServiceStack/Platform": NodeKind.CLUSTER,
        "cdk:ServiceStack/Platform/Gpu": NodeKind.NODE_POOL, "cdk:ServiceStack/Ranker": NodeKind.MODEL_SERVING,
    }
    assert app.findings == [] and {c.source for c in app.model.components()} == {"cdk"}


def test_database_instance_props_translate_to_terraform_facts(app):
    db = node(app, "DataStack/OrdersDb")
    assert db.attrs["instance_type"] == "db.r6g.large" and (db.cpu, db.memory) == (2, 16 * 2**30)
    assert db.attrs["high_availability"] is True and db.attrs["engine"] == "postgres"
    assert db.attrs["backup_retention_days"] == 7 and db.attrs["deletion_protection"] is True
    data = "stacks/data_stack.py"
    assert (db.span.file, db.span.line) == (data, line_of(data, "rds.DatabaseInstance("))
    assert db.points["high_availability"].line == line_of("stacks/data_stack.py", "multi_az=True")


def test_cluster_writer_and_readers_are_its_instances_and_cdk_defaults_apply(app):
    ledger = node(app, "DataStack/Ledger")
    assert ledger.replicas == 2 and ledger.attrs["high_availability"] is True
    assert ledger.attrs["engine"] == "aurora-postgresql"
    assert ledger.attrs["backup_retention_days"] == 1  # CDK's default retention: one day


def test_l1_constructs_use_cloudformation_names(app):
    sessions = node(app, "DataStack/Sessions")
    assert sessions.attrs["instance_type"] == "cache.t3.micro" and sessions.replicas == 1
    assert sessions.attrs["automatic_failover"] is False and sessions.attrs["high_availability"] is False
    ranker = node(app, "ServiceStack/Ranker")
    assert ranker.tier is Tier.AI and ranker.gpu == 1 and ranker.replicas == 1
    assert ranker.points["instance_type"].line == line_of("stacks/service_stack.py", 'instance_type="ml.g5.xlarge"')


def test_patterns_services_groups_and_node_groups(app):
    api, balancer = node(app, "ServiceStack/Api"), node(app, "ServiceStack/Api/LB")
    assert api.replicas == 1 and balancer.attrs["internet_facing"] is True
    web = node(app, "ServiceStack/Web")
    assert web.replicas == 2 and (web.autoscaling.min_replicas, web.autoscaling.max_replicas) == (2, 6)
    assert node(app, "ServiceStack/WebLb").attrs["internet_facing"] is True
    gpu = node(app, "ServiceStack/Platform/Gpu")
    assert gpu.attrs["instance_type"] == "g5.xlarge" and gpu.gpu == 1 and gpu.attrs["spot"] is True
    assert (gpu.autoscaling.min_replicas, gpu.autoscaling.max_replicas) == (1, 4)
    assert node(app, "ServiceStack/Worker").attrs["memory_mb"] == 512


def test_references_grants_and_listener_targets_become_edges(app):
    edges = {(d.source[4:], d.target[4:], d.span.line) for d in app.model.dependencies()}
    service = "stacks/service_stack.py"
    assert edges == {
        ("ServiceStack/Worker", "ServiceStack/Jobs", line_of(service, '"QUEUE_URL": jobs.queue_url')),
        ("ServiceStack/Worker", "ServiceStack/Reports", line_of(service, "reports.grant_write(worker)")),
        ("ServiceStack/WebLb", "ServiceStack/Web", line_of(service, "listener.add_targets")),
        ("ServiceStack/Api/LB", "ServiceStack/Api", line_of(service, "ecs_patterns.ApplicationLoadBalancedFargate")),
        ("ServiceStack/Platform/Gpu", "ServiceStack/Platform", line_of(service, "platform.add_nodegroup_capacity(")),
    }


def test_import_styles_and_a_literal_loop(load_yaml):
    result = load_yaml({
        "cdk.json": CDK_JSON,
        "app.py": """\
            import aws_cdk as cdk
            import aws_cdk.aws_sqs as queues
            from aws_cdk.aws_rds import DatabaseInstance
            from aws_cdk import aws_ec2 as ec2


            class Stack(cdk.Stack):
                def __init__(self, scope, id):
                    super().__init__(scope, id)
                    DatabaseInstance(self, "Db", instance_type=ec2.InstanceType.of(
                        ec2.InstanceClass.MEMORY6_GRAVITON, ec2.InstanceSize.XLARGE2))
                    for index in range(3):
                        cdk.aws_ec2.Instance(self, f"Web{index}", instance_type=ec2.InstanceType("t3.micro"))
                    queues.Queue(self, "Jobs")
            """,
    })
    db = result.model.component("cdk:Stack/Db")
    assert db.attrs["instance_type"] == "db.r6g.2xlarge" and db.attrs["high_availability"] is False
    assert db.attrs["deletion_protection"] is False  # the default removal policy is SNAPSHOT
    web = result.model.component("cdk:Stack/Web{index}")
    assert web.replicas == 3 and web.memory == 2**30
    assert result.model.component("cdk:Stack/Jobs").kind is NodeKind.QUEUE


def test_typescript_cdk_apps_are_not_read(load_yaml):
    result = load_yaml({
        "cdk.json": '{"app": "npx ts-node --prefer-ts-exts bin/app.ts"}',
        "scripts/seed.py": "from aws_cdk import aws_sqs as sqs\nsqs.Queue(None, 'q')\n",
    })
    assert len(result.model) == 0 and result.stats["skipped.python-iac"] == 1


def test_synthesized_output_is_skipped(load_yaml):
    result = load_yaml({
        "cdk.json": CDK_JSON,
        "cdk.out/asset.0123/handler.py": "from aws_cdk import aws_sqs as sqs\nsqs.Queue(None, 'q')\n",
    })
    assert len(result.model) == 0


def test_a_spread_of_unknown_props_leaves_every_absent_prop_unknown(load_yaml):
    result = load_yaml({
        "cdk.json": CDK_JSON,
        "app.py": """\
            from aws_cdk import Stack, aws_rds as rds

            COMMON = {"deletion_protection": True}

            class Data(Stack):
                def __init__(self, scope, id, props):
                    super().__init__(scope, id)
                    rds.DatabaseInstance(self, "Known", multi_az=True, **COMMON)
                    rds.DatabaseInstance(self, "Open", deletion_protection=True, **props)
            """,
    })
    known, open_ = result.model.component("cdk:Data/Known"), result.model.component("cdk:Data/Open")
    assert known.attrs["deletion_protection"] is True and "unknown" not in known.attrs
    assert "multi_az" in open_.attrs["unknown"] and "high_availability" not in open_.attrs
    assert open_.attrs["deletion_protection"] is True
