"""Output formats: each a small module with `render(report) -> str`, registered by name in FORMATS."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from archlint.report.base import Report, RuleInfo

#: Format name -> module that renders it. Explicit: a new format is one line here.
FORMATS: dict[str, str] = {
    "text": "archlint.report.text",
    "json": "archlint.report.json_format",
    "sarif": "archlint.report.sarif",
    "github": "archlint.report.github",
    "gitlab": "archlint.report.gitlab",
    "junit": "archlint.report.junit",
    "markdown": "archlint.report.markdown",
}


def renderer(name: str) -> Callable[[Report], str]:
    """The render function of a format, imported only when asked for."""
    return importlib.import_module(FORMATS[name]).render


__all__ = ["FORMATS", "Report", "RuleInfo", "renderer"]
