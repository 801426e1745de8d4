resource "aws_lambda_function" "checkout" {
  function_name = "checkout"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = "arn:aws:iam::123456789012:role/checkout"
  filename      = "checkout.zip"
  memory_size   = 1024
}
