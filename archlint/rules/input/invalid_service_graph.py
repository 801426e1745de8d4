"""A service-graph document does not match its schema, or names a component that does not exist.

What it flags: every schema error of an `archlint.dev/v1` ServiceGraph document (unknown keys, wrong types, bad
sizes or durations), all at once, each with its line and its path in the document; and dependencies whose target
is neither a component of the graph nor a workload of the manifests.
Why it matters: a document with errors is left out of the model as a whole, so none of its facts (SLOs, zones,
traffic, dependencies) reach the rules.
How to fix: correct the document against `schemas/service-graph.schema.json` (the README documents every key), and
name existing components in `dependencies[].target`.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN002", name="invalid-service-graph", title="Service graph does not match its schema",
                concern=Concern.INPUT, severity=Severity.ERROR)
