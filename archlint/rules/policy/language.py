"""Compiles one policy (a validated mapping) into a `Rule`: metadata, documentation and a check function."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from archlint.finding import Concern, Finding, Severity
from archlint.model import Component, EdgeKind, NodeKind, Span, SystemModel
from archlint.rules.base import Rule, RuleMeta, finding
from archlint.rules.policy.conditions import Env, Predicate, compile_condition, every, right_hand
from archlint.rules.policy.paths import ABSENT, Scope, resolve
from archlint.rules.policy import template

MAX_TEMPLATE = 2000
_TEXTS = ("message", "fix", "key")


def compile_policy(policy: dict, where: tuple, examples: Path, env_errors: list, fresh: bool = True) -> Rule:
    """The Rule a policy defines. Problems found on the way go to `env_errors` as (place, reason). `fresh` is
    False for a document from the cache, whose option schemas were checked when it was stored."""
    options = {name: spec.get("default") for name, spec in (policy.get("options") or {}).items()}
    env = Env(policy["for"], frozenset(options), errors=env_errors)
    meta = RuleMeta(id=policy["id"], name=policy["name"], title=policy["title"], concern=Concern(policy["concern"]),
                    severity=Severity(policy["severity"]), options=options,
                    options_schema={n: dict(s["schema"]) for n, s in (policy.get("options") or {}).items() if "schema" in s})
    if fresh:
        _check_options(policy.get("options") or {}, where + ("options",), env)
    subjects = _subjects(policy, where, env)
    lets = _lets(policy.get("let") or {}, where + ("let",), env)
    condition = (compile_condition(policy["where"], where + ("where",), env) if "where" in policy else None)
    cases = [_case(policy, {}, where, env)] if "cases" not in policy else []
    for index, case in enumerate(policy.get("cases") or ()):
        cases.append(_case(policy, case, where + ("cases", index), env))
    kind = policy["for"]

    def check(model: SystemModel, given: Mapping[str, Any]) -> Iterator[Finding]:
        for scope, component, span in subjects(model):
            scope.model = model
            scope.names["options"] = given
            for name, value in lets:
                scope.names[name] = value(scope)
            if condition is not None and not condition(scope):
                continue
            for test, texts, at, related, blamed in cases:
                if test is None or test(scope):
                    named = template.render(blamed, scope) if blamed else ""
                    if named and named in model:
                        component = model.component(named)
                    yield finding(meta, component, *(template.render(t, scope) for t in texts[:2]),
                                  span=_span(at, scope, component, span, kind),
                                  key=template.render(texts[2], scope), related=related(scope))
                    break
    return Rule(meta, check, _doc(policy["documentation"]), examples)


def _check_options(options: dict, where: tuple, env: Env) -> None:
    """Each option's schema is a JSON Schema and its default satisfies it (the configuration is checked the same way)."""
    from archlint.validation import messages

    for name, spec in options.items():
        if "schema" not in spec:
            continue
        try:
            from jsonschema import Draft202012Validator

            Draft202012Validator.check_schema(spec["schema"])
            problems = messages(spec["default"], dict(spec["schema"]))
        except Exception as error:  # jsonschema's SchemaError, or a schema it cannot even read
            env.error(where + (name, "schema"), f"not a valid JSON Schema: {getattr(error, 'message', error)}")
            continue
        for problem in problems:
            env.error(where + (name, "default"), f"the default does not fit the schema: {problem}")


def _subjects(policy: dict, where: tuple, env: Env):
    """The subjects a policy judges, with the component a finding names and the default span."""
    kind = policy["for"]
    select = policy.get("select") or {}
    wanted = select.get("kind")
    kinds = [wanted] if isinstance(wanted, str) else list(wanted or ())
    enum = NodeKind if kind != "edges" else EdgeKind
    values = enum._value2member_map_
    for value in kinds:
        if value not in values:
            env.error(where + ("select", "kind"), f"{value!r} is not {'a node' if enum is NodeKind else 'an edge'} kind "
                      f"({', '.join(values)})")
    typed = tuple(values[v] for v in kinds if v in values)
    test = every([_select(path, value, where + ("select", path), env) for path, value in select.items()
                  if not (path == "kind" and kind != "containers")])
    if kind == "containers" and wanted is not None:
        env.error(where + ("select", "kind"), "containers select on node.kind, container.*: not kind")

    def nodes(model: SystemModel):
        for component in model.components(*typed):
            scope = Scope("nodes", component)
            if test is None or test(scope):
                yield scope, component, component.span

    def edges(model: SystemModel):
        for dep in model.dependencies(typed or None):
            scope = Scope("edges", dep, None, None, model)
            if test is None or test(scope):
                yield scope, model.component(dep.source), dep.span

    def containers(model: SystemModel):
        for component in model.components():
            for container in component.containers:
                scope = Scope("containers", container, component)
                if test is None or test(scope):
                    yield scope, component, container.span
    return {"nodes": nodes, "edges": edges, "containers": containers}[kind]


