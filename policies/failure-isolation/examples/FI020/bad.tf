resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  engine_version          = "16.4"
  instance_class          = "db.r6g.large"
  allocated_storage       = 200
  multi_az                = false # expect: FI020
  backup_retention_period = 7
  deletion_protection     = true
}

resource "google_sql_database_instance" "billing" {
  name             = "billing"
  database_version = "POSTGRES_16"
  region           = "europe-west1"
  settings { # expect: FI020
    tier = "db-custom-4-16384"
    backup_configuration {
      enabled = true
    }
  }
}
