"""A database keeps no automated backups.

What it flags: a managed database whose backup retention is zero days: RDS `backup_retention_period = 0`, Cloud
SQL with `backup_configuration { enabled = false }` or none, an Aurora cluster with retention set to zero where the
provider allows it.
Why it matters: without backups, a bad migration, an accidental `DELETE` or a compromised credential is
unrecoverable; high availability does not help, the standby replicates the mistake.
How to fix: keep automated backups for at least 7 days (`backup_retention_period = 7`,
`backup_configuration { enabled = true }`) and test a restore.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI024", name="database-without-backups", title="Database keeps no automated backups",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)


def check(model, options):
    for component in model.components(NodeKind.DATASTORE):
        if component.attrs.get("backup_retention_days") == 0:
            yield finding(META, component, f"database {component.name} keeps no automated backups (retention 0 days)",
                          "Keep automated backups for at least 7 days and test a restore.",
                          span=component.at("backup_retention_days"))
