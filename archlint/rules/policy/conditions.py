"""Conditions on attributes (`{attr: replicas, lt: 2}`) and their combinations (all / any / not), compiled once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archlint.rules.policy.getters import reader
from archlint.rules.policy.operators import (
    COMPARISONS,
    Predicate,
    fused,
    operator_test,
    safe_getter,
)
from archlint.rules.policy.paths import Scope, problem, split

OPERATORS = ("equals", "not_equals", "exists", "in", "not_in", "matches", "gt", "gte", "lt", "lte", "contains",
             "empty", "truthy", "type")
KINDS = ("all", "any", "not", "attr", "related", "path", "aggregate")
MAX_DEPTH = 32


@dataclass
class Env:
    """What a condition is compiled against: its subject, the names in scope, options, and the errors found."""

    kind: str
    options: frozenset[str]
    names: set[str] = field(default_factory=set)
    errors: list[tuple[tuple, str]] = field(default_factory=list)
    #: The first names of the paths checked so far (what the compiled code reads from the subject's scope).
    read: set[str] = field(default_factory=set)
    #: Every name the policy may compute (`options`, its lets, the `as` of its graph questions), when known: a path
    #: that starts with another name is read straight from the subject (`direct`).
    bound: frozenset[str] | None = None

    def error(self, where: tuple, message: str) -> None:
        self.errors.append((where, message))

    def check_path(self, where: tuple, path: Any) -> str:
        if not isinstance(path, str):
            self.error(where, "an attribute path must be a string")
            return "?"
        found = problem(path, self.kind, frozenset(self.names), self.options)
        if found:
            self.error(where, found)
        else:
            self.read.add(split(path)[1][0])
        return path

    def on(self, kind: str) -> "Env":
        """The same policy's environment for a condition on another subject (a related node, an edge)."""
        return Env(kind, self.options, set(), self.errors, bound=self.bound)

    def direct(self, path: str) -> Callable[[Any], Any] | None:
        """`getters.reader` of `path` when no name the policy computes can shadow its first name, else None."""
        if self.bound is None:
            return None
        try:
            _, names = split(path)
        except ValueError:
            return None
        return reader(path, self.kind) if names[0] not in self.bound else None


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
    if len(parts) == 2:  # the usual sizes, unrolled: no loop per subject
        first, second = parts
        return lambda scope: first(scope) and second(scope)
    if len(parts) == 3:
        first, second, third = parts
        return lambda scope: first(scope) and second(scope) and third(scope)

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
    get = safe_getter(path, env.kind)
    return fused(operator, cond[operator], get, env.direct(path), unit) or (lambda scope: test(get(scope), scope))
