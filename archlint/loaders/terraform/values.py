"""Terraform's value semantics: literals, operators on known values, string escapes and heredoc indentation."""

from __future__ import annotations

import math
import re
from typing import Any

from archlint.loaders import budget
from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.terraform.functions import Unsupported, known, number
from archlint.loaders.terraform.syntax import text

_ARITHMETIC = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
               "/": lambda a, b: a / b, "%": lambda a, b: _remainder(a, b)}
_ORDER = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
OPERATORS = frozenset({*_ARITHMETIC, *_ORDER, "==", "!=", "&&", "||"})
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def literal(node: Any) -> Any:
    if node.type == "numeric_lit":
        raw = text(node)
        try:
            if raw.isdigit():
                if len(raw) > 1200:  # converting it would pass Python's own limit (4,300 digits) or the budget
                    raise budget.OverBudget(f"this number has {len(raw):,} digits", f"{budget.MAX_BITS:,} bits")
                return int(raw)
            return budget.current().number(int(raw, 16)) if raw.lower().startswith("0x") else float(raw)
        except ValueError:
            return UNKNOWN
    if node.type == "bool_lit":
        return text(node) == "true"
    if node.type == "null_lit":
        return None
    return unescape(text(node)[1:-1], False)


def binary(operator: str, left: Any, right: Any) -> Any:
    if operator in ("==", "!="):
        if not (known(left) and known(right)):
            return UNKNOWN
        same = type(left) is type(right) or {type(left), type(right)} <= {int, float}
        return (same and left == right) == (operator == "==")
    if operator in ("&&", "||"):
        decisive = operator == "||"
        if left is decisive or right is decisive:
            return decisive
        return (not decisive) if isinstance(left, bool) and isinstance(right, bool) else UNKNOWN
    try:
        a, b = number(left), number(right)
        if operator in _ORDER:
            return _ORDER[operator](a, b)
        result = _ARITHMETIC[operator](a, b)
    except (Unsupported, ArithmeticError, ValueError):  # `5 % 0`, `1 / 0`: Terraform fails, the value is unknown
        return UNKNOWN
    if isinstance(result, float) and result.is_integer() and operator == "/":
        result = int(result)
    return budget.current().number(result)


def unescape(raw: str, heredoc: bool) -> str:
    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token in ("$${", "%%{"):
            return token[1:]
        if heredoc:
            return token
        if token[1] in "uU":
            point = int(token[2:], 16)
            if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:  # not a Unicode scalar: Terraform rejects it
                raise Unsupported(f"invalid Unicode escape {token}")
            return chr(point)
        return _SIMPLE_ESCAPES.get(token[1], token)

    return _ESCAPE.sub(replace, raw) if ("\\" in raw or "{" in raw) else raw


def dedent(value: str) -> str:
    lines = value.split("\n")
    indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
    cut = min(indents, default=0)
    return "\n".join(x[cut:] for x in lines)


def _remainder(a: Any, b: Any) -> Any:
    """Go's remainder, as Terraform computes it: the sign follows the dividend (-3 % 2 is -1)."""
    if b == 0:
        raise ZeroDivisionError("remainder by zero")
    if isinstance(a, int) and isinstance(b, int):  # exact for any size, where fmod would round through a float
        result = abs(a) % abs(b)
        return -result if a < 0 else result
    return math.fmod(a, b)
