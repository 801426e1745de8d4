"""HTTP calls that can wait forever: requests, httpx, urllib3, urllib and aiohttp calls without a usable timeout."""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from archlint.loaders.appcode.arguments import (ABSENT, GIVEN, NONE, constructor, instance, is_none, keyword,
                                                positional, state)
from archlint.loaders.appcode.scan import CodeFile, Site

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
#: No default timeout: a call without one waits as long as the server keeps the connection open. The value is the
#: position of the timeout among the positional arguments, when it can be given there.
_NO_DEFAULT = {**{f"requests.{v}": None for v in _VERBS}, **{f"requests.api.{v}": None for v in _VERBS},
               "urllib.request.urlopen": 2}
#: httpx's functions and clients default to 5 seconds, `urllib3.request` to 3 and aiohttp's sessions to 5 minutes:
#: only `timeout=None` waits forever.
_NONE_ONLY = frozenset({*(f"httpx.{v}" for v in _VERBS | {"stream"}), "httpx.Client", "httpx.AsyncClient",
                        "urllib3.request", "aiohttp.ClientSession", "aiohttp.request"})
#: Client objects and the methods that send a request with them; requests.Session has no default timeout.
_METHODS = {"requests.Session": _VERBS, "httpx.Client": _VERBS | {"stream", "send"},
            "httpx.AsyncClient": _VERBS | {"stream", "send"}, "aiohttp.ClientSession": _VERBS | {"ws_connect"},
            "urllib3.PoolManager": frozenset({"request", "urlopen", "request_encode_url", "request_encode_body"})}


def calls_without_timeout(code: CodeFile) -> list[dict]:
    """One fact per call: {file, line, call, scope, detail}."""
    found = []
    pools: list[Site] = []  # urllib3 pools made without a timeout
    uses: dict[int, list[str]] = defaultdict(list)  # the timeout of each request made with a pool, by pool
    for site in code.calls:
        call = site.node
        name = code.qualify(call.func)
        detail = None
        if name in _NO_DEFAULT:
            detail = _detail(state(code, call, site.scope, "timeout", _NO_DEFAULT[name]))
        elif name in _NONE_ONLY:
            detail = "with timeout=None" if state(code, call, site.scope, "timeout") == NONE else None
        elif name == "httpx.Timeout":
            detail = _httpx_timeout(code, site)
        elif name == "aiohttp.ClientTimeout":
            detail = _aiohttp_timeout(code, site)
        elif name is not None and instance(code, call, site.scope) == "urllib3.PoolManager":
            if state(code, call, site.scope, "timeout") in (ABSENT, NONE):
                pools.append(site)
        elif name is None and isinstance(call.func, cst.Attribute):
            kind = instance(code, call.func.value, site.scope)
            if call.func.attr.value not in _METHODS.get(kind, ()):
                continue
            timeout = state(code, call, site.scope, "timeout")
            if kind == "urllib3.PoolManager":
                uses[id(constructor(code, call.func.value, site.scope))].append(timeout)
                continue
            name = f"{kind}.{call.func.attr.value}"
            detail = _detail(timeout if kind == "requests.Session" or timeout == NONE else GIVEN)
        if detail is not None:
            found.append(_fact(code, site, name, detail))
    for site in pools:  # a pool whose every request in the file sets its own timeout is fine
        timeouts = uses.get(id(site.node), [])
        if not timeouts or any(timeout != GIVEN for timeout in timeouts):
            found.append(_fact(code, site, code.qualify(site.node.func),
                               _detail(state(code, site.node, site.scope, "timeout")) or "without a timeout"))
    return found


def _fact(code: CodeFile, site: Site, call: str | None, detail: str) -> dict:
    return {"file": code.name, "line": code.line(site.node), "call": call, "scope": site.scope.name, "detail": detail}


def _detail(timeout: str) -> str | None:
    return {ABSENT: "without a timeout", NONE: "with timeout=None"}.get(timeout)


def _httpx_timeout(code: CodeFile, site: Site) -> str | None:
    """`httpx.Timeout(None)`: the read timeout is the first argument unless `read=` overrides it."""
    call = site.node
    read = keyword(call, "read") or keyword(call, "timeout")
    value = read.value if read is not None else positional(call, 0)
    return "with no read timeout" if value is not None and is_none(code, value, site.scope) else None


def _aiohttp_timeout(code: CodeFile, site: Site) -> str | None:
    """`aiohttp.ClientTimeout()` fields default to None: without `total` or `sock_read` a read waits forever."""
    call = site.node
    if any(a.star for a in call.args):
        return None
    total = keyword(call, "total")
    total_value = total.value if total is not None else positional(call, 0)
    sock_read = keyword(call, "sock_read")
    for value in (total_value, sock_read.value if sock_read is not None else None):
        if value is not None and not is_none(code, value, site.scope):
            return None
    return "without total or sock_read"
