"""`ARCHLINT_DEBUG=1`: an error archlint turned into a finding (a file it could not load, a rule that failed) still
shows its traceback on standard error."""

from __future__ import annotations

import os
import sys


def enabled() -> bool:
    return os.environ.get("ARCHLINT_DEBUG", "") not in ("", "0")


def show(error: BaseException, context: str) -> None:
    """Print the traceback of `error` (caught while doing `context`) when debugging is on."""
    if not enabled():
        return
    import traceback

    sys.stderr.write(f"archlint: debug: {context}:\n")
    traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
