resource "aws_instance" "api" {
  count                       = 3
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "m5.large"
  associate_public_ip_address = true

  tags = {
    Name = "api"
  }
}

# A bastion without a public address is not serving traffic.
resource "aws_instance" "bastion" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
}
