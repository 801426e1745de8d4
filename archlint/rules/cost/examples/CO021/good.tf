resource "aws_instance" "builder" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "m6i.xlarge"
  tags          = { team = "platform" }
}
