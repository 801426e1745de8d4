resource "aws_db_instance" "orders" {
  engine         = "postgres"
  instance_class = "db.t4g.small"
  tags           = { team = "billing" }
}

# Priced by use: listed by `archlint cost`, not a finding.
resource "aws_lambda_function" "resize" {
  function_name = "resize"
  memory_size   = 1024
  tags          = { team = "media" }
}
