resource "google_container_cluster" "primary" {
  name           = "shop"
  location       = "europe-west1"
  node_locations = ["europe-west1-b", "europe-west1-c", "europe-west1-d"]
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = "shop"
  location            = "westeurope"
  resource_group_name = "shop"
  dns_prefix          = "shop"
  sku_tier            = "Standard"
  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
    zones      = ["1", "2", "3"]
  }
}
