"""Compiles one policy (a validated mapping) into a `Rule`: metadata, documentation and a check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from archlint.finding import Concern, Finding, Severity
from archlint.model import Component, EdgeKind, NodeKind, Span, SystemModel
from archlint.rules.base import Rule, RuleMeta, finding
from archlint.rules.policy import template
from archlint.rules.policy.conditions import Env, Predicate, compile_condition, every
from archlint.rules.policy.getters import getter, resolve
from archlint.rules.policy.operators import right_hand
from archlint.rules.policy.paths import ABSENT, Scope

MAX_TEMPLATE = 2000
_TEXTS = ("message", "fix", "key")


def compile_policy(policy: dict, where: tuple, examples: Path, env_errors: list, fresh: bool = True) -> Rule:
    """The Rule a policy defines. Problems found on the way go to `env_errors` as (place, reason). `fresh` is
    False for a document from the cache, whose option schemas were checked when it was stored."""
    options = {name: spec.get("default") for name, spec in (policy.get("options") or {}).items()}
    env = Env(policy["for"], frozenset(options), errors=env_errors, bound=_bound(policy))
    meta = RuleMeta(id=policy["id"], name=policy["name"], title=policy["title"], concern=Concern(policy["concern"]),
                    severity=Severity(policy["severity"]), options=options, absorbs=tuple(policy.get("absorbs") or ()),
                    options_schema={n: dict(s["schema"]) for n, s in (policy.get("options") or {}).items() if "schema" in s})
    if fresh:
        _check_options(policy.get("options") or {}, where + ("options",), env)
    kinds, select = _selection(policy, where, env)
    known, env.read = set(env.names), set()
    lets = _lets(policy.get("let") or {}, where + ("let",), env)
    let_names, let_reads, env.read = env.names - known, env.read, set()
    condition = (compile_condition(policy["where"], where + ("where",), env) if "where" in policy else None)
    # Lets that `where` does not read (and that read nothing `where` sets) are computed only for the subjects it keeps.
    later = lets if not env.read & let_names and not let_reads & (env.names - known - let_names) else []
    sooner = [] if later else lets
    subjects = _subjects(env.kind, _narrowed(kinds, policy.get("where"), env), select)
    cases = [_case(policy, {}, where, env, meta)] if "cases" not in policy else []
    for index, case in enumerate(policy.get("cases") or ()):
        cases.append(_case(policy, case, where + ("cases", index), env, meta))

    def check(model: SystemModel, given: Mapping[str, Any]) -> Iterator[Finding]:
        for scope in subjects(model):
            names = scope.names
            names["options"] = given
            for name, value in sooner:
                names[name] = value(scope)
            if condition is not None and not condition(scope):
                continue
            for name, value in later:
                names[name] = value(scope)
            for test, report in cases:
                if test is None or test(scope):
                    yield report(scope)
                    break
    return Rule(meta, check, _doc(policy["documentation"]), examples)


def _bound(policy: dict) -> frozenset[str]:
    """Every name the policy may compute for a subject: `options`, its lets and the `as` of its graph questions
    (any mapping's `as`, wherever it is: a name too many only costs a direct read)."""
    names = {"options", *(policy.get("let") or {})}
    pending = [policy]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if isinstance(value.get("as"), str):
                names.add(value["as"])
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return frozenset(names)


def _check_options(options: dict, where: tuple, env: Env) -> None:
    """Each option's schema is a JSON Schema and its default satisfies it (the configuration is checked the same way)."""
    from archlint.validation import messages

    for name, spec in options.items():
        if "schema" not in spec:
            continue
        try:
            problems = messages(spec["default"], dict(spec["schema"]), check_schema=True)
        except Exception as error:  # jsonschema's SchemaError, or a schema it cannot even read
            env.error(where + (name, "schema"), f"not a valid JSON Schema: {getattr(error, 'message', error)}")
            continue
        for problem in problems:
            env.error(where + (name, "default"), f"the default does not fit the schema: {problem}")


def _selection(policy: dict, where: tuple, env: Env) -> tuple[frozenset | None, Predicate | None]:
    """`select`: the kinds it names (None: every kind) and the test of its other entries."""
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
    test = every([_select(path, value, where + ("select", path), env) for path, value in select.items()
                  if not (path == "kind" and kind != "containers")])
    if kind == "containers" and wanted is not None:
        env.error(where + ("select", "kind"), "containers select on node.kind, container.*: not kind")
    return frozenset(values[v] for v in kinds if v in values) or None, test


def _narrowed(kinds: frozenset | None, condition: Any, env: Env) -> frozenset | None:
    """The selected kinds, narrowed by a test of `kind` against literals among the top-level conditions of `where`
    (the subjects of other kinds would fail it): the model's index of kinds then skips them."""
    if env.kind == "containers" or "kind" in env.names:
        return kinds
    enum = NodeKind if env.kind == "nodes" else EdgeKind
    every_kind = frozenset(enum)
    conjunction = isinstance(condition, dict) and isinstance(condition.get("all"), list)
    for test in condition["all"] if conjunction else [condition]:
        if not isinstance(test, dict) or test.get("attr") != "kind" or len(test) != 2:
            continue
        operator, argument = next((k, v) for k, v in test.items() if k != "attr")
        named = [argument] if isinstance(argument, str) else argument
        if operator not in ("equals", "in", "not_equals", "not_in") or not isinstance(named, list) or not all(
                isinstance(name, str) for name in named):
            continue
        chosen = frozenset(k for k in every_kind if k.value in named)
        kinds = (kinds or every_kind) & (chosen if operator in ("equals", "in") else every_kind - chosen)
    return kinds


def _subjects(kind: str, kinds: frozenset | None, test: Predicate | None) -> Callable[[SystemModel], Iterator[Scope]]:
    """The subjects of a policy (of `kinds`, None for all, through the model's index) that `select` keeps. One
    scope per run moves from subject to subject (its names emptied each time): a scope per subject cost a tenth of
    the policies' time."""
    if kinds is not None and not kinds:
        return lambda model: iter(())

    def nodes(model: SystemModel) -> Iterator[Scope]:
        scope = Scope("nodes", None, None, None, model)
        for component in model.components(*(kinds or ())):
            scope.subject, scope.names = component, {}
            if test is None or test(scope):
                yield scope

    def edges(model: SystemModel) -> Iterator[Scope]:
        scope = Scope("edges", None, None, None, model)
        for dep in model.dependencies(kinds):
            scope.subject, scope.extra, scope.names = dep, None, {}
            if test is None or test(scope):
                yield scope

    def containers(model: SystemModel) -> Iterator[Scope]:
        scope = Scope("containers", None, None, None, model)
        for component in model.components():
            for container in component.containers:
                scope.subject, scope.extra, scope.names = container, component, {}
                if test is None or test(scope):
                    yield scope
    return {"nodes": nodes, "edges": edges, "containers": containers}[kind]


#: The component a finding names and its default place, per subject: the node, an edge's source, a container's node.
_SUBJECT: dict[str, Callable[[Scope], tuple[Component, Span]]] = {
    "nodes": lambda scope: (scope.subject, scope.subject.span),
    "edges": lambda scope: (scope.model.component(scope.subject.source), scope.subject.span),
    "containers": lambda scope: (scope.extra, scope.subject.span),
}


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
            for test, text in cases:
                if test(scope):
                    return text(scope)
            return default(scope)
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


def _case(policy: dict, case: dict, where: tuple, env: Env, meta: RuleMeta):
    """A case's test and the function that reports its finding (its texts rendered only then)."""
    test = compile_condition(case["where"], where + ("where",), env) if "where" in case else None
    message, fix, key = (_template(case.get(name, policy.get(name, "")), where + (name,), env) for name in _TEXTS)
    if not case.get("message", policy.get("message")):
        env.error(where, "no message: give the policy (or each of its cases) a message")
    at = case.get("at", policy.get("at"))
    places = [_place(name, env.kind) for name in ([at] if isinstance(at, str) else at or ())]
    raw = case.get("related", policy.get("related"))
    related = [_template(r, where + ("related",), env) for r in ([raw] if isinstance(raw, str) else raw or ())]
    raw_node = case.get("node", policy.get("node"))
    blamed = _template(raw_node, where + ("node",), env) if raw_node is not None else None
    subject, kind = _SUBJECT[env.kind], env.kind

    def report(scope: Scope) -> Finding:
        component, span = subject(scope)
        if blamed is not None:
            named = blamed(scope)
            if named and named in scope.model:
                component = scope.model.component(named)
        linked = tuple(t for t in (r(scope) for r in related) if t and t != "?") if related else ()
        return finding(meta, component, message(scope), fix(scope),
                       span=_span(places, scope, component, span, kind) if places else span, key=key(scope),
                       nodes=linked)
    return test, report


def _template(text: Any, where: tuple, env: Env) -> Callable[[Scope], str]:
    """The template compiled for the policy's subject (an empty text when it has a problem, reported to `env`)."""
    if not isinstance(text, str):
        env.error(where, "a template is a string")
        return _EMPTY
    if len(text) > MAX_TEMPLATE:
        env.error(where, f"template longer than {MAX_TEMPLATE:,} characters")
        return _EMPTY
    try:
        parts = template.parse(text)
    except ValueError as error:
        env.error(where, str(error))
        return _EMPTY
    for path in template.paths(parts):
        env.check_path(where, path)
    return template.renderer(parts, env.kind, env.direct)


def _EMPTY(scope: Scope) -> str:
    return ""


def _place(name: str, kind: str) -> tuple[str, bool, Callable[[Scope], Any]]:
    """One name of `at`, its path compiled (a malformed one fails as before, when a finding reaches it)."""
    try:
        get = getter(name, kind)
    except ValueError:
        def get(scope: Scope) -> Any:
            return resolve(scope, name)
    return name, "." in name, get


def _span(at: list, scope: Scope, component: Component, default: Span, kind: str) -> Span:
    """The first of `at` that gives a place: a span-valued attribute, or (nodes) a named point of the component."""
    points = component.points if kind == "nodes" else {}
    for name, dotted, get in at:
        if not dotted and name in points:
            return points[name]
        value = get(scope)
        if isinstance(value, Span):
            return value
        if name in points:
            return points[name]
    return default


def _doc(documentation: dict) -> str:
    """The docstring shape every rule has: summary, then What it flags / Why it matters / How to fix."""
    return (f"{documentation['summary'].strip()}\n\nWhat it flags: {documentation['flags'].strip()}\n"
            f"Why it matters: {documentation['why'].strip()}\nHow to fix: {documentation['fix'].strip()}\n")
