"""Allows `python -m archlint`, without importing anything from the working directory: `-m` puts it first on
`sys.path`, and a `click.py` or `yaml.py` in the scanned tree would run instead of the library."""

import os
import sys

if sys.path and not sys.flags.safe_path:
    _first = sys.path[0]
    if _first in ("", ".") or os.path.realpath(_first) == os.path.realpath(os.getcwd()):
        del sys.path[0]

from archlint._entry import main  # noqa: E402

main()
