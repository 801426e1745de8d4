resource "aws_batch_compute_environment" "nightly_etl" {
  compute_environment_name = "nightly-etl"
  type                     = "MANAGED"

  compute_resources {
    type          = "EC2" # expect: OP013
    min_vcpus     = 0
    max_vcpus     = 256
    instance_type = ["c6i.4xlarge"]
    subnets       = ["subnet-a", "subnet-b"]
    security_group_ids = ["sg-0123"]
  }
}
