"""The CloudFormation loader: intrinsics, conditions, mappings, SAM, Terraform vocabulary, edges and lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.loaders import cloudformation
from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.cloudformation import template
from archlint.loaders.cloudformation.intrinsics import Resolver
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.loaders.yamlsource import parse_yaml
from archlint.model import NodeKind, Tier

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cloudformation"


def line_of(name: str, needle: str, after: str | None = None) -> int:
    """The 1-based line of the one line of fixture `name` containing `needle` (the first after `after`)."""
    lines = (FIXTURES / name).read_text().splitlines()
    start = line_of(name, after) if after else 0
    found = [n for n, text in enumerate(lines, 1) if needle in text and n > start]
    assert found and (after or len(found) == 1), f"{needle!r} found on lines {found} of {name}"
    return found[0]


@pytest.fixture(scope="module")
def loaded():
    return load(discover([FIXTURES], FIXTURES))


def node(result, logical_id):
    return result.model.component(f"cloudformation:{logical_id}")


def edges(result, file):
    return {(d.source.split(":", 1)[1], d.target.split(":", 1)[1], d.span.line) for d in result.model.dependencies()
            if d.span.file == file}


# ---- shop.yaml: parameters, conditions, mappings, short and long forms ------------------------------------------


def test_mapped_resources_become_nodes_and_a_false_condition_skips_one(loaded):
    kinds = {c.name: c.kind for c in loaded.model.components() if c.span.file == "shop.yaml"}
    assert kinds == {
        "WebLoadBalancer": NodeKind.GATEWAY, "WebGroup": NodeKind.SERVICE, "OrdersDatabase": NodeKind.DATASTORE,
        "SessionCache": NodeKind.CACHE, "ImageResizer": NodeKind.FUNCTION, "ResizeQueue": NodeKind.QUEUE,
        "AssetsBucket": NodeKind.DATASTORE,
    }  # Bastion's condition is false; roles, listeners, target groups and launch templates are not components
    assert all(c.source == "cloudformation" and c.provider == "aws" and c.region is None
               for c in loaded.model.components())


def test_database_facts_through_if_findinmap_and_novalue(loaded):
    db = node(loaded, "OrdersDatabase")
    assert db.attrs["resource_type"] == "aws_db_instance"
    assert db.attrs["high_availability"] is True  # MultiAZ: !If [IsProd, true, false], Environment defaults to prod
    assert db.attrs["instance_type"] == "db.r6g.large"  # !FindInMap [Sizing, !Ref Environment, DBClass]
    assert db.attrs["backup_retention_days"] == 14  # the long form Fn::If
    assert db.attrs["deletion_protection"] is False  # !If [IsDev, false, AWS::NoValue]: absent, the default
    assert db.labels == {"team": "orders"} and db.owner == "orders"
    assert (db.span.file, db.span.line) == ("shop.yaml", line_of("shop.yaml", "  OrdersDatabase:"))
    assert db.points["high_availability"].line == line_of("shop.yaml", "MultiAZ: !If")
    assert db.points["backup_retention_days"].line == line_of("shop.yaml", "BackupRetentionPeriod:")
    assert "unknown" not in db.attrs


def test_autoscaling_group_from_mappings_and_list_parameters(loaded):
    web = node(loaded, "WebGroup")
    assert (web.autoscaling.min_replicas, web.autoscaling.max_replicas) == (2, 8)  # short and long FindInMap
    assert web.replicas == 2  # no DesiredCapacity: the minimum
    assert web.attrs["subnet_count"] == 3  # CommaDelimitedList default, split
    assert web.labels == {"team": "storefront", "Name": "prod-web"}  # !Sub "${Environment}-web"
    assert web.autoscaling.span.line == line_of("shop.yaml", "MinSize: !FindInMap")


def test_cache_and_function_with_provisioned_concurrency(loaded):
    cache = node(loaded, "SessionCache")
    assert cache.replicas == 2 and cache.attrs["cache_nodes"] == 2
    assert cache.attrs["automatic_failover"] is True and cache.attrs["high_availability"] is True
    assert cache.attrs["instance_type"] == "cache.r6g.large"
    resizer = node(loaded, "ImageResizer")
    assert resizer.attrs["memory_mb"] == 1024  # a Number parameter's default
    assert resizer.attrs["provisioned_concurrency"] == 5  # from the Lambda::Version, folded into its function
    assert resizer.points["provisioned_concurrency"].line == line_of("shop.yaml", "ProvisionedConcurrentExecutions:")
    assert "cloudformation:ResizerVersion" not in loaded.model


def test_refs_getatt_sub_dependson_and_listener_target_groups_become_edges(loaded):
    assert edges(loaded, "shop.yaml") == {
        ("WebGroup", "OrdersDatabase", line_of("shop.yaml", "DependsOn: [OrdersDatabase")),
        ("WebGroup", "SessionCache", line_of("shop.yaml", "DependsOn: [OrdersDatabase")),
        # the balancer reaches the group through its listener and target group
        ("WebLoadBalancer", "WebGroup", line_of("shop.yaml", "TargetGroupARNs:")),
        ("ImageResizer", "AssetsBucket", line_of("shop.yaml", "S3Bucket: !Ref AssetsBucket")),
        ("ImageResizer", "ResizeQueue", line_of("shop.yaml", "QUEUE_URL: !Sub")),  # ${ResizeQueue.QueueName}
    }


# ---- ledger.json: a JSON template, Aurora, unknown conditions ------------------------------------------------


def test_aurora_cluster_counts_members_by_ref_and_by_identifier(loaded):
    cluster = node(loaded, "LedgerCluster")
    assert cluster.replicas == 2 and cluster.attrs["high_availability"] is True
    assert cluster.attrs["backup_retention_days"] == 30 and cluster.attrs["deletion_protection"] is True
    assert "cloudformation:LedgerWriter" not in loaded.model and "cloudformation:LedgerReader" not in loaded.model
    assert cluster.span.line == line_of("ledger.json", '"LedgerCluster": {')


def test_condition_on_a_parameter_without_default_leaves_the_count_unknown(loaded):
    archive = node(loaded, "ArchiveTable")
    assert archive.attrs["unknown"] == ["count"] and archive.replicas is None


def test_json_template_facts_and_edges(loaded):
    recommender = node(loaded, "RecommenderConfig")
    assert recommender.kind is NodeKind.MODEL_SERVING and recommender.tier is Tier.AI
    assert recommender.replicas == 2 and recommender.gpu == 1  # InitialInstanceCount: a Number parameter
    assert recommender.points["instance_type"].line == line_of("ledger.json", '"InstanceType": "ml.g5.xlarge"')
    assert node(loaded, "InternalBalancer").attrs["internet_facing"] is False
    assert node(loaded, "PaymentsConsumer").attrs["reserved_concurrency"] == 20
    assert edges(loaded, "ledger.json") == {
        ("PaymentsConsumer", "LedgerCluster", line_of("ledger.json", '"DB_HOST"')),
        ("PaymentsConsumer", "PaymentsQueue", line_of("ledger.json", '"EventSourceArn"')),  # event source mapping
    }


# ---- sam.yaml: Globals, implicit and explicit APIs, events ---------------------------------------------------


def test_sam_functions_take_globals_and_provisioned_concurrency_on_their_alias(loaded):
    assert node(loaded, "ListNotes").attrs["memory_mb"] == 512  # Globals
    assert node(loaded, "SaveNote").attrs["memory_mb"] == 256  # its own value wins
    assert node(loaded, "ListNotes").attrs["provisioned_concurrency"] == 3
    assert node(loaded, "NotesTable").kind is NodeKind.DATASTORE
    api = node(loaded, "ServerlessRestApi")  # created by SAM for the Api event
    assert api.kind is NodeKind.GATEWAY and api.span.line == line_of("sam.yaml", "List:")


def test_sam_apis_route_to_their_functions_and_functions_use_what_they_name(loaded):
    table_line = line_of("sam.yaml", "TABLE: !Ref NotesTable")  # from Globals
    assert edges(loaded, "sam.yaml") == {
        ("ServerlessRestApi", "ListNotes", line_of("sam.yaml", "List:")),
        ("NotesHttpApi", "SaveNote", line_of("sam.yaml", "Save:")),  # and not the function to its API
        ("IndexNotes", "IndexQueue", line_of("sam.yaml", "Queue: !GetAtt")),
        ("ListNotes", "NotesTable", table_line), ("SaveNote", "NotesTable", table_line),
        ("IndexNotes", "NotesTable", table_line),
    }


# ---- claims, the pipeline, odd input -------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "claimed"), [
    ({"AWSTemplateFormatVersion": "2010-09-09"}, True),
    ({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}, True),
    ({"Transform": ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"]}, True),
    ({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}, True),
    ({"Resources": {"Q": {"Type": "Custom::Thing"}}}, False),
    ({"apiVersion": "v1", "kind": "ConfigMap", "data": {"AWSTemplateFormatVersion": "x"}}, False),
    ({"apiVersion": "archlint.dev/v1", "kind": "ServiceGraph", "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}, False),
    ({"format_version": "1.2", "planned_values": {}}, False),
    (["AWSTemplateFormatVersion"], False),
])
def test_claims_templates_only(data, claimed):
    assert cloudformation.claims(data, "x.yaml") is claimed


def test_dynamic_references_do_not_make_a_template_look_like_helm(load_yaml):
    result = load_yaml({"db.yaml": """\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Db:
            Type: AWS::RDS::DBInstance
            Properties:
              MasterUserPassword: "{{resolve:secretsmanager:db:SecretString:password}}"
        """})
    assert result.stats["documents.cloudformation"] == 1 and "cloudformation:Db" in result.model


def test_odd_templates_load_without_crashing(load_yaml):
    result = load_yaml({"odd.yaml": """\
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters: [not, a, mapping]
        Conditions:
          Loop: !Condition Loop
          Odd: !Equals [a]
        Resources:
          NoType: {Properties: {}}
          NotAMapping: 3
          Fn::ForEach::Topics: [Name, [a, b], {"Topic${Name}": {Type: "AWS::SNS::Topic"}}]
          Everything:
            Type: AWS::RDS::DBInstance
            Condition: Loop
            Properties: !If [Odd, {MultiAZ: true}, {MultiAZ: false}]
          Strange:
            Type: AWS::AutoScaling::AutoScalingGroup
            DependsOn: {not: a list}
            Properties:
              MinSize: !Select [5, [1, 2]]
              MaxSize: !Join [",", !Ref Missing]
              AvailabilityZones: !GetAZs ""
              Tags: [{Key: 1, Value: 2}, not-a-tag]
        """})
    everything, strange = result.model.component("cloudformation:Everything"), result.model.component("cloudformation:Strange")
    assert {"count", "multi_az", "instance_class"} <= set(everything.attrs["unknown"])  # Properties: an unknown !If
    assert "high_availability" not in everything.attrs
    assert strange.attrs["unknown"] == ["availability_zones", "max_size", "min_size"] and strange.autoscaling is None


def test_plain_json_without_lines_points_at_line_one():
    data = json.loads((FIXTURES / "ledger.json").read_text())
    resources = {r.address: r for r in template.read(data, "ledger.json")}
    assert resources["LedgerCluster"].span.line == 1 and resources["LedgerCluster"].at("engine").line == 1
    assert resources["LedgerReader"].type == "aws_rds_cluster_instance"


# ---- the intrinsics ------------------------------------------------------------------------------------------


def resolver(text: str) -> Resolver:
    document = parse_yaml(text.encode(), "t.yaml")[0].data
    return Resolver(document, set(document.get("Resources") or {}))


def test_sub_select_split_join_and_unresolvable_values():
    r = resolver("""
