"""Facts that live in a sibling resource: autoscaling targets, launch templates, task definitions, network
interfaces, clusters, read replicas, replication group members and the subnets behind a NAT gateway."""

from __future__ import annotations



def node(result, address):
    return result.model.component(f"terraform:{address}")


def test_an_ecs_service_scaled_by_application_auto_scaling_has_its_bounds_and_its_task_size(load_yaml):
    result = load_yaml({"main.tf": """
        resource "aws_ecs_task_definition" "api" {
          family                   = "api"
          cpu                      = "512"
          memory                   = "1024"
          requires_compatibilities = ["FARGATE"]
        }
        resource "aws_ecs_service" "api" {
          name            = "api"
          cluster         = "shop"
          task_definition = aws_ecs_task_definition.api.arn
          desired_count   = 1
        }
        resource "aws_appautoscaling_target" "api" {
          service_namespace  = "ecs"
          scalable_dimension = "ecs:service:DesiredCount"
          resource_id        = "service/shop/${aws_ecs_service.api.name}"
          min_capacity       = 2
          max_capacity       = 10
        }
    """})
    api = node(result, "aws_ecs_service.api")
    assert (api.autoscaling.min_replicas, api.autoscaling.max_replicas) == (2, 10)
    assert api.autoscaling.min_span.line == 18  # min_capacity, in the target
    assert api.autoscaling.label == "Application Auto Scaling target aws_appautoscaling_target.api"
    assert (api.cpu, api.memory, api.attrs["fargate"], api.attrs["replica_unit"]) == (0.5, 2**30, True, "task")
    assert "terraform:aws_appautoscaling_target.api" not in result.model  # folded into the service


def test_sizes_from_launch_templates_and_public_addresses_of_vms(load_yaml):
    result = load_yaml({"main.tf": """
        resource "aws_launch_template" "web" {
          instance_type = "m6i.large"
        }
        resource "aws_autoscaling_group" "web" {
          min_size = 2
          max_size = 4
          launch_template {
            id = aws_launch_template.web.id
          }
        }
        resource "google_compute_instance" "bastion" {
          machine_type = "e2-small"
          network_interface {
            network = "default"
            access_config {}
          }
        }
        resource "google_compute_instance" "worker" {
          machine_type = "e2-small"
          network_interface {
            network = "default"
          }
        }
        resource "azurerm_public_ip" "vm" {
          name              = "vm"
          allocation_method = "Static"
        }
        resource "azurerm_network_interface" "vm" {
          name = "vm"
          ip_configuration {
            name                 = "internal"
            public_ip_address_id = azurerm_public_ip.vm.id
          }
        }
        resource "azurerm_linux_virtual_machine" "vm" {
          size                  = "Standard_B2s"
          network_interface_ids = [azurerm_network_interface.vm.id]
        }
    """})
    web = node(result, "aws_autoscaling_group.web")
    assert web.attrs["instance_type"] == "m6i.large" and web.cpu == 2
    assert web.points["instance_type"].line == 3  # in the launch template
    assert node(result, "google_compute_instance.bastion").attrs["internet_facing"] is True
    assert node(result, "google_compute_instance.worker").attrs["internet_facing"] is False
    vm = node(result, "azurerm_linux_virtual_machine.vm")
    assert vm.attrs["internet_facing"] is True and vm.points["internet_facing"].line == 33


def test_read_replicas_are_not_judged_as_primaries_and_name_what_they_copy(load_yaml):
    result = load_yaml({"main.tf": """
        resource "aws_db_instance" "primary" {
          instance_class      = "db.r6g.large"
          multi_az            = true
          skip_final_snapshot = true
        }
        resource "aws_db_instance" "replica" {
          instance_class      = "db.r6g.large"
          replicate_source_db = aws_db_instance.primary.identifier
        }
        resource "google_sql_database_instance" "main" {
          region = "europe-west1"
          settings {
            tier = "db-custom-2-7680"
          }
        }
        resource "google_sql_database_instance" "dr" {
          region               = "us-east1"
          master_instance_name = google_sql_database_instance.main.name
          settings {
            tier = "db-custom-2-7680"
          }
        }
    """})
    replica = node(result, "aws_db_instance.replica")
    assert replica.attrs["replica_of"] == "aws_db_instance.primary"
    assert not {"high_availability", "backup_retention_days", "deletion_protection"} & set(replica.attrs)
    primary = node(result, "aws_db_instance.primary")
    assert (primary.attrs["final_snapshot"], primary.attrs["keeps_automated_backups"]) == (False, False)
    dr = node(result, "google_sql_database_instance.dr")
    assert dr.attrs["replica_of"] == "google_sql_database_instance.main" and "backup_retention_days" not in dr.attrs
    assert node(result, "google_sql_database_instance.main").attrs["replica_regions"] == ["us-east1"]


