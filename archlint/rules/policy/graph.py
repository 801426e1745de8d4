"""Graph questions on a node: related nodes (exist, count, all), paths to a selection, aggregates over edges."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from archlint.model import Component, Dependency, EdgeKind, SystemModel
from archlint.rules.policy.conditions import Env, Predicate, _never, compile_condition
from archlint.rules.policy.operators import COMPARISONS, operator_test, safe_getter
from archlint.rules.policy.paths import ABSENT, Scope
from archlint.rules.policy.quantities import number

MAX_HOPS = 10
_KEYS = {
    "related": {"direction", "edges", "mode", "depth", "where", "edge_where", "exists", "count", "all", "as"},
    "path": {"to", "edges", "mode", "direction", "max_depth", "exists", "as"},
    "aggregate": {"direction", "edges", "mode", "edge_where", "sum", "max", "min", "as", "equals", *COMPARISONS},
}


def compile_question(kind: str, cond: dict, where: tuple, env: Env, depth: int) -> Predicate:
    """`related`, `path` or `aggregate` (a node's question about the graph around it)."""
    spec = cond[kind]
    here = where + (kind,)
    if env.kind != "nodes":
        env.error(here, f"{kind} asks about a node's neighbours: use it in a policy `for: nodes`")
        return _never
    if set(cond) != {kind} or not isinstance(spec, dict):
        env.error(where, f"{kind} is a mapping and the only key of its condition")
        return _never
    unknown = sorted(set(spec) - _KEYS[kind])
    if unknown:
        env.error(here, f"unknown key {', '.join(unknown)} (allowed: {', '.join(sorted(_KEYS[kind]))})")
        return _never
    name = spec.get("as")
    if name is not None:
        env.names.add(name)
    if kind == "aggregate":
        return _aggregate(spec, here, env, depth, name)
    walk = _walker(spec, here, env, depth, "max_depth" if kind == "path" else "depth")
    if kind == "related":
        return _related(spec, here, env, depth, walk, name)
    return _path(spec, here, env, depth, walk, name)


def _walker(spec: dict, where: tuple, env: Env, depth: int, depth_key: str) -> Callable[[Scope], Iterator[Component]]:
    direction = spec.get("direction", "out")
    kinds = frozenset(EdgeKind(k) for k in spec.get("edges", ()) if k in EdgeKind._value2member_map_) or None
    for kind in spec.get("edges", ()):
        if kind not in EdgeKind._value2member_map_:
            env.error(where + ("edges",), f"{kind!r} is not an edge kind ({', '.join(e.value for e in EdgeKind)})")
    mode = spec.get("mode", "any")
    hops = spec.get(depth_key, MAX_HOPS if depth_key == "max_depth" else 1)
    if not isinstance(hops, int) or isinstance(hops, bool) or not 1 <= hops <= MAX_HOPS:
        env.error(where + (depth_key,), f"{depth_key} is between 1 and {MAX_HOPS}")
        hops = 1
    edge_ok = (compile_condition(spec["edge_where"], where + ("edge_where",), env.on("edges"), depth + 1)
               if "edge_where" in spec else None)

    def walk(scope: Scope) -> Iterator[Component]:
        model: SystemModel = scope.model
        start: Component = scope.subject
        seen, queue = {start.id}, deque([(start.id, 0)])
        while queue:
            node, distance = queue.popleft()
            if distance == hops:
                continue
            for dep, other in _edges(model, node, direction, kinds):
                if other in seen or not _mode(dep, mode):
                    continue
                if edge_ok is not None and not edge_ok(_edge_scope(scope, model, dep)):
                    continue
                seen.add(other)
                queue.append((other, distance + 1))
                yield model.component(other)
    return walk


def _edges(model: SystemModel, node: str, direction: str, kinds) -> Iterator[tuple[Dependency, str]]:
    if direction in ("out", "both"):
        yield from ((dep, dep.target) for dep in model.outgoing(node, kinds))
    if direction in ("in", "both"):
        yield from ((dep, dep.source) for dep in model.incoming(node, kinds))


def _mode(dep: Dependency, mode: str) -> bool:
    return mode == "any" or dep.mode == mode


def _edge_scope(scope: Scope, model: SystemModel, dep: Dependency) -> Scope:
    """A scope on an edge: its ends are looked up when a condition or value first reads them."""
    return scope.child("edges", dep)


def _related(spec: dict, where: tuple, env: Env, depth: int, walk, name: str | None) -> Predicate:
    matches = (compile_condition(spec["where"], where + ("where",), env.on("nodes"), depth + 1)
               if "where" in spec else None)
    verdicts = [k for k in ("exists", "count", "all") if k in spec]
    if len(verdicts) > 1:
        env.error(where, "related takes one of exists, count or all")
    verdict = verdicts[0] if verdicts else "exists"
    if verdict == "all":
        every = compile_condition(spec["all"], where + ("all",), env.on("nodes"), depth + 1)
    elif verdict == "count":
        count_tests = _count_tests(spec["count"], where + ("count",), env)
    elif not isinstance(spec.get("exists", True), bool):
        env.error(where + ("exists",), "exists takes true or false")
    wanted = spec.get("exists", True)

    def related(scope: Scope) -> bool:
        found = [c for c in walk(scope) if matches is None or matches(scope.child("nodes", c))]
        if name:
            scope.names[name] = len(found)
        if verdict == "all":
            return all(every(scope.child("nodes", c)) for c in found)
        if verdict == "count":
            return all(test(len(found), scope) for test in count_tests)
        return bool(found) is wanted
    return related


def _count_tests(spec: Any, where: tuple, env: Env) -> list:
    allowed = ("equals", "not_equals", *COMPARISONS)
    if not isinstance(spec, dict) or not spec or set(spec) - set(allowed):
        env.error(where, f"count is a mapping of {', '.join(allowed)} to numbers")
        return []
    return [operator_test(op, value, where + (op,), env) for op, value in spec.items()]


def _path(spec: dict, where: tuple, env: Env, depth: int, walk, name: str | None) -> Predicate:
    if "to" not in spec:
        env.error(where, "path needs `to`: a condition on the nodes it leads to")
        return _never
    target = compile_condition(spec["to"], where + ("to",), env.on("nodes"), depth + 1)
    wanted = spec.get("exists", True)

    def path(scope: Scope) -> bool:
        found = sorted((c for c in walk(scope) if target(scope.child("nodes", c))), key=lambda c: c.id)
        if name:
            scope.names[name] = found[0] if found else ABSENT
        return bool(found) is wanted
    return path


def _aggregate(spec: dict, where: tuple, env: Env, depth: int, name: str | None) -> Predicate:
    functions = [k for k in ("sum", "max", "min") if k in spec]
    if len(functions) != 1:
        env.error(where, "aggregate takes one of sum, max or min")
        return _never
    function = functions[0]
    field = spec[function]
    if field != "count":
        env.on("edges").check_path(where + (function,), field)
    value_of = safe_getter(field, "edges") if field != "count" else None
    if spec.get("direction", "out") == "both":
        env.error(where + ("direction",), "aggregate follows edges out or in, not both")
    tests = [operator_test(op, spec[op], where + (op,), env) for op in ("equals", *COMPARISONS) if op in spec]
    kinds = frozenset(EdgeKind(k) for k in spec.get("edges", ()) if k in EdgeKind._value2member_map_) or None
    edge_ok = (compile_condition(spec["edge_where"], where + ("edge_where",), env.on("edges"), depth + 1)
               if "edge_where" in spec else None)
    outgoing, mode = spec.get("direction", "out") == "out", spec.get("mode", "any")

    def aggregate(scope: Scope) -> bool:
        model: SystemModel = scope.model
        node = scope.subject.id
        deps = model.outgoing(node, kinds) if outgoing else model.incoming(node, kinds)
        values = []
        for dep in deps:
            edge = _edge_scope(scope, model, dep)
            if not _mode(dep, mode) or (edge_ok is not None and not edge_ok(edge)):
                continue
            values.append(1.0 if value_of is None else number(value_of(edge)))
        present = [v for v in values if v is not None]
        if function == "sum":
            total: Any = sum(present)
        else:
            total = (max if function == "max" else min)(present) if present else ABSENT
        if name:
            scope.names[name] = total
        return all(test(total, scope) for test in tests)
    return aggregate
