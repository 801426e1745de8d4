"""A call's arguments as the scanner needs them, and the client objects that library constructors return."""

from __future__ import annotations

from typing import Any

import libcst as cst

from archlint.loaders.appcode.scan import OPAQUE, CodeFile, Scope

#: A keyword is given (and how), absent, or possibly inside `**kwargs` / `*args`: then nothing is said about it.
ABSENT, NONE, GIVEN, HIDDEN = "absent", "none", "given", "hidden"

#: Constructors whose result archlint follows through a name, `self.x` or `with ... as x`, by the dotted name.
CONSTRUCTORS = {
    "requests.Session": "requests.Session", "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "httpx.Client": "httpx.Client", "httpx.AsyncClient": "httpx.AsyncClient",
    "aiohttp.ClientSession": "aiohttp.ClientSession",
    "urllib3.PoolManager": "urllib3.PoolManager", "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
    "urllib3.ProxyManager": "urllib3.PoolManager",
    "boto3.Session": "boto3.Session", "boto3.session.Session": "boto3.Session", "aioboto3.Session": "boto3.Session",
    "botocore.session.get_session": "botocore.Session", "botocore.session.Session": "botocore.Session",
    "aiobotocore.session.get_session": "botocore.Session", "aiobotocore.session.AioSession": "botocore.Session",
}


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def positional(call: cst.Call, index: int) -> cst.BaseExpression | None:
    """The positional argument at `index`, when no `*args` comes before it."""
    plain = []
    for arg in call.args:
        if arg.keyword is not None or arg.star == "**":
            break
        if arg.star == "*":
            return None
        plain.append(arg.value)
    return plain[index] if index < len(plain) else None


def state(code: CodeFile, call: cst.Call, scope: Scope, name: str, index: int | None = None) -> str:
    """Whether argument `name` (or positional `index`) is absent, None (literally or through a name), or given."""
    arg = keyword(call, name)
    value = arg.value if arg is not None else positional(call, index) if index is not None else None
    if value is None:
        return HIDDEN if any(a.star for a in call.args) else ABSENT
    return NONE if is_none(code, value, scope) else GIVEN


def is_none(code: CodeFile, expr: Any, scope: Scope) -> bool:
    value, _ = code.value(expr, scope)
    return value is not OPAQUE and isinstance(value, cst.Name) and value.value == "None"


def instance(code: CodeFile, expr: Any, scope: Scope) -> str | None:
    """The kind of client an expression holds (`requests.Session`, `boto3.Session`, ...), when archlint can tell."""
    made = constructor(code, expr, scope)
    return CONSTRUCTORS.get(code.qualify(made.func) or "") if made is not None else None


def constructor(code: CodeFile, expr: Any, scope: Scope) -> cst.Call | None:
    """The call whose result an expression holds: itself, or what a name bound once was given."""
    value, _ = code.value(expr, scope)
    if isinstance(value, cst.Await):
        value = value.expression
    return value if isinstance(value, cst.Call) else None


def literal(expr: Any) -> str | None:
    """A plain string literal's text."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None
