"""The estimate of every supported resource family: quantity x unit price, ranges, fallbacks, never a silent zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.catalog import catalog
from archlint.catalog.prices import HOURS_PER_MONTH
from archlint.cost import compute
from archlint.loaders.discover import SourcePath
from archlint.loaders.pipeline import load
from archlint.catalog import Price
from archlint.model.economics import Discount, Economics

H = HOURS_PER_MONTH


def _estimate(tmp_path: Path, files: dict[str, str], economics: Economics = Economics()):
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        paths.append(SourcePath(path, name))
    return compute(load(paths).model, economics)


def _node(estimate, name):
    """The cost line of a resource by its Terraform name (lines show the address: `aws_instance.web`)."""
    return next(n for n in estimate.nodes if n.name.rsplit(".", 1)[-1] == name)


def _price(provider, family, item):
    return catalog().get(provider, family, item).usd


def test_catalog_rows_have_sources_dates_and_cover_every_provider_and_family():
    rows = catalog().rows
    assert len(rows) > 200 and all(r.source and r.date and r.usd >= 0 for r in rows)
    coverage = catalog().coverage()
    for provider in ("aws", "gcp", "azure"):
        for family in ("instance", "instance-family", "storage", "serverless", "service-hour", "transfer",
                       "spot-factor"):
            assert coverage.get((provider, family)), (provider, family)
    assert coverage[("aws", "database")] and coverage[("aws", "cache")] and coverage[("azure", "database")]


def test_instances_by_row_by_family_rate_spot_and_count(tmp_path):
    estimate = _estimate(tmp_path, {"main.tf": '''
resource "aws_instance" "gpu" { instance_type = "g5.xlarge" }
resource "aws_instance" "web" {
  count         = 3
  instance_type = "m6i.2xlarge"
}
resource "aws_instance" "batch" {
  instance_type = "c6i.large"
  instance_market_options { market_type = "spot" }
}
resource "google_compute_instance" "vm" {
  name         = "vm"
  machine_type = "n2-standard-4"
  zone         = "us-central1-a"
}
resource "azurerm_linux_virtual_machine" "box" { size = "Standard_D4s_v5" }
'''})
    assert _node(estimate, "gpu").low == pytest.approx(_price("aws", "instance", "g5.xlarge") * H)
    assert _node(estimate, "web").low == pytest.approx(3 * 8 * _price("aws", "instance-family", "m6i:vcpu") * H)
    spot = _price("aws", "spot-factor", "compute")
    assert _node(estimate, "batch").low == pytest.approx(2 * _price("aws", "instance-family", "c6i:vcpu") * spot * H)
    gcp = 4 * _price("gcp", "instance-family", "n2:vcpu") + 16 * _price("gcp", "instance-family", "n2:gib")
    assert _node(estimate, "vm").low == pytest.approx(gcp * H)
    assert _node(estimate, "box").low == pytest.approx(4 * _price("azure", "instance-family", "Dsv5:vcpu") * H)
    assert not any(n.fallback for n in estimate.nodes)


def test_scaling_groups_and_node_pools_give_a_range_and_hold_their_workloads(tmp_path):
    estimate = _estimate(tmp_path, {"pool.tf": '''
resource "aws_eks_node_group" "general" {
  instance_types = ["m6i.large"]
  scaling_config {
    min_size     = 2
    max_size     = 6
    desired_size = 3
  }
}
''', "app.yaml": '''
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {team: core}}
spec:
  replicas: 4
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - {name: api, image: "acme/api:1", resources: {requests: {cpu: "1", memory: 2Gi}}}
'''})
    pool = _node(estimate, "general")
    node = 2 * _price("aws", "instance-family", "m6i:vcpu") * H
    assert (pool.low, pool.high) == (pytest.approx(2 * node), pytest.approx(6 * node))
    api = _node(estimate, "api")
    assert api.within == pool.id and not api.counted  # inside the pool's bill: shown, not added
    assert api.low == pytest.approx(4 * 0.5 * node)  # half a node (1 of 2 vCPU, 2 of 8 GiB) per replica
    assert estimate.low == pytest.approx(pool.low)


def test_managed_databases_caches_and_storage(tmp_path):
    estimate = _estimate(tmp_path, {"data.tf": '''
resource "aws_db_instance" "orders" {
  instance_class    = "db.r6g.large"
  engine            = "postgres"
  multi_az          = true
  allocated_storage = 100
}
resource "aws_elasticache_replication_group" "sessions" {
  node_type          = "cache.t3.medium"
  num_cache_clusters = 2
}
resource "google_redis_instance" "cache" {
  name           = "cache"
  tier           = "STANDARD_HA"
  memory_size_gb = 5
}
resource "azurerm_redis_cache" "c" {
  sku_name = "Standard"
  family   = "C"
  capacity = 1
}
resource "google_sql_database_instance" "main" {
  database_version = "POSTGRES_16"
  settings { tier = "db-custom-2-7680" }
}
'''})
    db = 2 * 2 * _price("aws", "database-family", "db.r6g:vcpu") * H + 2 * 100 * _price("aws", "storage",
                                                                                           "database-storage")
    assert _node(estimate, "orders").low == pytest.approx(db)
    assert _node(estimate, "sessions").low == pytest.approx(2 * _price("aws", "cache", "cache.t3.medium") * H)
    assert _node(estimate, "cache").low == pytest.approx(5 * _price("gcp", "cache-family",
                                                                    "memorystore-standard:gib") * H)
    assert _node(estimate, "c").low == pytest.approx(_price("azure", "cache", "Standard:C1") * H)
    sql = 2 * _price("gcp", "database-family", "cloudsql:vcpu") + 7.5 * _price("gcp", "database-family", "cloudsql:gib")
    assert _node(estimate, "main").low == pytest.approx(sql * H)


def test_usage_priced_services_need_assumptions_and_say_so(tmp_path):
    files = {"fn.tf": '''
resource "aws_lambda_function" "resize" { memory_size = 1024 }
resource "aws_s3_bucket" "assets" { bucket = "assets" }
resource "aws_sqs_queue" "jobs" { name = "jobs" }
resource "aws_dynamodb_table" "carts" { name = "carts" }
resource "aws_lb" "front" { name = "front" }
resource "aws_eks_cluster" "main" { name = "main" }
'''}
    bare = _estimate(tmp_path, files)
    for name in ("resize", "assets", "jobs", "carts"):
        assert not _node(bare, name).lines and "usage assumptions" in _node(bare, name).unpriced
    assert _node(bare, "front").low == pytest.approx(_price("aws", "service-hour", "application-load-balancer") * H)
    assert _node(bare, "main").low == pytest.approx(0.10 * H)
    usage = {"aws_lambda_function.resize": {"monthly_requests": 3_000_000, "request_duration_ms": 200},
             "aws_s3_bucket.assets": {"standard": {"storage_gb": 500}},
             "aws_sqs_queue.jobs": {"monthly_requests": 10_000_000},
             "aws_dynamodb_table.carts": {"monthly_write_request_units": 2e6, "monthly_read_request_units": 8e6,
                                          "storage_gb": 10}}
    priced = _estimate(tmp_path, files, Economics(usage=usage))
    fn = 3 * _price("aws", "serverless", "function-requests") + 3e6 * 0.2 * 1.0 * _price("aws", "serverless",
                                                                                       "function-compute")
    assert _node(priced, "resize").low == pytest.approx(fn)
    assert _node(priced, "assets").low == pytest.approx(500 * _price("aws", "storage", "object"))
    assert _node(priced, "jobs").low == pytest.approx(10 * _price("aws", "serverless", "queue-requests"))
    carts = 2 * 1.25 + 8 * 0.25 + 10 * 0.25
    assert _node(priced, "carts").low == pytest.approx(carts)


def test_unknown_types_fall_back_to_unit_rates_and_are_marked(tmp_path):
    estimate = _estimate(tmp_path, {"a.tf": 'resource "aws_instance" "odd" { instance_type = "m4.large" }\n'})
    odd = _node(estimate, "odd")
    assert odd.fallback and "unit rates" in odd.lines[0].formula
    unknown = _estimate(tmp_path, {"a.tf": 'resource "aws_instance" "x" { instance_type = var.size }\n'
                                           'variable "size" {}\n'})
    assert "no instance type" in _node(unknown, "x").unpriced


def test_price_file_rows_and_discounts_change_the_estimate(tmp_path):
    files = {"a.tf": 'resource "aws_instance" "web" { instance_type = "m6i.large" }\n'
                     'resource "aws_instance" "gpu" { instance_type = "g5.xlarge" }\n'}
    economics = Economics(prices=(Price("aws", "instance", "g5.xlarge", "hour", 0.5, "reserved", ""),),
                          discounts=(Discount(20, "savings plan", "aws", "instance-family"),))
    estimate = _estimate(tmp_path, files, economics)
    assert _node(estimate, "gpu").low == pytest.approx(0.5 * H)
    assert _node(estimate, "web").low == pytest.approx(2 * 0.048 * 0.8 * H)
    assert estimate.overridden


def test_kubernetes_workloads_without_pools_use_unit_rates_with_the_autoscaler_range(tmp_path):
    estimate = _estimate(tmp_path, {"app.yaml": '''
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: "acme/web:1", resources: {requests: {cpu: 500m, memory: 1Gi}}}
        - {name: bare, image: "acme/side:1"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
'''})
    web = _node(estimate, "web")
    pod = (0.5 * catalog().unit_rate("vcpu-hour").usd + catalog().unit_rate("gib-hour").usd) * H
    assert (web.low, web.high) == (pytest.approx(2 * pod), pytest.approx(10 * pod))
    assert estimate.by("team") == {"unallocated": (pytest.approx(2 * pod), pytest.approx(10 * pod))}


def test_a_group_that_lets_aws_pick_its_types_is_priced_as_the_smallest_its_requirements_allow(tmp_path):
    estimate = _estimate(tmp_path, {"asg.tf": '''
resource "aws_autoscaling_group" "flex" {
  min_size = 1
  max_size = 4
  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = "lt-123"
      }
      override {
        instance_requirements {
          memory_gib_per_vcpu {
            min = 2
          }
          memory_mib {
            min = 2048
          }
          vcpu_count {
            min = 2
            max = 8
          }
        }
      }
    }
  }
}
'''})
    flex = _node(estimate, "flex")
    [line] = flex.lines
    assert flex.fallback and not flex.unpriced
    assert line.what == "compute (the smallest instance its instance_requirements allow: 2 vCPU, 4 GiB)"
    rates = catalog().unit_rate("vcpu-hour", "aws").usd * 2 + catalog().unit_rate("gib-hour", "aws").usd * 4
    assert (flex.low, flex.high) == pytest.approx((rates * HOURS_PER_MONTH, 4 * rates * HOURS_PER_MONTH))
