"""A managed database runs without high availability.

What it flags: a managed relational database declared in infrastructure as code with no standby in another zone:
RDS `multi_az` false or absent, an Aurora cluster with a single instance, Cloud SQL `availability_type` ZONAL
(the default), an Azure flexible server without `high_availability`, an Azure SQL database that is not zone
redundant. Values archlint cannot resolve (a variable with no default) are not flagged.
Why it matters: the database is usually the one component every request path shares. Without a standby, an
instance failure, a zone outage or even maintenance means minutes to hours of downtime and possibly lost writes
since the last backup.
How to fix: enable the provider's HA option (`multi_az = true`, a second Aurora instance in another zone,
`availability_type = "REGIONAL"`, `high_availability { mode = "ZoneRedundant" }`), or record why this database may
go down (a suppression with a reason).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI020", name="database-without-high-availability", title="Managed database runs without high availability",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.ERROR)

_HOW = {"aws_db_instance": "multi_az is off", "aws_rds_cluster": "the cluster has a single instance",
        "google_sql_database_instance": "availability_type is ZONAL",
        "azurerm_postgresql_flexible_server": "no high_availability block",
        "azurerm_mssql_database": "zone_redundant is off"}


def check(model, options):
    for component in model.components(NodeKind.DATASTORE):
        if component.attrs.get("high_availability") is not False:
            continue
        kind = component.attrs.get("resource_type", "")
        engine = component.attrs.get("engine")
        what = f"{engine} database" if engine else "database"
        yield finding(META, component, f"{what} {component.name} has no standby in another zone "
                      f"({_HOW.get(kind, 'high availability is off')})",
                      "Enable the provider's high-availability option (multi-AZ, regional, zone-redundant).",
                      span=component.at("high_availability"))
