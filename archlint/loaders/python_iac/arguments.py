"""The defaults of a component's arguments class: `args.instance_class` inside a Pulumi ComponentResource (or a
CDK construct) whose parameter is annotated with a class of the program that gives the attribute a default.

The default holds only where no call of that class in the program passes the attribute (by keyword): otherwise the
value depends on the caller, and stays unknown, as a parameter always does."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.python_iac.scan import ClassDef, Parameter, Scope

if TYPE_CHECKING:
    from archlint.loaders.python_iac.evaluate import Program


def default(program: "Program", node: cst.Attribute, scope: Scope, depth: int) -> Any:
    """The value of `param.attr` from the default the parameter's class gives `attr`, or UNKNOWN."""
    found = program.bindings(node.value.value, scope)
    if found is None or len(found[0]) != 1 or not isinstance(found[0][0], Parameter):
        return UNKNOWN
    parameter = found[0][0]
    if parameter.annotation is None:
        return UNKNOWN
    resolved = program.single(parameter.annotation, found[1])
    if resolved is None or not isinstance(resolved[0], ClassDef):
        return UNKNOWN
    klass, name = resolved[0], node.attr.value
    if _passed(program, klass, name):
        return UNKNOWN
    body = klass.scope
    values = body.bindings.get(name)  # a dataclass field, or a class attribute: `instance_class: str = "db.t3.micro"`
    if values is not None and len(values) == 1 and isinstance(values[0], cst.BaseExpression):
        if isinstance(values[0], cst.Call):  # dataclasses.field(default=...): read its default
            keyword = next((a.value for a in values[0].args if a.keyword and a.keyword.value == "default"), None)
            return program.value(keyword, body, depth + 1) if keyword is not None else UNKNOWN
        return program.value(values[0], body, depth + 1)
    assigned, scopes = body.self_attrs.get(name), body.self_scopes.get(name)
    if not assigned or len(assigned) != 1 or not isinstance(assigned[0], cst.Name):
        return UNKNOWN
    # `self.instance_class = instance_class` in __init__: the parameter's default
    inner = program.bindings(assigned[0].value, scopes[0])
    if inner is None or len(inner[0]) != 1 or not isinstance(inner[0][0], Parameter) or inner[0][0].default is None:
        return UNKNOWN
    return program.value(inner[0][0].default, inner[1], depth + 1)


def _passed(program: "Program", klass: ClassDef, name: str) -> bool:
    """Whether any call of the class in the program passes `name`, or passes arguments archlint cannot name."""
    cache = program.__dict__.setdefault("_passed_arguments", {})
    key = (id(klass), name)
    if key not in cache:
        cache[key] = _any_call_passes(program, klass, name)
    return cache[key]


def _any_call_passes(program: "Program", klass: ClassDef, name: str) -> bool:
    for module in program.modules:
        for site in module.sites:
            resolved = program.single(site.call.func, site.scope)
            if resolved is None or resolved[0] is not klass:
                continue
            for argument in site.call.args:
                if argument.keyword is None or argument.keyword.value == name:
                    return True
    return False
