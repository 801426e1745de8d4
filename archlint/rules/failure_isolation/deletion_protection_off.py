"""A stateful store can be deleted by one apply.

What it flags: a managed database declared with deletion protection off (`deletion_protection = false`, which is
the default for RDS and Aurora; Cloud SQL turns it on by default and is flagged only when it is switched off).
Why it matters: a rename, a refactoring that moves the resource, or a `terraform destroy` in the wrong workspace
deletes the database and its automated backups with it.
How to fix: set `deletion_protection = true` (and keep a final snapshot), so that deleting it takes a deliberate
change.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI025", name="deletion-protection-off", title="Stateful store has deletion protection off",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for component in model.components(NodeKind.DATASTORE):
        if component.attrs.get("deletion_protection") is False:
            yield finding(META, component, f"database {component.name} has deletion protection off: one apply can "
                          "delete it with its backups", "Set deletion_protection = true.",
                          span=component.at("deletion_protection"))
