"""A file could not be read or parsed.

What it flags: a YAML, JSON, Terraform (HCL) or Python infrastructure file that is malformed (syntax error, bad
indentation, tabs, invalid encoding), unreadable (permissions) or too large to read, with the line where the
parser stopped. JSON files that do not
look like anything archlint reads, and templates (Helm, Jinja), are skipped quietly instead.
Why it matters: whatever the file describes is missing from the model, so rules that depend on it (selectors,
disruption budgets, autoscalers, dependencies) may be silent or wrong. Every other file is still analysed.
How to fix: fix the syntax at the line given, or exclude the file (`--exclude` or `exclude:` in .archlint.yaml)
if it is not meant to be read.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN001", name="unreadable-file", title="File could not be read or parsed",
                concern=Concern.INPUT, severity=Severity.ERROR)
