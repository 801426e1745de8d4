resource "aws_eks_node_group" "gpu" {
  cluster_name    = "prod"
  node_group_name = "gpu"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-a", "subnet-b"]
  instance_types  = ["g5.2xlarge"] # expect: OP012

  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 4
  }
}
