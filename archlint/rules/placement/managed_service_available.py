"""A self-hosted database, cache or broker that the system's cloud offers as a managed service.

What it flags: a datastore, cache or queue run as a container (a Kubernetes StatefulSet or Deployment, a Compose
service) from a well-known image (PostgreSQL, MySQL/MariaDB, Redis/Valkey, Memcached, RabbitMQ, Kafka, MongoDB,
Elasticsearch/OpenSearch, MinIO) whose cloud offers it as a managed service. The cloud is the component's own
provider, else the one most of the components connected to it run on (AWS, Google Cloud or Azure), else the
system's cloud when it names exactly one; a store whose cloud cannot be told that way is not flagged. The message compares the estimated monthly cost of the self-hosted component with the managed
offering's entry-level production size from the bundled catalog (doubled when highly available), where the
catalog has the row.
Why it matters: "the most scalable code is the code you don't write." A database on a StatefulSet needs someone
to run backups, restores, minor and major upgrades, failover, disk resizing and security patches; the managed
service does all of it, often for less than the engineer-hours, and sometimes for less money.
How to fix: move it to the managed offering named in the message (a migration with a replica and a cut-over, not a
big bang), or record why it stays self-hosted (an extension the service lacks, a cost at scale) with a
suppression and its reason.
"""

from __future__ import annotations

from archlint.advise import advise
from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="PL010", name="managed-service-available", title="Self-hosted component the cloud offers as a managed service",
    concern=Concern.PLACEMENT, severity=Severity.INFO)


def check(model, options):
    for item in advise(model).simplifications:
        if item.kind != "managed-service":
            continue
        component = item.component
        yield finding(META, component, f"{component.name} self-hosts {item.software}; {item.offering} would do the "
                      f"same job: {item.operations}; {item.difference()}",
                      f"Move {component.name} to {item.offering}, or suppress with the reason it stays self-hosted.",
                      key=item.offering)
