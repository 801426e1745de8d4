# A local module: archlint reads it through this call.
module "queue" {
  source = "./modules/queue"

  name = "orders"
}
