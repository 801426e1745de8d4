"""A suppression matches no finding.

What it flags: a `# archlint: ignore RULE` comment or an `archlint.dev/ignore` annotation that silenced nothing in
this run: the problem was fixed, the comment is on the wrong line, or the rule id is misspelt or unknown.
Why it matters: stale suppressions pile up and hide the next real finding at that place; a misspelt one silences
nothing while looking as if it did.
How to fix: delete the suppression, or move it onto (or directly above) the line the finding points at, with a
rule id that `archlint rules` lists.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN004", name="unused-suppression", title="Suppression matches no finding",
                concern=Concern.INPUT, severity=Severity.WARNING)
