"""boto3 and botocore clients made without a retry configuration (`Config(retries={...})`)."""

from __future__ import annotations

import libcst as cst

from archlint.loaders.appcode.arguments import constructor, instance, keyword, literal, positional
from archlint.loaders.appcode.scan import CodeFile, Site

#: Functions that make a client or resource, and the position of `config` among their positional arguments.
_FACTORIES = {"boto3.client": 9, "boto3.resource": 9, "aioboto3.client": 9, "aioboto3.resource": 9}
#: Session methods that make one: boto3's `client`/`resource`, botocore's `create_client`.
_METHODS = {"boto3.Session": {"client": 9, "resource": 9}, "botocore.Session": {"create_client": 9}}
_CONFIGS = frozenset({"botocore.config.Config", "botocore.client.Config", "aiobotocore.config.AioConfig"})


def clients_without_retries(code: CodeFile) -> list[dict]:
    """One fact per client: {file, line, call, service, scope, detail}."""
    found = []
    for site in code.calls:
        call = site.node
        name = code.qualify(call.func)
        position = _FACTORIES.get(name or "")
        if position is None and name is None and isinstance(call.func, cst.Attribute):
            kind = instance(code, call.func.value, site.scope)
            position = _METHODS.get(kind or "", {}).get(call.func.attr.value)
            name = f"{kind}.{call.func.attr.value}"
        if position is None:
            continue
        detail = _config(code, site, position)
        if detail is not None:
            service = keyword(call, "service_name")
            found.append({"file": code.name, "line": code.line(call), "call": name, "scope": site.scope.name,
                          "service": literal(service.value if service is not None else positional(call, 0)),
                          "detail": detail})
    return found


def _config(code: CodeFile, site: Site, position: int) -> str | None:
    """Why the client has no retry configuration, or None when it has one (or archlint cannot tell)."""
    call = site.node
    arg = keyword(call, "config")
    value = arg.value if arg is not None else positional(call, position)
    if value is None:
        return None if any(a.star for a in call.args) else "without config="
    made = constructor(code, value, site.scope)
    if made is None:
        value_now, _ = code.value(value, site.scope)
        return "with config=None" if isinstance(value_now, cst.Name) and value_now.value == "None" else None
    if code.qualify(made.func) not in _CONFIGS:
        return None  # `base.merge(other)`, a factory of the project's own: not followed
    if keyword(made, "retries") is not None or any(a.star for a in made.args):
        return None
    return "with a Config that sets no retries"

