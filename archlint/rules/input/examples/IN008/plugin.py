"""A third-party rule with a bug, as the IN008 examples load it: it divides by the replica count."""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(id="ACME001", name="traffic-per-replica", title="More than 500 requests per second per replica",
                concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        rps = component.rps or 0
        if component.replicas is not None and rps / component.replicas > 500:
            yield finding(META, component, f"{component.name} serves {rps} requests per second", "Add replicas.")
