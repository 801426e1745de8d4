# One NAT gateway per zone, each private subnet routed to its own zone's.
resource "aws_nat_gateway" "this" {
  for_each      = toset(["a", "b", "c"])
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
}

resource "aws_eip" "nat" {
  for_each = toset(["a", "b", "c"])
  domain   = "vpc"
}

resource "aws_subnet" "public" {
  for_each          = { a = "10.0.0.0/24", b = "10.0.1.0/24", c = "10.0.2.0/24" }
  vpc_id            = "vpc-0a1b2c3d"
  cidr_block        = each.value
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_subnet" "private" {
  for_each          = { a = "10.0.10.0/24", b = "10.0.11.0/24", c = "10.0.12.0/24" }
  vpc_id            = "vpc-0a1b2c3d"
  cidr_block        = each.value
  availability_zone = "eu-west-1${each.key}"
}

resource "aws_route_table" "private" {
  for_each = toset(["a", "b", "c"])
  vpc_id   = "vpc-0a1b2c3d"
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[each.key].id
  }
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}
