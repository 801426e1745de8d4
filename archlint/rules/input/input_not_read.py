"""A part of the input was recognised but not read.

What it flags: something the files refer to that archlint knows how to read but could not reach, once, at the line
that refers to it: a Terraform module call whose code is not on disk (a registry or git module before `terraform
init` has run, a local `source` naming a directory that does not exist), a Helm chart that was not rendered, a
remote kustomize resource. The message says what was not read, why, and how to make archlint read it; the run's
statistics count each kind (`unread.terraform-modules`, ...).
Why it matters: whatever that part of the input creates (the database a module declares, the workloads a chart
renders) is missing from the model, so no rule judges it. Without this finding, "no findings" would only mean that
archlint did not look.
How to fix: make the input readable as the message says: run `terraform init` in the root module so that
`.terraform/modules/modules.json` and the modules it lists exist, correct the `source` path, or check a directory
that holds both the caller and what it calls. If the part is meant to stay unread, suppress the finding with a reason.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN006", name="input-not-read", title="Part of the input recognised but not read",
                concern=Concern.INPUT, severity=Severity.WARNING)
