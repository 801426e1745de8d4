resource "aws_batch_compute_environment" "nightly_etl" {
  compute_environment_name = "nightly-etl"
  type                     = "MANAGED"

  compute_resources {
    type                = "SPOT"
    allocation_strategy = "SPOT_CAPACITY_OPTIMIZED"
    min_vcpus           = 0
    max_vcpus           = 256
    instance_type       = ["c6i.4xlarge"]
    subnets             = ["subnet-a", "subnet-b"]
    security_group_ids  = ["sg-0123"]
  }
}
