"""Conditions on attributes (`{attr: replicas, lt: 2}`) and their combinations (all / any / not), compiled once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archlint.rules.policy.paths import ABSENT, Scope, getter, problem
from archlint.rules.policy.quantities import number

Predicate = Callable[[Scope], bool]
Value = Callable[[Scope], Any]

OPERATORS = ("equals", "not_equals", "exists", "in", "not_in", "matches", "gt", "gte", "lt", "lte", "contains",
             "empty", "truthy", "type")
COMPARISONS = ("gt", "gte", "lt", "lte")
KINDS = ("all", "any", "not", "attr", "related", "path", "aggregate")
TYPES = ("integer", "number", "string", "boolean", "list", "mapping")
MAX_DEPTH = 32
MAX_REGEX = 1000


@dataclass
class Env:
    """What a condition is compiled against: its subject, the names in scope, options, and the errors found."""

    kind: str
    options: frozenset[str]
    names: set[str] = field(default_factory=set)
    errors: list[tuple[tuple, str]] = field(default_factory=list)

    def error(self, where: tuple, message: str) -> None:
        self.errors.append((where, message))

    def check_path(self, where: tuple, path: Any) -> str:
        if not isinstance(path, str):
            self.error(where, "an attribute path must be a string")
            return "?"
        found = problem(path, self.kind, frozenset(self.names), self.options)
        if found:
            self.error(where, found)
        return path

    def on(self, kind: str) -> "Env":
        """The same policy's environment for a condition on another subject (a related node, an edge)."""
        return Env(kind, self.options, set(), self.errors)


def compile_condition(cond: Any, where: tuple, env: Env, depth: int = 1) -> Predicate:
    """A predicate for `cond`; problems go to `env.errors` with their place in the document."""
    if depth > MAX_DEPTH:
        env.error(where, f"conditions are nested deeper than {MAX_DEPTH} levels")
        return _never
    if not isinstance(cond, dict):
        env.error(where, "a condition is a mapping (attr, all, any, not, related, path or aggregate)")
        return _never
    kinds = [k for k in KINDS if k in cond]
    if len(kinds) != 1:
        env.error(where, f"a condition has exactly one of {', '.join(KINDS)}"
                  + (f" (found {', '.join(kinds)})" if kinds else ""))
        return _never
    kind = kinds[0]
    if kind in ("all", "any"):
        items = cond[kind]
        if not isinstance(items, list) or not items:
            env.error(where + (kind,), f"{kind} takes a non-empty list of conditions")
            return _never
        parts = [compile_condition(c, where + (kind, i), env, depth + 1) for i, c in enumerate(items)]
        return _all(parts) if kind == "all" else _any(parts)
    if kind == "not":
        inner = compile_condition(cond["not"], where + ("not",), env, depth + 1)
        return lambda scope: not inner(scope)
    if kind == "attr":
        return _attribute(cond, where, env)
    from archlint.rules.policy import graph

    return graph.compile_question(kind, cond, where, env, depth)


def _all(parts: list[Predicate]) -> Predicate:
    if len(parts) == 1:
        return parts[0]

    def every(scope: Scope) -> bool:
        for part in parts:
            if not part(scope):
                return False
        return True
    return every


def _any(parts: list[Predicate]) -> Predicate:
    if len(parts) == 1:
        return parts[0]

    def some(scope: Scope) -> bool:
        for part in parts:
            if part(scope):
                return True
        return False
    return some


def every(parts: list[Predicate]) -> Predicate | None:
    """All of `parts` (None when there are none): for `select`."""
    return _all(parts) if parts else None


def _never(scope: Scope) -> bool:
    return False


def _attribute(cond: dict, where: tuple, env: Env) -> Predicate:
    path = env.check_path(where + ("attr",), cond["attr"])
    operators = [k for k in OPERATORS if k in cond]
    extra = sorted(set(cond) - set(OPERATORS) - {"attr", "unit"} - set(KINDS))
    if extra or len(operators) != 1:
        env.error(where, f"an attribute test has exactly one operator ({', '.join(OPERATORS)})"
                  + (f", found {', '.join(operators)}" if operators else ""))
        return _never
    operator = operators[0]
    unit = cond.get("unit", "auto")
    if "unit" in cond and operator not in COMPARISONS:
        env.error(where + ("unit",), f"unit applies to {', '.join(COMPARISONS)} only")
    test = operator_test(operator, cond[operator], where + (operator,), env, unit)
    get = _getter(path)
    return lambda scope: test(get(scope), scope)


