resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = "{}"
}
