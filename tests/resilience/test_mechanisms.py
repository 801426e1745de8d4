"""Each recovery mechanism the files show, with its documented figures: managed databases and caches in
Terraform and CloudFormation, Kubernetes controllers, Docker Compose hosts, the cross-region replica."""

from __future__ import annotations

import pytest

from archlint.resilience import FAILS

from tests.resilience.helpers import assessed, cell, graph

AWS = 'provider "aws" {\n  region = "eu-west-1"\n}\n'
#: The service graph that puts a journey in front of a store named `db` (the Terraform resource links to it).
FRONT = graph("""\
    - name: app
      entrypoint: true
      replicas: 3
      location: {zones: [eu-west-1a, eu-west-1b, eu-west-1c]}
      dependencies:
        - {target: db, kind: writes, mode: sync}
    - name: db
      kind: datastore
""", defaults="    location: {provider: aws, region: eu-west-1}\n")
LINK = '  tags = {\n    "archlint.dev/component" = "db"\n  }\n'


def _store(tmp_path, body: str, provider: str = AWS, front: str = FRONT):
    model, assessment = assessed(tmp_path, {"main.tf": provider + body, "graph.yaml": front})
    return model, assessment


def _zone_cell(assessment):
    zone = next(d.id for d in assessment.disruptions if d.kind == "zone")
    return cell(assessment, "app", zone)


@pytest.mark.parametrize("multi_az, mechanism, rto", [
    ("true", "rds-multi-az-failover", "60 s to 2 min"),
    ("false", "rds-single-az-restore", "at least 1 h"),
])
def test_rds_zone_outage_fails_over_or_is_restored_by_hand(tmp_path, multi_az, mechanism, rto):
    _, assessment = _store(tmp_path, f'resource "aws_db_instance" "main" {{\n  engine = "postgres"\n  '
                           f'instance_class = "db.m6g.large"\n  multi_az = {multi_az}\n{LINK}}}\n')
    found = _zone_cell(assessment)
    assert found.outcome == FAILS and found.recovery.mechanism == mechanism and found.rto.text() == rto
    assert found.rpo.text() == ("none" if multi_az == "true" else "up to 5 min")  # synchronous standby / PITR
    assert all(f.source.startswith("https://") and f.date for f in found.figures)


def test_rds_without_automated_backups_loses_everything_in_a_zone_outage(tmp_path):
    _, assessment = _store(tmp_path, f'resource "aws_db_instance" "main" {{\n  engine = "postgres"\n  '
                           f'instance_class = "db.m6g.large"\n  backup_retention_period = 0\n{LINK}}}\n')
    found = _zone_cell(assessment)
    assert found.rpo.unbounded and found.rto.unbounded
    assert found.recovery.span.line == 7  # the backup_retention_period line decides it


def test_aurora_promotes_a_replica_or_recreates_its_only_instance(tmp_path):
    body = (f'resource "aws_rds_cluster" "main" {{\n  engine = "aurora-postgresql"\n{LINK}}}\n'
            'resource "aws_rds_cluster_instance" "one" {\n  cluster_identifier = aws_rds_cluster.main.id\n'
            '  instance_class = "db.r6g.large"\n  count = COUNT\n}\n')
    _, two = _store(tmp_path, body.replace("COUNT", "2"))
    primary = next(d.id for d in two.disruptions if d.kind == "primary")
    assert cell(two, "app", primary).rto.text() == "under 60 s"
    (tmp_path / "main.tf").unlink()
    _, one = _store(tmp_path, body.replace("COUNT", "1"))
    assert cell(one, "app", primary).rto.text() == "under 10 min"


def test_cloud_sql_regional_fails_over_and_zonal_is_restored_by_hand(tmp_path):
    from archlint.resilience import figure_table
    from archlint.resilience.outages import Outages

    google = 'provider "google" {\n  region = "europe-west1"\n}\n'
    body = ('resource "google_sql_database_instance" "main" {\n  database_version = "POSTGRES_15"\n'
            '  settings {\n    tier = "db-custom-2-7680"\n    availability_type = "AVAILABILITY"\n  }\n}\n')
    for availability, mechanism, rto in (("REGIONAL", "cloudsql-ha-failover", "at least 60 s"),
                                         ("ZONAL", "cloudsql-zonal-restore", "not documented")):
        model, _ = assessed(tmp_path, {"main.tf": google + body.replace("AVAILABILITY", availability)})
        store = next(model.components())
        found = Outages(figure_table(model)).zone(store, "europe-west1b")
        assert (found.mechanism, found.rto.text()) == (mechanism, rto)
        assert found.span.line == 8  # settings.availability_type decides it
    assert "restore any standalone instances manually" in found.figures[0].says


def test_azure_flexible_server_zone_redundant_ha_and_restore(tmp_path):
    azure = 'provider "azurerm" {\n  features {}\n}\n'
    front = FRONT.replace("aws, region: eu-west-1", "azure, region: westeurope").replace(
        "eu-west-1a, eu-west-1b, eu-west-1c", "'1', '2', '3'")
    body = ('resource "azurerm_postgresql_flexible_server" "main" {\n  location = "westeurope"\n'
            '  sku_name = "GP_Standard_D2s_v3"\n  HA\n  tags = {\n    "archlint.dev/component" = "db"\n  }\n}\n')
    _, ha = _store(tmp_path, body.replace("HA", 'high_availability {\n    mode = "ZoneRedundant"\n  }'), azure, front)
    assert _zone_cell(ha).rto.text() == "60 s to 2 min" and _zone_cell(ha).rpo.text() == "none"
    _, single = _store(tmp_path, body.replace("HA", ""), azure, front)
    assert _zone_cell(single).rto.text() == "under 12 h" and _zone_cell(single).rpo.text() == "up to 5 min"