def test_clusters_and_their_pools(load_yaml):
    result = load_yaml({"main.tf": """
        resource "azurerm_kubernetes_cluster" "main" {
          name = "shop"
          default_node_pool {
            name                 = "system"
            vm_size              = "Standard_D4s_v5"
            auto_scaling_enabled = true
            min_count            = 2
            max_count            = 5
            zones                = ["1", "2", "3"]
          }
        }
        resource "google_container_cluster" "zonal" {
          name     = "zonal"
          location = "europe-west1-b"
        }
        resource "google_container_node_pool" "apps" {
          cluster    = google_container_cluster.zonal.name
          node_count = 3
          node_config {
            machine_type = "e2-standard-4"
          }
        }
    """})
    pool = node(result, "azurerm_kubernetes_cluster.main.default_node_pool")
    assert pool.attrs["resource_type"] == "azurerm_kubernetes_cluster_node_pool"
    assert (pool.autoscaling.min_replicas, pool.autoscaling.max_replicas, pool.zones) == (2, 5, ("1", "2", "3"))
    assert pool.attrs["instance_type"] == "Standard_D4s_v5" and pool.points["instance_type"].line == 6
    assert node(result, "azurerm_kubernetes_cluster.main").attrs["sla_tier"] == "Free"
    assert node(result, "google_container_cluster.zonal").attrs["control_plane"] == "zonal"
    assert node(result, "google_container_node_pool.apps").zones == ("europe-west1-b",)  # the cluster's zone


def test_cache_members_fold_into_their_group_and_memcached_never_fails_over(load_yaml):
    result = load_yaml({"main.tf": """
        resource "aws_elasticache_replication_group" "sessions" {
          replication_group_id = "sessions"
          node_type            = "cache.r6g.large"
          num_cache_clusters   = 1
        }
        resource "aws_elasticache_cluster" "reader" {
          cluster_id           = "sessions-reader"
          replication_group_id = aws_elasticache_replication_group.sessions.id
        }
        resource "aws_elasticache_cluster" "pages" {
          cluster_id      = "pages"
          engine          = "memcached"
          node_type       = "cache.m6g.large"
          num_cache_nodes = 3
        }
    """})
    assert node(result, "aws_elasticache_replication_group.sessions").attrs["cache_nodes"] == 2
    assert "terraform:aws_elasticache_cluster.reader" not in result.model
    pages = node(result, "aws_elasticache_cluster.pages")
    assert pages.attrs["cache_nodes"] == 3 and "automatic_failover" not in pages.attrs


def test_a_global_datastore_secondary_takes_its_node_type_from_the_primary_group(load_yaml):
    result = load_yaml({"main.tf": """
        resource "aws_elasticache_replication_group" "primary" {
          replication_group_id = "sessions"
          description          = "sessions"
          node_type            = "cache.r7g.large"
          num_cache_clusters   = 2
        }
        resource "aws_elasticache_global_replication_group" "this" {
          global_replication_group_id_suffix = "sessions"
          primary_replication_group_id       = aws_elasticache_replication_group.primary.id
        }
        resource "aws_elasticache_replication_group" "secondary" {
          replication_group_id        = "sessions-eu"
          description                 = "sessions"
          global_replication_group_id = aws_elasticache_global_replication_group.this.global_replication_group_id
          num_cache_clusters          = 2
        }
    """})
    secondary = node(result, "aws_elasticache_replication_group.secondary")
    assert secondary.attrs["instance_type"] == "cache.r7g.large"
    assert secondary.points["instance_type"].line == 5  # the primary's node_type
