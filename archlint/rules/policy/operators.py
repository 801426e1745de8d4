"""The operators of attribute tests (`equals`, `in`, `lt`, ...); the usual ones fused with the read of their value."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from archlint import regex
from archlint.rules.policy.getters import getter
from archlint.rules.policy.paths import ABSENT, Scope, plain
from archlint.rules.policy.quantities import number

if TYPE_CHECKING:
    from archlint.rules.policy.conditions import Env

Predicate = Callable[[Scope], bool]
Value = Callable[[Scope], Any]

COMPARISONS = ("gt", "gte", "lt", "lte")
TYPES = ("integer", "number", "string", "boolean", "list", "mapping")


def fused(operator: str, argument: Any, get: Value, read: Value | None = None, unit: str = "auto") -> Predicate | None:
    """The commonest tests as one function that reads the value and decides (the same answer `operator_test`
    gives, without a second call per subject); None for the others. `read`, when given, reads the value as the
    model holds it in one call (`getters.reader`): the usual `equals` and `in` test it straight, a call less."""
    if operator in COMPARISONS and not _is_reference(argument):
        return _compared(_COMPARE[operator], number(argument, unit), get, read, unit)
    if read is not None and operator in ("equals", "in", "not_in", "exists", "truthy"):
        return _read_straight(operator, argument, read)
    if operator in ("exists", "truthy") and type(argument) is bool:
        if operator == "exists":
            return (lambda scope: get(scope) is not ABSENT) if argument else (lambda scope: get(scope) is ABSENT)
        return (lambda scope: bool(get(scope))) if argument else (lambda scope: not get(scope))
    if operator == "equals" and type(argument) in (str, bool):
        kind = type(argument)

        def equals(scope: Scope) -> bool:
            value = get(scope)
            return value == argument if type(value) is kind else value is not ABSENT and equal(value, argument)
        return equals
    if operator == "not_equals" and type(argument) in (str, bool):
        kind = type(argument)

        def differs(scope: Scope) -> bool:
            value = get(scope)
            return value != argument if type(value) is kind else value is not ABSENT and not equal(value, argument)
        return differs
    if operator in ("in", "not_in") and isinstance(argument, list) and all(type(item) is str for item in argument):
        strings, positive = frozenset(argument), operator == "in"

        def member(scope: Scope) -> bool:
            value = get(scope)
            return value is not ABSENT and (
                value in strings if type(value) is str else _member(value, argument)) is positive
        return member
    return None


def _compared(compare: Callable[[float, float], bool], limit: float | None, get: Value, read: Value | None,
              unit: str) -> Predicate:
    """A comparison with a literal (`gte: 2`, `lt: 500m`), its number read once: `_compare`'s answer."""
    if limit is None:
        return lambda scope: False
    if read is None:
        def compared(scope: Scope) -> bool:
            value = number(get(scope), unit)
            return value is not None and compare(value, limit)
        return compared

    def compared_straight(scope: Scope) -> bool:
        value = read(scope)  # a number as the model holds it is what `getter` gives; anything else as it gives it
        value = float(value) if type(value) in (int, float) else number(plain(value), unit)
        return value is not None and compare(value, limit)
    return compared_straight


def _read_straight(operator: str, argument: Any, read: Value) -> Predicate | None:
    """`equals` a string or boolean, `in` / `not_in` strings, `exists` and `truthy` on the value `read` gives: a
    value of the argument's type is what `getter` would give too; any other goes through `plain` first, as `getter`
    takes it (None is ABSENT, nothing else is)."""
    if operator == "exists" and type(argument) is bool:
        if argument:
            return lambda scope: (value := read(scope)) is not None and value is not ABSENT
        return lambda scope: (value := read(scope)) is None or value is ABSENT
    if operator == "truthy" and type(argument) is bool:
        def truthy(scope: Scope) -> bool:
            value = read(scope)
            if value is None:
                return not argument
            return bool(value if type(value) in (str, bool) else plain(value)) is argument
        return truthy
    if operator == "equals" and type(argument) in (str, bool):
        kind = type(argument)

        def equals(scope: Scope) -> bool:
            value = read(scope)
            if type(value) is not kind:
                value = plain(value)
            return value == argument if type(value) is kind else value is not ABSENT and equal(value, argument)
        return equals
    if operator in ("in", "not_in") and isinstance(argument, list) and all(type(item) is str for item in argument):
        strings, positive = frozenset(argument), operator == "in"

        def member(scope: Scope) -> bool:
            value = read(scope)
            if type(value) is not str:
                value = plain(value)
            return value is not ABSENT and (
                value in strings if type(value) is str else _member(value, argument)) is positive
        return member
    return None


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
    get = safe_getter(path, env.kind)
    if "times" not in argument:
        return get
    factor = right_hand(argument["times"], where + ("times",), env)

    def scaled(scope: Scope) -> Any:
        value, times = number(get(scope)), number(factor(scope))
        return ABSENT if value is None or times is None else value * times
    return scaled


def safe_getter(path: str, kind: str) -> Value:
    try:
        return getter(path, kind)
    except ValueError:  # already reported by check_path
        return lambda scope: ABSENT


def _is_reference(argument: Any) -> bool:
    return isinstance(argument, dict) and ("option" in argument or "attr" in argument)


def _option(scope: Scope, name: str) -> Any:
    value = scope.get("options", {}).get(name, ABSENT)
    return ABSENT if value is None else value


def _regex(argument: Any, where: tuple, env: Env) -> regex.Regex | None:
    """The pattern, matched by RE2 in time linear in the text (a backtracking `^(a+)+$` would take minutes on one
    name); a pattern RE2 refuses (back-references, look-around) is an error at its line."""
    if not isinstance(argument, str):
        env.error(where, "matches takes a regular expression (a string)")
        return None
    try:
        return regex.compile(argument)
    except regex.RegexError as error:
        env.error(where, str(error))
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
        try:
            return item in value
        except TypeError:  # `contains: [..]` or `{..}` asked of a mapping: no key is a list or a mapping
            return False
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