def _select(path: str, value: Any, where: tuple, env: Env) -> Predicate:
    """`select: {kind: [datastore], source: terraform}`: equality, or membership for a list."""
    operator = "in" if isinstance(value, list) else "equals"
    return compile_condition({"attr": path, operator: value}, where, env)


def _lets(lets: dict, where: tuple, env: Env) -> list[tuple[str, Any]]:
    """Named values computed before the conditions: max / min / ratio of attributes, or the first case that holds."""
    compiled = []
    for name, spec in lets.items():
        here = where + (name,)
        compiled.append((name, _let(spec, here, env)))
        env.names.add(name)
    return compiled


def _let(spec: dict, where: tuple, env: Env):
    if "cases" in spec:
        cases = [(compile_condition(case["where"], where + ("cases", i, "where"), env),
                  _template(case["value"], where + ("cases", i, "value"), env))
                 for i, case in enumerate(spec["cases"])]
        default = _template(spec.get("default", ""), where + ("default",), env)

        def first(scope: Scope) -> str:
            return template.render(next((text for test, text in cases if test(scope)), default), scope)
        return first
    function = next(k for k in ("max", "min", "ratio") if k in spec)
    items = [right_hand(item if isinstance(item, dict) else {"attr": item}, where + (function, i), env)
             for i, item in enumerate(spec[function])]
    if function == "ratio" and len(items) != 2:
        env.error(where + ("ratio",), "ratio takes two attributes: [numerator, denominator]")
        return lambda scope: ABSENT
    fallback = spec.get("default", ABSENT)

    def value(scope: Scope) -> Any:
        found = [v for v in (item(scope) for item in items)
                 if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if function == "ratio":
            return found[0] / found[1] if len(found) == 2 and found[1] else fallback
        return (max if function == "max" else min)(found) if found else fallback
    return value


def _case(policy: dict, case: dict, where: tuple, env: Env):
    test = compile_condition(case["where"], where + ("where",), env) if "where" in case else None
    texts = tuple(_template(case.get(name, policy.get(name, "")), where + (name,), env) for name in _TEXTS)
    if not case.get("message", policy.get("message")):
        env.error(where, "no message: give the policy (or each of its cases) a message")
    at = case.get("at", policy.get("at"))
    at = [at] if isinstance(at, str) else list(at or ())
    raw = case.get("related", policy.get("related"))
    related = [_template(r, where + ("related",), env) for r in ([raw] if isinstance(raw, str) else raw or ())]

    def linked(scope: Scope) -> tuple[str, ...]:
        return tuple(t for t in (template.render(r, scope) for r in related) if t and t != "?")
    raw_node = case.get("node", policy.get("node"))
    blamed = _template(raw_node, where + ("node",), env) if raw_node is not None else ()
    return test, texts, at, linked, blamed


def _template(text: Any, where: tuple, env: Env) -> tuple:
    if not isinstance(text, str):
        env.error(where, "a template is a string")
        return ()
    if len(text) > MAX_TEMPLATE:
        env.error(where, f"template longer than {MAX_TEMPLATE:,} characters")
        return ()
    try:
        parts = template.parse(text)
    except ValueError as error:
        env.error(where, str(error))
        return ()
    for path in template.paths(parts):
        env.check_path(where, path)
    return parts


def _span(at: list[str], scope: Scope, component: Component, default: Span, kind: str) -> Span:
    """The first of `at` that gives a place: a span-valued attribute, or (nodes) a named point of the component."""
    for name in at:
        value = resolve(scope, name) if "." in name or kind != "nodes" or name not in component.points else ABSENT
        if isinstance(value, Span):
            return value
        if kind == "nodes" and name in component.points:
            return component.points[name]
    return default


def _doc(documentation: dict) -> str:
    """The docstring shape every rule has: summary, then What it flags / Why it matters / How to fix."""
    return (f"{documentation['summary'].strip()}\n\nWhat it flags: {documentation['flags'].strip()}\n"
            f"Why it matters: {documentation['why'].strip()}\nHow to fix: {documentation['fix'].strip()}\n")
