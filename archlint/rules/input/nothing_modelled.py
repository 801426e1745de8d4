"""A scan recognised infrastructure files but modelled nothing, or left most of them unread.

What it flags: a run that read files of a format archlint understands (Terraform modules, Helm charts, kustomize
overlays, ...) but built no model node from them, or fewer nodes than the parts it could not read (IN006): for
example an example directory whose only content is calls to registry modules that were not downloaded, or
resources of types archlint does not model. The message gives the counts and the reasons.
Why it matters: every rule judges the model; with nothing in it, a clean result means nothing was checked, not that
the system is fine. A bare "No findings" would mislead a reviewer or a CI gate into trusting it.
How to fix: make the unread parts readable (each IN006 finding says how: `terraform init`, a correct path, a
rendered chart), or point archlint at the directories that declare the resources themselves. `archlint graph`
shows what was modelled.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN007", name="nothing-modelled", title="Infrastructure files read but nothing modelled",
                concern=Concern.INPUT, severity=Severity.WARNING)
