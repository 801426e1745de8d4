resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "user sessions"
  engine                     = "redis"
  node_type                  = "cache.m6g.large"
  num_cache_clusters         = 2
  automatic_failover_enabled = false # expect: FI021
}

resource "google_redis_instance" "rate_limits" {
  name           = "rate-limits"
  memory_size_gb = 4
  tier           = "BASIC" # expect: FI021
}
