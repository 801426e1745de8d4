provider "aws" {
  region = "eu-west-1"
}

# The orders database of checkout: one instance, no standby (multi_az defaults to false).
resource "aws_db_instance" "orders" { # expect: FI050
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
  tags = {
    "archlint.dev/component" = "orders-db"
  }
}
