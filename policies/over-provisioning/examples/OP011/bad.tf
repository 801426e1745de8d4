resource "aws_lambda_function" "checkout" {
  function_name = "checkout"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = "arn:aws:iam::123456789012:role/checkout"
  filename      = "checkout.zip"
  memory_size   = 1024
  publish       = true
}

resource "aws_lambda_provisioned_concurrency_config" "checkout" {
  function_name                     = aws_lambda_function.checkout.function_name
  qualifier                         = aws_lambda_function.checkout.version
  provisioned_concurrent_executions = 50 # expect: OP011
}