Parameters:
  Name: {Type: String, Default: shop}
  Secret: {Type: String}
  Image: {Type: "AWS::SSM::Parameter::Value<String>", Default: /images/latest}
Mappings:
  Env: {shop: {Size: large}}
Resources:
  Queue: {Type: AWS::SQS::Queue}
""")
    assert r.resolve({"Fn::Sub": "${Name}-${!Literal}"}, 1) == "shop-${Literal}"
    assert r.resolve({"Fn::Sub": ["${A}/${Name}", {"A": "x"}]}, 1) == "x/shop"
    assert r.resolve({"Fn::Sub": "${AWS::Region}-${Name}"}, 1) is UNKNOWN
    assert r.resolve({"Fn::Select": [1, {"Fn::Split": [",", "a,b,c"]}]}, 1) == "b"
    assert r.resolve({"Fn::Join": ["-", ["a", {"Ref": "Name"}]]}, 1) == "a-shop"
    assert r.resolve({"Fn::FindInMap": ["Env", {"Ref": "Name"}, "Size"]}, 1) == "large"
    assert r.resolve({"Fn::FindInMap": ["Env", "other", "Size"]}, 1) is UNKNOWN
    assert r.resolve({"Ref": "Secret"}, 1) is UNKNOWN and r.resolve({"Ref": "Image"}, 1) is UNKNOWN
    assert r.resolve({"Fn::GetAtt": "Queue.Arn"}, 7) is UNKNOWN and r.refs == [("Queue", 7)]
    assert r.resolve({"Fn::ImportValue": "other-stack-queue"}, 1) is UNKNOWN


def test_conditions_are_three_valued():
    r = resolver("""
