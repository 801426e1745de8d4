"""Python source for libcst, checked first the way CPython checks it: libcst's native parser overflows its stack (a
segfault: no finding, no output) on about 1,500 nested parentheses, and takes minutes on a chain of a few thousand
`+`; CPython's own parser refuses both cleanly, in milliseconds. Its AST is thrown away: nothing runs."""

from __future__ import annotations

import ast
import codecs
import io
import tokenize
import warnings
from typing import Any


class Unreadable(Exception):
    """Source that is not text in its declared encoding, or nested too deeply to parse; carries the line."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


#: CPython's messages for input nested past what its parser allows (any other syntax error is libcst's to judge:
#: it reads syntax newer than the running Python).
_TOO_DEEP = ("too many nested parentheses", "too many statically nested blocks", "too complex",
             "too many nested", "maximum recursion depth")


def parse(name: str, data: bytes) -> Any:
    """The libcst module of `data`; raises Unreadable, or libcst.ParserSyntaxError for a syntax error."""
    encoding = _encoding(data)
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise Unreadable(f"not {encoding} text: byte 0x{data[error.start]:02x} at line {line} "
                         f"(save the file as UTF-8, or declare its encoding)", line) from None
    except LookupError:
        raise Unreadable(f"unknown encoding {encoding!r} declared", 1) from None
    _refuse_too_deep(name, data)
    with warnings.catch_warnings():  # libcst 1.0 imports a deprecated mypy_extensions.TypedDict
        warnings.simplefilter("ignore", DeprecationWarning)
        import libcst
    return libcst.parse_module(data)


def _encoding(data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        if "invalid or missing" in message:  # the first lines are not UTF-8 and declare nothing: say which byte
            return "utf-8"
        raise Unreadable(f"invalid encoding declaration: {message}", getattr(error, "lineno", None) or 1) from None
    return "utf-8" if encoding == "utf-8-sig" else codecs.lookup(encoding).name


def _refuse_too_deep(name: str, data: bytes) -> None:
    try:
        compile(data, name, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        if any(marker in (error.msg or "") for marker in _TOO_DEEP):
            raise Unreadable(f"nested too deeply to parse ({error.msg})", max(error.lineno or 1, 1)) from None
    except (RecursionError, MemoryError):
        raise Unreadable("nested too deeply to parse (Python's own parser gives up)", 1) from None
    except ValueError:  # a null byte: libcst reports it
        pass
