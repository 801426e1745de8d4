"""A value was too large to work out: archlint stopped at its evaluation budget.

What it flags: a Terraform or Python infrastructure value whose evaluation passed one of archlint's budgets: a
string wider than a million characters, a collection of more than a million items, more module instances than
archlint expands, a loop of more iterations than it follows. The value is unknown from there on (as a value
Terraform cannot know before apply), or the expansion stops, and the finding says which budget and where.
Why it matters: rules do not fire on unknown values, so whatever depends on this one (instance counts, prices,
replicas) is not judged. A few bytes of input can ask for gigabytes (forty `concat(local.x, local.x)` steps), and
archlint must stay fast and bounded in a pre-commit hook whatever a repository holds.
How to fix: usually nothing is wrong with the infrastructure and the value is simply huge; if it is meant to be
that large, exclude the file. If it is a mistake (a doubled list, a runaway `count`), fix the expression.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN009", name="evaluation-limit-reached", title="Evaluation stopped at a budget",
                concern=Concern.INPUT, severity=Severity.WARNING)