Parameters:
  Env: {Type: String, Default: prod}
  Free: {Type: String}
Conditions:
  Prod: !Equals [!Ref Env, prod]
  Unknown: !Equals [!Ref Free, x]
  Either: !Or [!Condition Prod, !Condition Unknown]
  Both: !And [!Condition Prod, !Condition Unknown]
  Neither: !And [!Not [!Condition Prod], !Condition Unknown]
""")
    assert [r.condition(c) for c in ("Prod", "Unknown", "Either", "Both", "Neither", "Missing")] == \
        [True, UNKNOWN, True, UNKNOWN, False, UNKNOWN]
    assert r.resolve({"Fn::If": ["Unknown", 3, 3]}, 1) == 3  # both branches agree
    assert r.resolve({"Fn::If": ["Unknown", 3, 4]}, 1) is UNKNOWN


_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                    st.sampled_from(["Name", "Queue", "AWS::NoValue", "AWS::Region", "Prod", "${Name}"]))
_functions = st.sampled_from(["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::FindInMap", "Fn::Join", "Fn::Select",
                              "Fn::Split", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition", "Fn::GetAZs"])
_values = st.recursive(_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3),
    st.builds(lambda name, arg: {name: arg}, _functions, inner)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_any_value_resolves_without_error(value):
    r = Resolver({"Parameters": {"Name": {"Default": "x"}}, "Conditions": {"Prod": {"Fn::Equals": ["a", "a"]}},
                  "Mappings": {"M": {"a": {"b": 1}}}}, {"Queue"})
    r.resolve({"Properties": value}, 1)
