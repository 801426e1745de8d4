"""CloudResources become components with facts, unknowns kept unknown, references as edges."""

from __future__ import annotations

from archlint.loaders.cloud import UNKNOWN, CloudResource, add_resources
from archlint.model import EdgeKind, ModelBuilder, NodeKind, Span, Tier


def build(*resources):
    builder = ModelBuilder()
    add_resources(list(resources), builder)
    return builder.build()


def resource(type_, name, props=None, **extra):
    return CloudResource(type_, name, f"{type_}.{name}", "terraform", Span("main.tf", 1), props=props or {}, **extra)


def test_database_defaults_and_unknowns():
    model = build(resource("aws_db_instance", "orders", {"instance_class": "db.r6g.large", "backup_retention_period": UNKNOWN}))
    db = model.component("terraform:aws_db_instance.orders")
    assert db.kind is NodeKind.DATASTORE and db.provider == "aws" and db.cpu == 2 and db.memory == 16 * 2**30
    assert db.attrs["high_availability"] is False  # multi_az is false unless set
    assert "backup_retention_days" not in db.attrs and db.attrs["unknown"] == ["backup_retention_period"]


def test_count_multiplies_replicas_and_unknown_count_makes_them_unknown():
    model = build(resource("aws_instance", "web", {"instance_type": "g5.xlarge"}, count=3),
                  resource("aws_instance", "api", {"instance_type": "m5.large"}, count=UNKNOWN))
    web, api = model.component("terraform:aws_instance.web"), model.component("terraform:aws_instance.api")
    assert web.replicas == 3 and web.gpu == 1 and web.tier is Tier.AI and web.attrs["accelerator"] == "A10G"
    assert api.replicas is None and "count" in api.attrs["unknown"]


def test_aurora_instances_fold_into_the_cluster():
    cluster = resource("aws_rds_cluster", "main", {"engine": "aurora-postgresql"})
    one = resource("aws_rds_cluster_instance", "one", {}, references=[("aws_rds_cluster.main", Span("main.tf", 9))])
    model = build(cluster, one)
    [node] = list(model.components())
    assert node.replicas == 1 and node.attrs["high_availability"] is False


def test_references_become_depends_on_edges():
    db = resource("aws_db_instance", "db", {})
    asg = resource("aws_autoscaling_group", "web", {"min_size": 2, "max_size": 6},
                   references=[("aws_db_instance.db", Span("main.tf", 30))])
    model = build(db, asg)
    [edge] = list(model.dependencies())
    assert (edge.source, edge.target, edge.kind, edge.span.line) == (
        "terraform:aws_autoscaling_group.web", "terraform:aws_db_instance.db", EdgeKind.DEPENDS_ON, 30)
    scaling = model.component("terraform:aws_autoscaling_group.web").autoscaling
    assert (scaling.min_replicas, scaling.max_replicas) == (2, 6)


def test_unknown_resource_types_are_ignored_and_names_do_not_merge_across_iac():
    model = build(resource("aws_iam_role", "db", {}), resource("aws_db_instance", "db", {}))
    assert [c.id for c in model.components()] == ["terraform:aws_db_instance.db"]
