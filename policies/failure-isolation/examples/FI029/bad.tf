resource "google_container_cluster" "primary" {
  name     = "shop"
  location = "europe-west1-b" # expect: FI029
}

resource "azurerm_kubernetes_cluster" "main" { # expect: FI029
  name                = "shop"
  location            = "westeurope"
  resource_group_name = "shop"
  dns_prefix          = "shop"
  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
    zones      = ["1", "2", "3"]
  }
}
