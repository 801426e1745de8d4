"""Which calls stay in the process, which calls are sleeps, and which errors are retried for reasons of their own."""

from __future__ import annotations

import builtins
from typing import Any

import libcst as cst

from archlint.loaders.appcode.arguments import constructor
from archlint.loaders.appcode.scan import CodeFile, Scope

#: Errors that are retried at once for reasons of their own (an interrupted system call, a busy non-blocking
#: socket, a name taken, bad input): a handler that catches only these is not retrying a remote call.
LOCAL_ERRORS = frozenset({
    "InterruptedError", "BlockingIOError", "KeyboardInterrupt", "CancelledError", "FileExistsError",
    "FileNotFoundError", "IsADirectoryError", "StopIteration", "StopAsyncIteration", "ValueError", "KeyError",
    "IndexError", "TypeError", "AttributeError", "UnicodeError", "UnicodeDecodeError", "JSONDecodeError"})
#: Calls that stay in the process: they do not make a `try` a retried remote call, nor a handler a wait.
_BUILTINS = frozenset(dir(builtins))
_LOCAL_MODULES = frozenset({
    "os", "sys", "io", "re", "json", "csv", "pickle", "copy", "math", "random", "secrets", "uuid", "hashlib",
    "base64", "struct", "zlib", "gzip", "bz2", "lzma", "zipfile", "tarfile", "pathlib", "shutil", "tempfile", "glob",
    "fnmatch", "itertools", "functools", "collections", "datetime", "time", "logging", "string", "textwrap",
    "decimal", "fractions", "statistics", "typing", "dataclasses", "enum", "subprocess", "signal", "errno",
    "threading", "queue", "multiprocessing", "traceback", "warnings", "inspect"})
_LOGGING = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


def local_errors(handler: cst.ExceptHandler) -> bool:
    """The handler catches only errors of LOCAL_ERRORS (by their last name: `asyncio.CancelledError`)."""
    caught = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type] if handler.type else []
    names = [e.value if isinstance(e, cst.BaseElement) else e for e in caught]
    last = [n.attr.value if isinstance(n, cst.Attribute) else n.value if isinstance(n, cst.Name) else "" for n in names]
    return bool(last) and all(n in LOCAL_ERRORS for n in last)


def is_sleep(call: cst.Call) -> bool:
    """`time.sleep`, `asyncio.sleep`, any other `sleep` (`trio.sleep`, `tasks.sleep`), and an event's `.wait(5)`:
    judged by name, since an event or a clock of the project's own is as good a sleep as the library's."""
    func = call.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    return name == "sleep" or name == "wait" and isinstance(func, cst.Attribute) and bool(call.args)


def is_local(code: CodeFile, call: cst.Call, scope: Scope) -> bool:
    """A call that stays in the process: builtins, logging, the standard library's local modules, methods of a
    literal or of a call's result (`.json()`), and of objects those modules make (`subprocess.Popen(...).wait()`)."""
    func = call.func
    if isinstance(func, cst.Name) and func.value in _BUILTINS and func.value not in code.imports:
        return True
    name = code.qualify(func)
    if name is not None:
        return is_sleep(call) or name.split(".")[0] in _LOCAL_MODULES
    if not isinstance(func, cst.Attribute):
        return False
    if func.attr.value in _LOGGING or isinstance(func.value, (cst.Call, cst.BaseString, cst.Integer, cst.Float)):
        return True
    made = constructor(code, func.value, scope)
    return made is not None and (code.qualify(made.func) or "").split(".")[0] in _LOCAL_MODULES


def calls(node: cst.CSTNode) -> list[cst.Call]:
    found = _Calls()
    node.visit(found)
    return found.calls


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[cst.Call] = []

    def visit_FunctionDef(self, node: Any) -> bool:
        return False

    visit_ClassDef = visit_Lambda = visit_FunctionDef

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