def operator_test(operator: str, argument: Any, where: tuple, env: Env, unit: str = "auto") -> Callable[[Any, Scope], bool]:
    """How `operator` judges a value (the left-hand side) against its argument (literal, option or attribute)."""
    if operator in ("exists", "empty", "truthy"):
        if not isinstance(argument, bool):
            env.error(where, f"{operator} takes true or false")
            return lambda value, scope: False
        if operator == "exists":
            return lambda value, scope: (value is not ABSENT) is argument
        if operator == "truthy":
            return lambda value, scope: bool(value) is argument
        return lambda value, scope: value is not ABSENT and _is_empty(value) is argument
    if operator == "type":
        if argument not in TYPES:
            env.error(where, f"type is one of {', '.join(TYPES)}")
        return lambda value, scope: _has_type(value, argument)
    if operator == "matches":
        pattern = _regex(argument, where, env)
        return lambda value, scope: value is not ABSENT and pattern is not None and bool(
            pattern.search(value if isinstance(value, str) else str(value)))
    right = right_hand(argument, where, env)
    if operator in ("in", "not_in"):
        if not isinstance(argument, list) and not _is_reference(argument):
            env.error(where, f"{operator} takes a list")
        positive = operator == "in"
        if isinstance(argument, list) and all(type(item) is str for item in argument):
            strings = frozenset(argument)  # the usual case: kinds, names, sources
            return lambda value, scope: value is not ABSENT and (
                value in strings if type(value) is str else _member(value, argument)) is positive
        return lambda value, scope: value is not ABSENT and _member(value, right(scope)) is positive
    if operator in COMPARISONS:
        compare = _COMPARE[operator]
        return lambda value, scope: _compare(compare, value, right(scope), unit)
    if operator == "contains":
        return lambda value, scope: value is not ABSENT and _contains(value, right(scope))
    if operator == "equals":
        if type(argument) in (str, bool):  # the usual case, and `true` must stay apart from 1
            return lambda value, scope: value == argument if type(value) is type(argument) else (
                value is not ABSENT and equal(value, argument))
        return lambda value, scope: value is not ABSENT and equal(value, right(scope))
    return lambda value, scope: value is not ABSENT and (right_value := right(scope)) is not ABSENT and not equal(
        value, right_value)


def right_hand(argument: Any, where: tuple, env: Env) -> Value:
    """A literal, `{option: NAME}`, or `{attr: PATH, times: N}` (N a number or `{option: NAME}`)."""
    if not _is_reference(argument):
        literal = argument
        return lambda scope: literal
    if "option" in argument:
        name = argument["option"]
        if set(argument) != {"option"} or name not in env.options:
            env.error(where, f"{{option: {name}}}: unknown option (declared: {', '.join(sorted(env.options)) or 'none'})")
        return lambda scope: _option(scope, name)
    path = env.check_path(where + ("attr",), argument["attr"])
    if set(argument) - {"attr", "times"}:
        env.error(where, "a reference is {attr: PATH} with an optional times: N")
    get = _getter(path)
    if "times" not in argument:
        return get
    factor = right_hand(argument["times"], where + ("times",), env)

    def scaled(scope: Scope) -> Any:
        value, times = number(get(scope)), number(factor(scope))
        return ABSENT if value is None or times is None else value * times
    return scaled


def _getter(path: str) -> Value:
    try:
        return getter(path)
    except ValueError:  # already reported by check_path
        return lambda scope: ABSENT


def _is_reference(argument: Any) -> bool:
    return isinstance(argument, dict) and ("option" in argument or "attr" in argument)


def _option(scope: Scope, name: str) -> Any:
    value = scope.get("options", {}).get(name, ABSENT)
    return ABSENT if value is None else value


def _regex(argument: Any, where: tuple, env: Env) -> re.Pattern | None:
    if not isinstance(argument, str):
        env.error(where, "matches takes a regular expression (a string)")
        return None
    if len(argument) > MAX_REGEX:
        env.error(where, f"regular expression longer than {MAX_REGEX:,} characters")
        return None
    try:
        return re.compile(argument)
    except re.error as error:
        env.error(where, f"regular expression does not compile: {error}")
        return None


def equal(left: Any, right: Any) -> bool:
    """Equality without Python's surprises: true is not 1, and 2 equals 2.0."""
    if type(left) is type(right) and type(left) in (str, int, float):
        return left == right
    if right is ABSENT or left is ABSENT:
        return False
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    if _is_number(left) and _is_number(right):
        return float(left) == float(right)
    if hasattr(left, "value") and isinstance(getattr(left, "value"), str):
        left = left.value
    return type(left) is type(right) and left == right if not isinstance(left, (list, tuple)) else (
        isinstance(right, (list, tuple)) and list(left) == list(right))


def _member(value: Any, items: Any) -> bool:
    return isinstance(items, (list, tuple)) and any(equal(value, item) for item in items)


def _contains(value: Any, item: Any) -> bool:
    if isinstance(value, str):
        return isinstance(item, str) and item in value
    if isinstance(value, dict):
        return item in value
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(equal(member, item) for member in value)
    return False


def _is_empty(value: Any) -> bool:
    return len(value) == 0 if isinstance(value, (str, list, tuple, dict, set, frozenset)) else False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _has_type(value: Any, name: str) -> bool:
    if value is ABSENT:
        return False
    return {"integer": lambda: isinstance(value, int) and not isinstance(value, bool), "number": lambda: _is_number(value),
            "string": lambda: isinstance(value, str), "boolean": lambda: isinstance(value, bool),
            "list": lambda: isinstance(value, (list, tuple)), "mapping": lambda: isinstance(value, dict)}[name]()


_COMPARE = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}


def _compare(compare: Callable[[float, float], bool], left: Any, right: Any, unit: str) -> bool:
    a, b = number(left, unit), number(right, unit)
    return a is not None and b is not None and compare(a, b)
