resource "aws_db_instance" "legacy" { # expect: CO021
  engine         = "mysql"
  instance_class = "db.t2.small"
  tags           = { team = "billing" }
}
