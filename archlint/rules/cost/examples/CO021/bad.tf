resource "aws_lambda_function" "resize" { # expect: CO021
  function_name = "resize"
  runtime       = "python3.12"
  handler       = "app.handler"
  memory_size   = 1024
  tags          = { team = "media" }
}
