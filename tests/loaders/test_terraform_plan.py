"""The Terraform plan JSON loader: planned values, instances, unknowns, actions, module references and lines."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from archlint.loaders import terraform_plan
from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.loaders.yamlsource import parse_json
from archlint.model import NodeKind

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tfplan"
PLAN = FIXTURES / "shop.plan.json"
NAME = "shop.plan.json"


def first_line(needle: str) -> int:
    """The 1-based line of the first line of the plan containing `needle` (planned_values come first)."""
    return next(n for n, text in enumerate(PLAN.read_text().splitlines(), 1) if needle in text)


@pytest.fixture(scope="module")
def plan():
    return load(discover([FIXTURES], FIXTURES))


@pytest.fixture(scope="module")
def resources():
    document = parse_json(PLAN.read_bytes(), NAME)[0]
    return {r.address: r for r in terraform_plan.read(document.data, NAME)}


def node(result, address):
    return result.model.component(f"terraform-plan:{address}")


def test_every_planned_resource_is_a_node_and_deleted_ones_are_not(plan):
    kinds = {c.id.split(":", 1)[1]: c.kind for c in plan.model.components()}
    assert kinds == {
        "aws_instance.web": NodeKind.SERVICE, "aws_sqs_queue.jobs": NodeKind.QUEUE,
        "aws_autoscaling_group.workers": NodeKind.SERVICE, "aws_lb.public": NodeKind.GATEWAY,
        "aws_lambda_function.resizer": NodeKind.FUNCTION, "module.db.aws_db_instance.this": NodeKind.DATASTORE,
        "module.db.module.replica.aws_db_instance.this": NodeKind.DATASTORE,
    }  # aws_elasticache_cluster.legacy is only being deleted
    assert plan.stats["documents.terraform-plan"] == 1
    assert all(c.source == "terraform-plan" and c.region == "eu-west-1" for c in plan.model.components())


def test_count_and_for_each_instances_are_one_resource(plan, resources):
    web = node(plan, "aws_instance.web")
    assert web.replicas == 3 and web.attrs["instance_type"] == "m6i.large"
    assert resources["aws_sqs_queue.jobs"].count == 2 and resources["aws_lb.public"].count is None
    assert web.labels == {"team": "storefront", "env": "prod"}  # Name differs between instances: unknown


def test_after_unknown_values_are_unknown_and_unset_computed_ones_take_the_default(plan):
    workers = node(plan, "aws_autoscaling_group.workers")
    assert workers.attrs["unknown"] == ["max_size"]  # set from a data source read at apply time
    assert workers.autoscaling is None and workers.replicas == 2  # desired_capacity unset: the minimum
    assert workers.attrs["subnet_count"] == 3
    web = node(plan, "aws_instance.web")  # associate_public_ip_address: unset, known for the existing two only
    assert web.attrs["internet_facing"] is False and "unknown" not in web.attrs


def test_module_values_and_facts(plan):
    db = node(plan, "module.db.aws_db_instance.this")
    assert db.attrs["high_availability"] is True and db.attrs["backup_retention_days"] == 7
    assert db.attrs["deletion_protection"] is True and db.attrs["instance_type"] == "db.r6g.large"
    replica = node(plan, "module.db.module.replica.aws_db_instance.this")
    # a read replica (replicate_source_db): the primary's standby, backup and deletion facts are not asked of it
    assert replica.attrs["replica_of"] == "module.db.aws_db_instance.this"
    assert "high_availability" not in replica.attrs and "backup_retention_days" not in replica.attrs


def test_actions_are_kept_in_props(resources):
    assert resources["module.db.aws_db_instance.this"].props["__actions"] == ["delete", "create"]
    assert resources["aws_instance.web"].props["__actions"] == ["no-op", "create"]
    assert resources["aws_autoscaling_group.workers"].props["__actions"] == ["update"]
    assert "aws_elasticache_cluster.legacy" not in resources


def test_references_follow_module_outputs_variables_indices_and_depends_on(plan):
    found = {(d.source.split(":", 1)[1], d.target.split(":", 1)[1]) for d in plan.model.dependencies()}
    assert found == {
        ("aws_instance.web", "module.db.aws_db_instance.this"),  # module.db.address -> the output's expression
        ("aws_lambda_function.resizer", "aws_sqs_queue.jobs"),  # aws_sqs_queue.jobs["high"].url
        ("aws_lambda_function.resizer", "module.db.aws_db_instance.this"),
        ("aws_autoscaling_group.workers", "aws_lb.public"),  # depends_on
        # var.source_id in the nested module -> what module.db passes: its own aws_db_instance.this
        ("module.db.module.replica.aws_db_instance.this", "module.db.aws_db_instance.this"),
    }


def test_lines_are_those_of_the_planned_resource(plan, resources):
    web = node(plan, "aws_instance.web")
    assert (web.span.file, web.span.line) == (NAME, first_line('"address": "aws_instance.web[0]"'))
    db = node(plan, "module.db.aws_db_instance.this")
    assert db.span.line == first_line('"address": "module.db.aws_db_instance.this"')
    assert db.points["high_availability"].line == first_line('"multi_az": true')
    assert resources["aws_instance.web"].at("instance_type").line == first_line('"instance_type": "m6i.large"')


def test_plain_json_without_lines_points_at_line_one():
    resources = terraform_plan.read(json.loads(PLAN.read_text()), NAME)
    assert {r.span.line for r in resources} == {1} and len(resources) == 7


def test_without_configuration_after_unknown_stays_unknown_and_changes_alone_are_read():
    data = json.loads(PLAN.read_text())
    del data["configuration"]
    web = {r.address: r for r in terraform_plan.read(data, NAME)}["aws_instance.web"]
    assert web.props["associate_public_ip_address"] is UNKNOWN and web.references == []
    del data["planned_values"]
    only_changes = {r.address: r for r in terraform_plan.read(data, NAME)}
    assert only_changes["aws_instance.web"].count == 3 and only_changes["module.db.aws_db_instance.this"].props["multi_az"]
    assert "aws_elasticache_cluster.legacy" not in only_changes


@pytest.mark.parametrize(("data", "claimed"), [
    ({"format_version": "1.2", "planned_values": {}}, True),
    ({"format_version": "0.1", "resource_changes": []}, True),
    ({"format_version": "1.0", "values": {}}, False),  # a state, not a plan
    ({"planned_values": {}}, False),
    ({"apiVersion": "v1", "kind": "List", "format_version": "1", "resource_changes": []}, False),
    ({"AWSTemplateFormatVersion": "2010-09-09"}, False),
])
def test_claims_plans_only(data, claimed):
    assert terraform_plan.claims(data, "plan.json") is claimed


def test_odd_plans_load_without_crashing():
    data = json.loads(PLAN.read_text())
    odd = copy.deepcopy(data)
    odd["planned_values"]["root_module"]["resources"] += [3, {"type": 4}, {"address": "x.y", "type": "aws_lb"}]
    odd["planned_values"]["root_module"]["child_modules"] = "none"
    odd["resource_changes"] += [{"address": 5}, {"address": "aws_lb.z", "change": {"actions": "create"}}]
    odd["configuration"]["root_module"]["resources"][0]["expressions"] = {"user_data": {"references": [3, "module"]}}
    odd["configuration"]["provider_config"] = {"aws": {"expressions": {"region": {"references": []}}}}
    resources = {r.address: r for r in terraform_plan.read(odd, NAME)}
    assert resources["x.y"].props == {} and resources["aws_instance.web"].region is None
    for broken in ({"format_version": "1"}, {"format_version": "1", "planned_values": None, "resource_changes": None}):
        assert terraform_plan.read(broken, NAME) == []
