resource "aws_db_instance" "analytics" {
  engine                  = "postgres"
  instance_class          = "db.r6g.xlarge"
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 14
}
