# One NAT gateway for the private subnets of three zones: a zone outage cuts the other two off.
resource "aws_nat_gateway" "this" { # expect: FI026
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_subnet" "public" {
  vpc_id            = "vpc-0a1b2c3d"
  cidr_block        = "10.0.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "private" {
  for_each          = { a = "10.0.10.0/24", b = "10.0.11.0/24", c = "10.0.12.0/24" }
  vpc_id            = "vpc-0a1b2c3d"
  cidr_block        = each.value
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_route_table" "private" {
  vpc_id = "vpc-0a1b2c3d"
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this.id
  }
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}
