resource "aws_db_instance" "orders" {
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 14
}
