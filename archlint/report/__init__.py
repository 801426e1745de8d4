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


#: The escapes each format writes ":" and "[" with, where the document would open a GitHub Actions workflow
#: command (archlint.report.escape.commands); `github` writes commands on purpose and escapes their data itself.
_ESCAPES = {"text": "text", "json": "json", "sarif": "json", "gitlab": "json", "junit": "xml", "markdown": "markdown"}


def renderer(name: str) -> Callable[[Report], str]:
    """The render function of a format, imported only when asked for."""
    render = importlib.import_module(FORMATS[name]).render
    kind = _ESCAPES.get(name)
    if kind is None:
        return render
    from archlint.report.escape import commands

    return lambda report: commands(render(report), kind)


__all__ = ["FORMATS", "Report", "RuleInfo", "renderer"]
