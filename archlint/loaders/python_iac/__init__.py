"""Pulumi and AWS CDK programs in Python, read with libcst (never imported or run) into the shared cloud mapping."""

from __future__ import annotations

import ast
import warnings
from typing import TYPE_CHECKING

from archlint.finding import Finding
from archlint.loaders.python_iac.projects import MARKERS, select

if TYPE_CHECKING:
    from archlint.model import ModelBuilder

FORMAT = "python-iac"
EXTENSIONS = (".py",)

__all__ = ["EXTENSIONS", "FORMAT", "MARKERS", "load_files", "select"]


def load_files(files: list[tuple[str, bytes]], builder: ModelBuilder, problems: list[Finding],
               stats: dict[str, int]) -> dict[str, tuple[tuple[int, int], ...]]:
    """Parse every program file (a syntax error is one IN001 finding; the others still load), then add the
    resources of all of them at once, so that names imported from one module into another resolve.

    Returns each file's resource calls as (first line, last line), so that a suppression comment above a call
    covers all of it."""
    if not files:
        return {}
    with warnings.catch_warnings():  # libcst 1.0 imports a deprecated mypy_extensions.TypedDict
        warnings.simplefilter("ignore", DeprecationWarning)
        import libcst

    from archlint.loaders.budget import Budget
    from archlint.loaders.cloud import add_resources
    from archlint.loaders.pipeline import UNREADABLE
    from archlint.loaders.pysource import Unreadable
    from archlint.loaders.python_iac.resources import resources
    from archlint.loaders.python_iac.scan import scan

    modules = []
    for name, data in files:
        try:
            modules.append(scan(name, data))
        except libcst.ParserSyntaxError as error:
            line, message = _syntax_error(name, data, error)
            problems.append(Finding(UNREADABLE, f"Python syntax error: {message}", name, line,
                                    fix="Fix the syntax, or exclude the file."))
        except Unreadable as error:
            problems.append(Finding(UNREADABLE, f"cannot parse Python: {error.message}", name, error.line,
                                    fix="Save the file as UTF-8 text (or declare its encoding), or exclude it."))
        except (UnicodeDecodeError, RecursionError) as error:
            problems.append(Finding(UNREADABLE, f"cannot parse Python: {error.__class__.__name__}", name, 1,
                                    fix="Save the file as UTF-8, or exclude it."))
    with Budget() as spent:
        found, blocks = resources(modules)
    problems.extend(spent.findings())
    add_resources(found, builder)
    stats[f"documents.{FORMAT}"] += len(found)
    return blocks


def _syntax_error(name: str, data: bytes, error) -> tuple[int, str]:
    """Line and message of a syntax error. libcst's line is often one off, so CPython's parser (to an AST
    only: nothing runs) gives them; libcst's are kept for code CPython accepts and libcst cannot parse."""
    try:
        compile(data, name, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as reference:
        return max(reference.lineno or 1, 1), reference.msg
    except (ValueError, RecursionError, MemoryError):
        pass
    return max(error.raw_line, 1), error.message
