resource "aws_db_instance" "orders" {
  engine                    = "postgres"
  instance_class            = "db.r6g.large"
  multi_az                  = true
  backup_retention_period   = 7
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "orders-final"
}

# A test database that may go, but keeps its automated backups for their retention period.
resource "aws_db_instance" "scratch" {
  engine                   = "postgres"
  instance_class           = "db.t4g.micro"
  backup_retention_period  = 7
  skip_final_snapshot      = true
  delete_automated_backups = false
}
