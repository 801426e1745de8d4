provider "aws" {
  region = "eu-west-1"
}

resource "aws_db_instance" "orders" {
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  allocated_storage       = 100
  backup_retention_period = 7
  tags = {
    "archlint.dev/component" = "orders-db"
  }
}
