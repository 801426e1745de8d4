"""A kustomization could not be rendered as kustomize would render it.

What it flags: an entry of a kustomization that `kustomize build` would refuse: a resource, patch, component or
env file that does not exist, a file outside the kustomization's directory (kustomize's load restrictor), a patch
that targets no object or does not apply (a JSON patch path that is not there), an object defined twice, a
cycle of kustomizations, invalid YAML in a kustomization or an inline patch. The finding is at the entry's line.
Why it matters: kustomize fails on the whole kustomization, so nothing of it deploys as written. archlint renders
the rest (skipping the entry, or reading the outside file as `--load-restrictor LoadRestrictionsNone` does) and
judges that, so the other findings of this variant may not match what a fixed kustomization deploys.
How to fix: fix or remove the entry (`kubectl kustomize DIR` shows kustomize's own error), move outside files
under the kustomization's directory or make them a base, or exclude the kustomization if it is not deployed.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN012", name="kustomization-not-rendered", title="Kustomization cannot be rendered",
                concern=Concern.INPUT, severity=Severity.ERROR)
