"""The registry of rules: an explicit list, plus third-party rules from the `archlint.rules` entry-point group."""

from __future__ import annotations

import importlib
from functools import lru_cache

from archlint.rules.base import Rule, RuleMeta, finding

#: Every built-in rule module. Explicit on purpose: no globbing, no registration by import side effect.
BUILTIN = (
    "archlint.rules.failure_isolation.single_replica",
    "archlint.rules.failure_isolation.missing_disruption_budget",
    "archlint.rules.failure_isolation.disruption_budget_blocks_eviction",
    "archlint.rules.failure_isolation.replicas_not_spread",
    "archlint.rules.failure_isolation.missing_readiness_probe",
    "archlint.rules.failure_isolation.missing_liveness_probe",
    "archlint.rules.failure_isolation.single_point_of_failure",
    "archlint.rules.failure_isolation.synchronous_cycle",
    "archlint.rules.failure_isolation.availability_chain",
    "archlint.rules.failure_isolation.blast_radius",
    "archlint.rules.failure_isolation.criticality_inversion",
    "archlint.rules.failure_isolation.call_without_timeout",
    "archlint.rules.failure_isolation.retries_without_backoff",
    "archlint.rules.failure_isolation.retry_amplification",
    "archlint.rules.failure_isolation.shared_callee_without_circuit_breaker",
    "archlint.rules.failure_isolation.database_without_high_availability",
    "archlint.rules.failure_isolation.cache_without_failover",
    "archlint.rules.failure_isolation.instances_in_one_zone",
    "archlint.rules.failure_isolation.single_instance_serving_traffic",
    "archlint.rules.failure_isolation.datastore_without_backups",
    "archlint.rules.failure_isolation.deletion_protection_off",
    "archlint.rules.failure_isolation.http_call_without_timeout",
    "archlint.rules.failure_isolation.retry_loop_without_backoff",
    "archlint.rules.failure_isolation.aws_client_without_retry_configuration",
    "archlint.rules.failure_isolation.memory_limit_above_request",
    "archlint.rules.failure_isolation.training_beside_serving",
    "archlint.rules.failure_isolation.model_version_not_pinned",
    "archlint.rules.failure_isolation.critical_in_one_zone",
    "archlint.rules.failure_isolation.critical_on_one_node_pool",
    "archlint.rules.failure_isolation.critical_in_one_region",
    "archlint.rules.over_provisioning.autoscaler_fixed_bounds",
    "archlint.rules.over_provisioning.fixed_replicas_with_autoscaler",
    "archlint.rules.over_provisioning.fixed_provisioned_concurrency",
    "archlint.rules.over_provisioning.gpu_pool_without_gpu_workloads",
    "archlint.rules.over_provisioning.batch_on_on_demand",
    "archlint.rules.over_provisioning.requests_above_usage",
    "archlint.rules.over_provisioning.idle_component",
    "archlint.rules.over_provisioning.vector_store_beside_postgres",
    "archlint.rules.over_provisioning.static_capacity_bursty_traffic",
    "archlint.rules.over_provisioning.gpu_serving_fixed_capacity",
    "archlint.rules.over_provisioning.gpu_outside_training_and_serving",
    "archlint.rules.cost.missing_resource_requests",
    "archlint.rules.cost.monthly_budget_exceeded",
    "archlint.rules.cost.group_budget_exceeded",
    "archlint.rules.cost.unit_cost_budget_exceeded",
    "archlint.rules.cost.cost_increase_over_budget",
    "archlint.rules.cost.missing_cost_allocation_labels",
    "archlint.rules.cost.unpriced_resource",
    "archlint.rules.data_gravity.large_remote_flow",
    "archlint.rules.data_gravity.compute_far_from_data",
    "archlint.rules.data_gravity.inference_data_gravity",
    "archlint.rules.data_gravity.edge_reads_distant_store",
    "archlint.rules.observability.user_facing_without_slo",
    "archlint.rules.observability.service_without_telemetry",
    "archlint.rules.observability.tracing_gap",
    "archlint.rules.input.unreadable_file",
    "archlint.rules.input.invalid_service_graph",
    "archlint.rules.input.suppression_without_reason",
    "archlint.rules.input.unused_suppression",
    "archlint.rules.input.invalid_usage_file",
)

ENTRY_POINT_GROUP = "archlint.rules"


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Built-in rules then plugins, sorted by id. Two rules with one id are an error of the installation."""
    rules = [Rule.from_module(importlib.import_module(name)) for name in BUILTIN]
    rules += _plugins()
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuntimeError(f"two rules claim the id {rule.id}: {seen[rule.id].meta.name} and {rule.meta.name}")
        seen[rule.id] = rule
    return tuple(sorted(rules, key=lambda r: r.id))


def _plugins() -> list[Rule]:
    from importlib.metadata import entry_points

    return [Rule.from_module(importlib.import_module(ep.value)) for ep in entry_points(group=ENTRY_POINT_GROUP)]


def lookup(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    """Rules by id, by name and by alias (case-insensitive for ids), for config and suppressions."""
    table: dict[str, Rule] = {}
    for rule in rules:
        for key in (rule.id, rule.id.lower(), rule.meta.name, *rule.meta.aliases):
            table[key] = rule
    return table


__all__ = ["BUILTIN", "ENTRY_POINT_GROUP", "Rule", "RuleMeta", "all_rules", "finding", "lookup"]
