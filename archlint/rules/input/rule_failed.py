"""A rule raised an error while judging the model.

What it flags: a rule (built in, a policy or a plugin) that stopped with an error on this component, named in the
message with the error. The findings it made before the error are kept; every other rule ran as usual.
Why it matters: the failed rule's findings for this run may be incomplete, so "no finding" from it means nothing
here. It is a bug in the rule, or an input it does not expect.
How to fix: report it with the files that describe the component (`ARCHLINT_DEBUG=1` prints the traceback). Until
it is fixed, turn the rule off for the repository (`rules: {ID: off}` in .archlint.yaml) or suppress this finding.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN008", name="rule-failed", title="A rule failed with an error",
                concern=Concern.INPUT, severity=Severity.ERROR)
