"""A usage file has a row archlint cannot read or cannot match to a component.

What it flags: in the usage file (`--usage`, `usage:` in .archlint.yaml, or a file named `*.usage.csv` or
`*.usage.json`), each problem with its line: a file that is not UTF-8 or not valid JSON, an unknown CSV column,
a value that is not a number or a quantity (`0.25`, `250m`, `1.2Gi`), a row with no measurement, a workload that
no component answers to (or that names several: write the node id), a container the workload does not have, and a
second row for the same workload or container.
Why it matters: the row is left out, so the rules that compare requests with measured use (OP020) stay silent on
that workload: a typo hides exactly the over-provisioning the file was exported to find. The other rows are used.
How to fix: correct the row against `schemas/usage.schema.json` (the README documents every column); name the
workload by the id `archlint graph` prints (`shop/api`) when its name is ambiguous.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN005", name="invalid-usage-file", title="Usage file row cannot be read or matched",
                concern=Concern.INPUT, severity=Severity.ERROR)
