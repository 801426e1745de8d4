"""A Kubernetes object has no name.

What it flags: a workload, Service, Ingress, autoscaler, disruption budget, network policy, ConfigMap, Namespace
or mesh object (VirtualService, DestinationRule, ServiceProfile) whose `metadata` gives neither `name` nor
`generateName`, at the object's first line. archlint leaves it out of the model instead of inventing a node
called `default/`.
Why it matters: the API server refuses an object without a name (`kubectl apply` fails), so what the object
describes never runs; and nothing else can refer to it (a Service to its pods' owner, an autoscaler to its target).
How to fix: give the object a `metadata.name`.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN015", name="unnamed-object", title="Kubernetes object without a name",
                concern=Concern.INPUT, severity=Severity.ERROR)
