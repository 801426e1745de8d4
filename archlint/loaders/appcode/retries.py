"""Hand-written retry loops that retry immediately or after a constant sleep: no backoff, no jitter."""

from __future__ import annotations

from typing import Any

import libcst as cst

from archlint.loaders.appcode.arguments import keyword, positional
from archlint.loaders.appcode.local import calls, is_local, is_sleep, local_errors
from archlint.loaders.appcode.scan import CodeFile, Scope

#: Calls a sleep argument may go through and still be judged by what goes in: `min(delay * 2, 30)`.
_PURE = frozenset({"min", "max", "float", "int", "round", "abs"})
#: Loops that count attempts: `for attempt in range(5)`, `for n in itertools.count()`. A loop over other values
#: (items, hosts) that swallows errors is processing a list, not retrying one call.
_COUNTERS = frozenset({"itertools.count"})


def retry_loops_without_backoff(code: CodeFile) -> list[dict]:
    """One fact per loop: {file, line, call, scope, detail}; detail says how it waits between attempts."""
    found = []
    for site in code.loops:
        loop = site.node
        if isinstance(loop, cst.For) and not _counts(code, loop):
            continue
        body = _Body(code)
        loop.body.visit(body)
        remote, handlers = next(((call, handlers) for t in body.tries for handlers in [_retrying(t)] if handlers
                                 for call in [_remote_call(code, t, site.scope)] if call), (None, []))
        if remote is None:
            continue
        varying = body.assigned | (_names(loop.target) if isinstance(loop, cst.For) else set())
        verdicts = [_sleep_kind(code, call, varying) for call in body.sleeps]
        if not verdicts:
            if any(not is_local(code, call, site.scope) for handler in handlers for call in calls(handler)):
                continue  # the handler calls something that may wait (`wait_for_write(sock)`, `reconnect()`)
            detail = "no sleep between attempts"
        elif all(v == "constant" for v in verdicts):
            detail = f"a constant {' '.join(code.code(body.sleeps[0]).split())} between attempts"
        else:
            continue  # the delay grows, is random, or comes from something archlint cannot follow
        found.append({"file": code.name, "line": code.line(loop), "call": remote, "scope": site.scope.name,
                      "detail": detail})
    return found


def _counts(code: CodeFile, loop: cst.For) -> bool:
    it = loop.iter
    if not isinstance(it, cst.Call):
        return False
    if isinstance(it.func, cst.Name) and it.func.value == "range" and it.func.value not in code.imports:
        return True
    return code.qualify(it.func) in _COUNTERS


class _Body(cst.CSTVisitor):
    """What one loop's body holds, not counting nested loops, functions and classes: its `try` statements, its
    sleeps, and the names and attributes it assigns."""

    def __init__(self, code: CodeFile) -> None:
        super().__init__()
        self.code = code
        self.tries: list[cst.Try] = []
        self.sleeps: list[cst.Call] = []
        self.assigned: set[str] = set()

    def visit_For(self, node: Any) -> bool:
        return False

    visit_While = visit_FunctionDef = visit_ClassDef = visit_Lambda = visit_For

    def visit_Try(self, node: cst.Try) -> None:
        self.tries.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        if is_sleep(node):
            self.sleeps.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if not isinstance(node.value, (cst.Integer, cst.Float)):  # `delay = 1` each time round is constant
            for target in node.targets:
                self.assigned |= _names(target.target, self.code)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.assigned |= _names(node.target, self.code)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.assigned |= _names(node.target, self.code)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.assigned |= _names(node.target, self.code)


def _names(target: Any, code: CodeFile | None = None) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(_names(e.value, code) for e in target.elements))
    if isinstance(target, cst.Attribute) and code is not None:
        return {code.code(target)}
    return set()


def _retrying(node: cst.Try) -> list[cst.ExceptHandler]:
    """The handlers that go round again, when success leaves the loop (`return` or `break` in the body or `else`)."""
    exits = _Statements()
    node.body.visit(exits)
    if node.orelse is not None:
        node.orelse.visit(exits)
    if not exits.leaves:
        return []
    found = []
    for handler in node.handlers:
        inner = _Statements()
        handler.body.visit(inner)
        last = handler.body.body[-1] if isinstance(handler.body, cst.IndentedBlock) else handler.body
        last = last.body[-1] if isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else last
        if (inner.continues or not isinstance(last, (cst.Raise, cst.Return, cst.Break))) and not local_errors(handler):
            found.append(handler)
    return found


class _Statements(cst.CSTVisitor):
    """`return`, `break` and `continue` of one loop level."""

    def __init__(self) -> None:
        super().__init__()
        self.leaves = self.continues = False

    def visit_For(self, node: Any) -> bool:
        return False

    visit_While = visit_FunctionDef = visit_ClassDef = visit_Lambda = visit_For

    def visit_Return(self, node: cst.Return) -> None:
        self.leaves = True

    visit_Break = visit_Return

    def visit_Continue(self, node: cst.Continue) -> None:
        self.continues = True


def _remote_call(code: CodeFile, node: cst.Try, scope: Scope) -> str | None:
    """The call of the `try` body that may leave the process: the first one of a library (`requests.post`), else the
    first other one as written (`self.client.send`)."""
    candidates = []
    for call in calls(node.body):
        if is_local(code, call, scope):
            continue
        if code.qualify(call.func):
            return code.qualify(call.func)
        candidates.append(" ".join(code.code(call.func).split())[:80])
    return candidates[0] if candidates else None


def _sleep_kind(code: CodeFile, call: cst.Call, varying: set[str]) -> str:
    """`grows` (depends on what the loop changes, or on `**`), `random`, `unknown` (another call), or `constant`."""
    arg = keyword(call, "delay") or keyword(call, "seconds") or keyword(call, "timeout")
    value = arg.value if arg is not None else positional(call, 0)
    if value is None:
        return "unknown" if call.args else "constant"
    judge = _Delay(code, varying)
    value.visit(judge)
    return "grows" if judge.grows else "unknown" if judge.unknown else "constant"


class _Delay(cst.CSTVisitor):
    def __init__(self, code: CodeFile, varying: set[str]) -> None:
        super().__init__()
        self.code, self.varying = code, varying
        self.grows = self.unknown = False

    def visit_Power(self, node: cst.Power) -> None:
        self.grows = True

    def visit_Name(self, node: cst.Name) -> None:
        self.grows |= node.value in self.varying

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.grows |= self.code.code(node) in self.varying

    def visit_Call(self, node: cst.Call) -> None:
        name = self.code.qualify(node.func) or ""
        if name.split(".")[0] in ("random", "secrets") or name.startswith("numpy.random."):
            self.grows = True  # jitter
        elif not (isinstance(node.func, cst.Name) and node.func.value in _PURE):
            self.unknown = True
