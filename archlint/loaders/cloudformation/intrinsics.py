"""Resolves CloudFormation intrinsic functions statically: parameters with defaults, conditions, mappings, Sub."""

from __future__ import annotations

import re
from typing import Any

from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.yamlsource import LineDict, Tagged


class _NoValue:
    """`Ref: AWS::NoValue`: the property is removed, as if it were not written."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()
#: Short forms (`!Ref`, `!If`) to the long ones.
_SHORT = {"!Ref": "Ref", "!Condition": "Condition"}
#: `${Name}`, `${Name.Attr}`, and `${!Literal}` (written as `${Literal}`) in Fn::Sub.
_SUB = re.compile(r"\$\{([^}]*)\}")
#: Pseudo parameters depend on the account and region a stack is deployed to: unknown here.
_PSEUDO = frozenset({"AWS::AccountId", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::NotificationARNs",
                     "AWS::Partition", "AWS::URLSuffix"})
_LIST_PARAMETER = re.compile(r"^(CommaDelimitedList|List<.*>)$")
_MAX_DEPTH = 64


def function(value: Any) -> tuple[str, Any] | None:
    """(name, argument) when `value` is an intrinsic function call, long or short form; else None."""
    if isinstance(value, Tagged):
        return _SHORT.get(value.tag, "Fn::" + value.tag.lstrip("!")), value.value
    if isinstance(value, dict) and len(value) == 1:
        (key, argument), = value.items()
        if key == "Ref" or (key == "Condition" and isinstance(argument, str)) \
                or (isinstance(key, str) and key.startswith("Fn::")):
            return key, argument
    return None


class Resolver:
    """Evaluates the intrinsics of one template; `refs` collects (logical id, line) of every resource referred to."""

    def __init__(self, template: dict, resources: set[str]) -> None:
        self.resources = resources
        self.parameters = {str(k): v for k, v in _mapping(template.get("Parameters")).items()}
        self.mappings = _mapping(template.get("Mappings"))
        self.conditions = _mapping(template.get("Conditions"))
        self._conditions: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self.refs: list[tuple[str, int]] = []

    # ---- values --------------------------------------------------------------------------------------------

    def resolve(self, value: Any, line: int, depth: int = 0) -> Any:
        """The value with every intrinsic evaluated: UNKNOWN where it cannot be, NO_VALUE where it is removed.

        Mappings keep their LineDict lines, so that properties can still be pointed at after resolution."""
        if depth > _MAX_DEPTH:
            return UNKNOWN
        call = function(value)
        if call is not None:
            return self._call(call[0], call[1], line, depth + 1)
        if isinstance(value, dict):
            out = LineDict()
            out.line = getattr(value, "line", line)
            out.key_lines = {}
            line_of = getattr(value, "line_of", None)
            for key, item in value.items():
                key_line = line_of(key) if line_of else line
                resolved = self.resolve(item, key_line, depth + 1)
                if resolved is not NO_VALUE:
                    out[key] = resolved
                    out.key_lines[key] = key_line
            return out
        if isinstance(value, list):
            items = [self.resolve(item, getattr(item, "line", line), depth + 1) for item in value]
            return [item for item in items if item is not NO_VALUE]
        return value

    def _call(self, name: str, arg: Any, line: int, depth: int) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:  # Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform, macros: deploy-time values
            self.resolve(arg, line, depth)  # still collect the resources they name
            return UNKNOWN
        return handler(self, arg, line, depth)

    def _ref(self, arg: Any, line: int, depth: int) -> Any:
        name = self.resolve(arg, line, depth)
        if not isinstance(name, str):
            return UNKNOWN
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            return self.parameter(name)
        if name in self.resources:
            self.refs.append((name, line))
        return UNKNOWN

    def parameter(self, name: str) -> Any:
        """A parameter's default (a list for list types), UNKNOWN without one or for SSM-backed types."""
        spec = self.parameters.get(name)
        if not isinstance(spec, dict) or "Default" not in spec:
            return UNKNOWN
        kind, default = str(spec.get("Type", "String")), spec["Default"]
        if kind.startswith("AWS::SSM::Parameter::Value"):
            return UNKNOWN  # the default names an SSM parameter, not the value
        if _LIST_PARAMETER.match(kind):
            if isinstance(default, str):
                return [part.strip() for part in default.split(",")] if default else []
            return default if isinstance(default, list) else UNKNOWN
        if isinstance(default, (str, int, float, bool)):
            return str(default).lower() if isinstance(default, bool) else str(default)
        return UNKNOWN

    def _get_att(self, arg: Any, line: int, depth: int) -> Any:
        arg = self.resolve(arg, line, depth)
        target = arg.split(".", 1)[0] if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg else None
        if isinstance(target, str) and target in self.resources:
            self.refs.append((target, line))
        return UNKNOWN

    def _sub(self, arg: Any, line: int, depth: int) -> Any:
        template, variables = (arg[0], arg[1] if len(arg) > 1 else {}) if isinstance(arg, list) and arg else (arg, {})
        template = self.resolve(template, line, depth)
        values = self.resolve(variables, line, depth) if isinstance(variables, dict) else {}
        if not isinstance(template, str):
            return UNKNOWN
        known = True

        def substitute(match: re.Match) -> str:
            nonlocal known
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            value = values.get(name, UNKNOWN) if name in values else self._sub_name(name, line, depth)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                known = False
                return ""
            return value

        result = _SUB.sub(substitute, template)
        return result if known else UNKNOWN

    def _sub_name(self, name: str, line: int, depth: int) -> Any:
        if name in self.parameters:
            return self.parameter(name)
        target = name.split(".", 1)[0]
        if target in self.resources:
            self.refs.append((target, line))
        return UNKNOWN  # a resource's attribute or a pseudo parameter (AWS::Region): known at deploy time

    def _if(self, arg: Any, line: int, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 3:
            return UNKNOWN
        condition = self.condition(arg[0]) if isinstance(arg[0], str) else UNKNOWN
        if condition is True:
            return self.resolve(arg[1], line, depth)
        if condition is False:
            return self.resolve(arg[2], line, depth)
        first, second = self.resolve(arg[1], line, depth), self.resolve(arg[2], line, depth)
        return first if first == second and first is not NO_VALUE else UNKNOWN

    def _find_in_map(self, arg: Any, line: int, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) < 3:
            return UNKNOWN
        keys = [self.resolve(part, line, depth) for part in arg[:3]]
        if not all(isinstance(k, (str, int)) for k in keys):
            return UNKNOWN
        level: Any = self.mappings
        for key in keys:
            level = level.get(str(key), level.get(key)) if isinstance(level, dict) else None
        if level is None:
            default = arg[3] if len(arg) > 3 and isinstance(arg[3], dict) else {}
            return self.resolve(default["DefaultValue"], line, depth) if "DefaultValue" in default else UNKNOWN
        return self.resolve(level, line, depth)

    def _join(self, arg: Any, line: int, depth: int) -> Any:
        arg = self.resolve(arg, line, depth)
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and isinstance(arg[1], list)):
            return UNKNOWN
        parts = [str(p) if isinstance(p, (int, float)) and not isinstance(p, bool) else p for p in arg[1]]
        return arg[0].join(parts) if all(isinstance(p, str) for p in parts) else UNKNOWN

    def _select(self, arg: Any, line: int, depth: int) -> Any:
        arg = self.resolve(arg, line, depth)
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list)):
            return UNKNOWN
        index = arg[0]
        index = int(index) if isinstance(index, str) and index.isdigit() else index
        return arg[1][index] if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(arg[1]) \
            else UNKNOWN

    def _split(self, arg: Any, line: int, depth: int) -> Any:
        arg = self.resolve(arg, line, depth)
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str) and arg[0] and isinstance(arg[1], str):
            return arg[1].split(arg[0])
        return UNKNOWN

    def _length(self, arg: Any, line: int, depth: int) -> Any:
        arg = self.resolve(arg, line, depth)
        return len(arg) if isinstance(arg, list) else UNKNOWN

    # ---- conditions ----------------------------------------------------------------------------------------

    def condition(self, name: Any) -> Any:
        """True, False or UNKNOWN for a named condition of the Conditions section."""
        if not isinstance(name, str) or name not in self.conditions or name in self._evaluating:
            return UNKNOWN
        if name not in self._conditions:
            self._evaluating.add(name)
            line = getattr(self.conditions, "line_of", lambda _: 1)(name)
            self._conditions[name] = self._truth(self.conditions[name], line, 0)
            self._evaluating.discard(name)
        return self._conditions[name]

    def _truth(self, value: Any, line: int, depth: int) -> Any:
        value = self.resolve(value, line, depth)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return UNKNOWN

    def _equals(self, arg: Any, line: int, depth: int) -> Any:
        arg = self.resolve(arg, line, depth)
        if not isinstance(arg, list) or len(arg) != 2 or UNKNOWN in arg:
            return UNKNOWN
        return _text(arg[0]) == _text(arg[1])

    def _and_or(self, arg: Any, line: int, depth: int, want: bool) -> Any:
        values = [self._truth(item, line, depth) for item in arg] if isinstance(arg, list) else [UNKNOWN]
        if want in values:
            return want
        return UNKNOWN if UNKNOWN in values else not want

    def _not(self, arg: Any, line: int, depth: int) -> Any:
        value = self._truth(arg[0] if isinstance(arg, list) and arg else arg, line, depth)
        return not value if isinstance(value, bool) else UNKNOWN


def _text(value: Any) -> Any:
    """Fn::Equals compares strings: `"true"` equals `true`, `"3"` equals `3`."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if isinstance(value, (int, float)) else value


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


_FUNCTIONS = {
    "Ref": Resolver._ref, "Fn::GetAtt": Resolver._get_att, "Fn::Sub": Resolver._sub, "Fn::If": Resolver._if,
    "Fn::FindInMap": Resolver._find_in_map, "Fn::Join": Resolver._join, "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split, "Fn::Length": Resolver._length, "Fn::Equals": Resolver._equals,
    "Fn::And": lambda self, arg, line, depth: self._and_or(arg, line, depth, False),
    "Fn::Or": lambda self, arg, line, depth: self._and_or(arg, line, depth, True),
    "Fn::Not": Resolver._not,
    "Condition": lambda self, arg, line, depth: self.condition(arg),
}
