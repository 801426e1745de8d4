# The VPC comes from the registry, and `terraform init` has not run here: archlint cannot see what it creates.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws" # expect: IN006
  version = "~> 5.0"

  name = "shop"
  cidr = "10.0.0.0/16"
}

module "queue" {
  source = "./modules/queues" # expect: IN006
}

resource "aws_sqs_queue" "orders" {
  name = "orders"
}
