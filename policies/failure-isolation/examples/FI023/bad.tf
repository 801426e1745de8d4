resource "aws_instance" "api" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "m5.large"
  associate_public_ip_address = true # expect: FI023

  tags = {
    Name = "api"
  }
}
