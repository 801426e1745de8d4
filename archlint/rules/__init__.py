"""The registry of rules: an explicit list, the built-in YAML policies, and third-party rules from the
`archlint.rules` entry-point group."""

from __future__ import annotations

import importlib
from functools import lru_cache

from archlint.rules.base import Rule, RuleMeta, finding

#: Every built-in rule module. Explicit on purpose: no globbing, no registration by import side effect.
BUILTIN = (
    "archlint.rules.failure_isolation.disruption_budget_blocks_eviction",
    "archlint.rules.failure_isolation.single_point_of_failure",
    "archlint.rules.failure_isolation.synchronous_cycle",
    "archlint.rules.failure_isolation.availability_chain",
    "archlint.rules.failure_isolation.blast_radius",
    "archlint.rules.failure_isolation.retry_amplification",
    "archlint.rules.failure_isolation.shared_callee_without_circuit_breaker",
    "archlint.rules.failure_isolation.http_call_without_timeout",
    "archlint.rules.failure_isolation.retry_loop_without_backoff",
    "archlint.rules.failure_isolation.aws_client_without_retry_configuration",
    "archlint.rules.failure_isolation.training_beside_serving",
    "archlint.rules.failure_isolation.model_version_not_pinned",
    "archlint.rules.failure_isolation.probe_on_undeclared_port",
    "archlint.rules.failure_isolation.critical_in_one_zone",
    "archlint.rules.failure_isolation.critical_on_one_node_pool",
    "archlint.rules.failure_isolation.critical_in_one_region",
    "archlint.rules.failure_isolation.recovery_time_over_objective",
    "archlint.rules.failure_isolation.data_loss_over_objective",
    "archlint.rules.failure_isolation.journey_availability_below_target",
    "archlint.rules.failure_isolation.journey_not_resolved",
    "archlint.rules.failure_isolation.resilience_policy_names_no_journey",
    "archlint.rules.over_provisioning.gpu_pool_without_gpu_workloads",
    "archlint.rules.over_provisioning.requests_above_usage",
    "archlint.rules.over_provisioning.idle_component",
    "archlint.rules.over_provisioning.vector_store_beside_postgres",
    "archlint.rules.over_provisioning.static_capacity_bursty_traffic",
    "archlint.rules.over_provisioning.gpu_serving_fixed_capacity",
    "archlint.rules.over_provisioning.gpu_outside_training_and_serving",
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
    "archlint.rules.placement.placement_constraint_violated",
    "archlint.rules.placement.better_placement_available",
    "archlint.rules.placement.data_outside_residency",
    "archlint.rules.placement.managed_service_available",
    "archlint.rules.placement.always_on_low_traffic",
    "archlint.rules.placement.roadmap_next_step",
    "archlint.rules.input.unreadable_file",
    "archlint.rules.input.invalid_service_graph",
    "archlint.rules.input.suppression_without_reason",
    "archlint.rules.input.unused_suppression",
    "archlint.rules.input.invalid_usage_file",
    "archlint.rules.input.unnamed_object",
    "archlint.rules.input.input_not_read",
    "archlint.rules.input.nothing_modelled",
    "archlint.rules.input.kustomization_not_rendered",
    "archlint.rules.input.rule_failed",
    "archlint.rules.input.evaluation_limit_reached",
    "archlint.rules.input.file_skipped",
)

ENTRY_POINT_GROUP = "archlint.rules"


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """Built-in rules, built-in policies (policies/), then plugins, sorted by id. Two rules with one id are an error
    of the installation."""
    from archlint.rules.policy import builtin_rules

    rules = [Rule.from_module(importlib.import_module(name)) for name in BUILTIN]
    rules += builtin_rules()
    rules += _plugins()
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuntimeError(f"two rules claim the id {rule.id}: {seen[rule.id].meta.name} and {rule.meta.name}")
        seen[rule.id] = rule
    return tuple(sorted(rules, key=lambda r: r.id))


@lru_cache(maxsize=1)
def builtin_ids() -> frozenset[str]:
    """Ids of the rules that ship with archlint (not plugins, not a team's policies): those documented in
    docs/rules/ and linked from SARIF's helpUri."""
    from archlint.rules.policy import builtin_rules

    return frozenset(Rule.from_module(importlib.import_module(name)).id for name in BUILTIN) | {
        rule.id for rule in builtin_rules()}


def _plugins() -> list[Rule]:
    if not _may_declare(ENTRY_POINT_GROUP):
        return []
    from importlib.metadata import entry_points

    return [Rule.from_module(importlib.import_module(ep.value)) for ep in entry_points(group=ENTRY_POINT_GROUP)]


def _may_declare(group: str) -> bool:
    """Whether an installed distribution may declare entry points of `group`: false only when no distribution
    importlib.metadata would find (a `*.dist-info` or `*.egg-info` in a directory of sys.path) has an
    entry_points.txt that so much as names the group. Importing importlib.metadata (and the email package it reads
    metadata with), then reading every distribution's entry points, costs 20 to 40 ms on every run; this costs one
    directory listing per path entry. Anything it cannot see through (another finder of distributions, a zip or
    egg on the path) leaves the answer to importlib.metadata."""
    import os
    import sys
    from importlib.machinery import PathFinder

    if any(finder is not PathFinder and hasattr(finder, "find_distributions") for finder in sys.meta_path):
        return True
    needle = group.encode()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except NotADirectoryError:
            return True  # a zip archive on the path
        except OSError:
            continue
        for name in names:
            lowered = name.lower()
            if lowered.endswith(".egg"):
                return True
            if lowered.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as handle:
                        if needle in handle.read():
                            return True
                except OSError:
                    continue  # no entry points (or an egg-info file): nothing declared
    return False


def lookup(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    """Rules by id, by name and by alias (case-insensitive for ids), for config and suppressions."""
    table: dict[str, Rule] = {}
    for rule in rules:
        for key in (rule.id, rule.id.lower(), rule.meta.name, *rule.meta.aliases):
            table[key] = rule
    return table


__all__ = ["BUILTIN", "ENTRY_POINT_GROUP", "Rule", "RuleMeta", "all_rules", "finding", "lookup"]