def test_caches_fail_over_in_seconds_or_start_empty(tmp_path):
    front = FRONT.replace("kind: writes", "kind: reads")
    body = ('resource "aws_elasticache_replication_group" "main" {\n  node_type = "cache.m6g.large"\n'
            '  num_cache_clusters = 2\n  automatic_failover_enabled = FAILOVER\n  multi_az_enabled = FAILOVER\n'
            f'{LINK}}}\n')
    _, ha = _store(tmp_path, body.replace("FAILOVER", "true"), front=front)
    primary = next(d.id for d in ha.disruptions if d.kind == "primary")
    found = cell(ha, "app", primary)
    assert found.recovery.mechanism == "elasticache-multi-az-failover" and found.rto.text() == "under 60 s"
    assert found.rpo is None  # a cache: its contents are rebuilt from the store, no data loss counted


def test_memorystore_standard_tier_fails_over_in_about_30_seconds(tmp_path):
    google = 'provider "google" {\n  region = "europe-west1"\n}\n'
    front = FRONT.replace("aws, region: eu-west-1", "gcp, region: europe-west1").replace("eu-west-1", "europe-west1")
    body = ('resource "google_redis_instance" "main" {\n  tier = "STANDARD_HA"\n  memory_size_gb = 4\n'
            '  labels = {\n    "archlint.dev/component" = "db"\n  }\n}\n')
    _, assessment = _store(tmp_path, body, google, front)
    primary = next(d.id for d in assessment.disruptions if d.kind == "primary")
    assert cell(assessment, "app", primary).rto.text() == "about 30 s on average"


def test_a_standalone_instance_is_not_replaced_and_a_group_over_two_zones_survives(tmp_path):
    body = ('resource "aws_instance" "one" {\n  instance_type = "m6i.large"\n  availability_zone = "eu-west-1a"\n'
            f'{LINK}}}\n')
    _, single = _store(tmp_path, body)
    node = next(d.id for d in single.disruptions if d.kind == "node" and "aws_instance" in d.id)
    assert cell(single, "app", node).rto.unbounded


def test_cross_region_replica_is_promoted_by_hand_with_its_documented_figures(tmp_path):
    text = graph("""\
    - name: app
      entrypoint: true
      replicas: 2
      location: {zones: ['1', '2']}
      dependencies:
        - {target: db, kind: writes, mode: sync}
    - name: db
      kind: datastore
      location: {zones: ['1', '2']}
    - name: db-dr
      kind: datastore
      replica_of: db
      location: {region: northeurope}
""", defaults="    location: {provider: azure, region: westeurope}\n")
    _, assessment = assessed(tmp_path, {"graph.yaml": text})
    found = cell(assessment, "app", "region=westeurope")
    assert found.decider == "db" and found.recovery.mechanism == "azure-postgres-replica-promotion"
    assert found.rto.text() == "at least 60 s" and found.rpo.text() == "up to 5 min"


def test_a_compose_host_lost_takes_every_service_with_nothing_to_restart_them(tmp_path):
    compose = ("services:\n  web:\n    image: nginx\n    ports: ['80:80']\n    depends_on: [db]\n"
               "    environment:\n      DATABASE_URL: postgres://db:5432/app\n  db:\n    image: postgres:16\n"
               "    volumes: ['data:/var/lib/postgresql/data']\nvolumes:\n  data: {}\n")
    _, assessment = assessed(tmp_path, {"compose.yaml": compose})
    host = next(d for d in assessment.disruptions if d.id.startswith("node=compose:"))
    found = cell(assessment, "web", host.id)
    assert found.outcome == FAILS and found.rto.unbounded and found.rpo.unbounded
    assert "docker compose on a single host, not a Swarm stack" in " ".join(found.assumptions)


def test_cloudformation_multi_az_is_read_like_terraform(tmp_path):
    template = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Orders:\n    Type: AWS::RDS::DBInstance\n"
                "    Properties:\n      Engine: postgres\n      DBInstanceClass: db.m6g.large\n      MultiAZ: false\n"
                "      Tags:\n        - {Key: archlint.dev/component, Value: db}\n")
    _, assessment = assessed(tmp_path, {"template.yaml": template, "graph.yaml": FRONT})
    primary = next(d.id for d in assessment.disruptions if d.kind == "primary")
    found = cell(assessment, "app", primary)
    assert found.recovery.mechanism == "rds-single-az-restore" and found.recovery.span.file == "template.yaml"
    assert found.recovery.span.line == 8  # MultiAZ: false


def test_cdk_program_database_without_multi_az(tmp_path):
    program = ("import aws_cdk as cdk\nfrom aws_cdk import aws_rds as rds\n\n\nclass Shop(cdk.Stack):\n"
               "    def __init__(self, scope, name):\n        super().__init__(scope, name)\n"
               "        rds.DatabaseInstance(self, 'Orders', engine=rds.DatabaseInstanceEngine.POSTGRES, "
               "multi_az=False)\n\n\napp = cdk.App()\nShop(app, 'shop')\napp.synth()\n")
    model, assessment = assessed(tmp_path, {"cdk.json": '{"app": "python3 app.py"}', "app.py": program})
    stores = [c for c in model.components() if c.attrs.get("resource_type") == "aws_db_instance"]
    assert stores and stores[0].attrs["high_availability"] is False
    primary = next(d for d in assessment.disruptions if d.kind == "primary")
    assert primary.subject == stores[0].id
