"""Read replicas made by Terraform modules in the failure-mode assessment: a region lost is recovered by
promoting the replica the module made in another region (named by its module address)."""

from __future__ import annotations

from archlint.resilience import figure_table
from archlint.resilience.disruptions import Disruptions
from archlint.resilience.outages import Outages

from tests.resilience.helpers import model_of
from tests.resilience.test_mechanisms import FRONT

MODULE = """\
variable "region" {}
variable "source_db" {
  default = null
}
resource "aws_db_instance" "this" {
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  multi_az                = true
  backup_retention_period = var.source_db == null ? 14 : 0
  replicate_source_db     = var.source_db
  deletion_protection     = true
  tags = {
    "archlint.dev/component" = var.source_db == null ? "db" : "db-dr"
  }
}
output "arn" {
  value = aws_db_instance.this.arn
}
"""
ROOT = """\
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "dr"
  region = "us-east-1"
}
module "primary" {
  source = "./modules/db"
  region = "eu-west-1"
}
module "dr" {
  source    = "./modules/db"
  providers = { aws = aws.dr }
  region    = "us-east-1"
  source_db = module.primary.arn
}
"""


def test_a_region_lost_is_recovered_by_promoting_the_replica_a_module_made_in_another_region(tmp_path):
    model = model_of(tmp_path, {"main.tf": ROOT, "modules/db/main.tf": MODULE, "graph.yaml": FRONT})
    replica = next(c for c in model.components() if c.attrs.get("replica_of"))
    assert replica.name == "module.dr.aws_db_instance.this"
    assert replica.attrs["replica_of"] == "module.primary.aws_db_instance.this" and replica.region == "us-east-1"
    assert "backup_retention_days" not in replica.attrs  # a replica is not judged as a primary
    disruptions = Disruptions(model, Outages(figure_table(model)))
    region = next(d for d in disruptions.enumerate() if d.id == "region=eu-west-1")
    primary = next(c for c in model.components() if c.name == "module.primary.aws_db_instance.this")
    recovery = disruptions.hits(region)[primary.id]
    assert recovery.mechanism == "replica-promotion"
    assert recovery.says == "its read replica module.dr.aws_db_instance.this in us-east-1 is promoted by hand"
    assert (recovery.span.file, recovery.span.line) == ("modules/db/main.tf", 5)
