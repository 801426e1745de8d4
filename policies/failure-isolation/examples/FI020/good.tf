variable "multi_az" {
  type    = bool
  default = true
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  multi_az                = var.multi_az
  backup_retention_period = 7
  deletion_protection     = true
}

resource "google_sql_database_instance" "billing" {
  name             = "billing"
  database_version = "POSTGRES_16"
  settings {
    tier              = "db-custom-4-16384"
    availability_type = "REGIONAL"
    backup_configuration {
      enabled = true
    }
  }
}

# A variable with no default cannot be known: archlint does not guess.
variable "reports_multi_az" {
  type = bool
}

resource "aws_db_instance" "reports" {
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  multi_az            = var.reports_multi_az
  deletion_protection = true
}
