resource "aws_db_instance" "orders" {
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 2 # expect: FI027
}

# Not set: the API keeps 1 day.
resource "aws_rds_cluster" "ledger" { # expect: FI027
  engine              = "aurora-postgresql"
  deletion_protection = true
}
