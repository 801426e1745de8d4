"""A datastore declares no owner.

What it flags: a datastore component with no `owner` (in the service graph or from an `owner` or `team` tag).
Why it matters: when the store fills up, slows down or must be migrated, nobody is paged and nobody decides.
How to fix: declare the owning team (`owner: payments` in the service graph, or an `owner` tag).
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules import RuleMeta, finding

META = RuleMeta(id="ACME100", name="acme-unowned-datastore", title="Datastore declares no owner",
                concern=Concern.OBSERVABILITY, severity=Severity.WARNING)


def check(model, options):
    for component in model.components(NodeKind.DATASTORE):
        if not component.owner:
            yield finding(META, component, f"datastore {component.name} has no owner", "Declare the owning team.")
