"""What readers of every provider share: replicas, a primary's recovery paths, final snapshots, no facts."""

from __future__ import annotations

from archlint.loaders.cloud.facts import Facts


def nothing(facts: Facts) -> None:
    return None


def replica(facts: Facts) -> bool:
    """A read replica: what it copies is recorded, and the rules about a primary's own protection (standby,
    backups, deletion protection, final snapshot) judge the primary instead."""
    source = facts.read("__replica_of")
    if source is None:
        return False
    facts.set("replica_of", "__replica_of", source)
    return True


def primary_recovery(facts: Facts) -> None:
    regions = facts.read("__replica_regions")
    region = facts.resource.region
    if isinstance(regions, list):
        elsewhere = sorted({r for r in regions if isinstance(r, str) and r != region})
        facts.set("replica_regions", None, elsewhere or None)


def final_snapshot(facts: Facts, automated: bool) -> None:
    """Whether deleting the store keeps a copy of its data: a final snapshot (skip_final_snapshot is false by
    default), else, for an RDS instance, its automated backups (delete_automated_backups is true by default)."""
    skip = facts.read("skip_final_snapshot", False)
    if isinstance(skip, bool):
        facts.set("final_snapshot", "skip_final_snapshot", not skip)
    if automated:
        delete = facts.read("delete_automated_backups", True)
        if isinstance(delete, bool):
            facts.set("keeps_automated_backups", "delete_automated_backups", not delete)
