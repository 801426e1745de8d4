provider "aws" {
  region = "eu-west-1"
}

# The orders database of checkout: a synchronous standby in another zone.
resource "aws_db_instance" "orders" {
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
  multi_az          = true
  tags = {
    "archlint.dev/component" = "orders-db"
  }
}
