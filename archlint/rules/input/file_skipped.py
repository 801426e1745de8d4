"""A file or directory was not read because reading it would not be safe.

What it flags: a symbolic link that points outside the scanned tree, a path that is not a regular file (a named
pipe, a device, a socket) behind a name archlint reads, and a directory that could not be entered. Nothing of
such a file is read or shown: only that it was skipped, and why.
Why it matters: a repository is written by someone else. A committed `leak.tf -> ~/.git-credentials` would put
the first bytes of a secret into findings, CI logs and pull-request comments; a named pipe would block the run
forever and a link to `/dev/zero` would read until memory runs out. What was skipped is missing from the model.
How to fix: replace the link by the file itself (or point it inside the repository), remove the special file, or
exclude the path (`--exclude` or `exclude:` in .archlint.yaml) if it is not meant to be read.
"""

from archlint.finding import Concern, Severity
from archlint.rules.base import RuleMeta

META = RuleMeta(id="IN010", name="file-skipped", title="File skipped: a link out of the tree, or not a regular file",
                concern=Concern.INPUT, severity=Severity.WARNING)
