locals {
  zones = ["eu-west-1a", "eu-west-1b"]
  hosts = concat(local.zones, local.zones)
}

resource "aws_instance" "worker" {
  count         = length(local.hosts)
  instance_type = "t3.micro"
  tags          = { team = "platform" }
}
