"""One pass of libcst over an application file: its imports, the names each scope binds, its calls and loops."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from archlint.loaders import pysource

#: What a name is bound to when its value is not an expression archlint can follow (a parameter, a loop target).
OPAQUE = None
#: How far `value` follows names bound to names.
_DEPTH = 8


@dataclass(eq=False)
class Scope:
    """A module, class or function body; each name it binds with every value given to it, and where."""

    kind: str
    name: str
    parent: "Scope | None"
    bindings: dict[str, list[tuple[Any, "Scope"]]] = field(default_factory=dict)
    #: For a class: `self.NAME = ...` in any of its methods.
    self_attrs: dict[str, list[tuple[Any, "Scope"]]] = field(default_factory=dict)

    def enclosing_class(self) -> "Scope | None":
        scope: Scope | None = self
        while scope is not None and scope.kind != "class":
            scope = scope.parent
        return scope


@dataclass(frozen=True, slots=True)
class Site:
    """A call or a loop and the scope it runs in."""

    node: Any
    scope: Scope


@dataclass(eq=False)
class CodeFile:
    """A parsed file: import aliases (file-wide), scopes, every call and every `for`/`while` loop."""

    name: str
    tree: cst.Module
    positions: Any = None
    imports: dict[str, str] = field(default_factory=dict)
    root: Scope = field(default_factory=lambda: Scope("module", "<module>", None))
    calls: list[Site] = field(default_factory=list)
    loops: list[Site] = field(default_factory=list)

    def line(self, node: cst.CSTNode) -> int:
        """The node's first line. Positions cost more than parsing and most files have no fact to place: they are
        computed on the first question."""
        if self.positions is None:
            self.positions = MetadataWrapper(self.tree, unsafe_skip_copy=True).resolve(PositionProvider)
        position = self.positions.get(node)
        return position.start.line if position is not None else 1

    def code(self, node: cst.CSTNode) -> str:
        return self.tree.code_for_node(node)

    def qualify(self, expr: Any) -> str | None:
        """The dotted name an expression stands for through the imports: `r.get` -> `requests.get`."""
        if isinstance(expr, cst.Name):
            return self.imports.get(expr.value)
        if isinstance(expr, cst.Attribute):
            base = self.qualify(expr.value)
            return f"{base}.{expr.attr.value}" if base else None
        return None

    def value(self, expr: Any, scope: Scope) -> tuple[Any, Scope]:
        """What an expression evaluates to when it is a name (or `self.x`) bound exactly once, else itself."""
        for _ in range(_DEPTH):
            found = self._bound(expr, scope)
            if found is None:
                return expr, scope
            expr, scope = found
            if expr is OPAQUE:
                return OPAQUE, scope
        return OPAQUE, scope

    def _bound(self, expr: Any, scope: Scope) -> tuple[Any, Scope] | None:
        values = None
        if isinstance(expr, cst.Name):
            current: Scope | None = scope
            while current is not None and values is None:
                if current.kind != "class" or current is scope:
                    values = current.bindings.get(expr.value)
                current = current.parent
        elif (isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self"
              and (owner := scope.enclosing_class()) is not None):
            # `self.x = ...` in a method, or `x = ...` in the class body
            values = [*owner.self_attrs.get(expr.attr.value, ()), *owner.bindings.get(expr.attr.value, ())] or None
        if values is None:
            return None
        return values[0] if len(values) == 1 else (OPAQUE, scope)


def scan(name: str, data: bytes) -> CodeFile:
    """Parse `data` (raises libcst.ParserSyntaxError) and collect its imports, scopes, calls and loops."""
    tree = pysource.parse(name, data)
    code = CodeFile(name, tree)
    _Collector(code).walk(tree)
    return code


#: Fields that hold only whitespace, comments and punctuation: not walked.
_NOT_CODE = ("whitespace", "lpar", "rpar", "comma", "leading_lines", "lines_after_decorators", "header", "footer",
             "semicolon", "equal", "colon", "dot", "operator", "asynchronous", "newline", "trailing_whitespace")
_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = tuple(f.name for f in fields(node) if not f.name.startswith(_NOT_CODE))
    found = []
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(v for v in value if isinstance(v, cst.CSTNode))
    return found


class _Collector:
    """Walks the tree in source order. Not a libcst visitor: its traversal rebuilds every node, which costs more
    than parsing, while reading needs only the fields that hold code."""

    def __init__(self, code: CodeFile) -> None:
        self.code = code
        self.scope = code.root
        self.handlers: dict[type, tuple[Any, Any]] = {}

    def walk(self, node: cst.CSTNode) -> None:
        handlers = self.handlers.get(type(node))
        if handlers is None:
            kind = type(node).__name__
            handlers = self.handlers[type(node)] = (getattr(self, f"visit_{kind}", None),
                                                    getattr(self, f"leave_{kind}", None))
        visit, leave = handlers
        if visit is not None:
            visit(node)
        for child in _children(node):
            self.walk(child)
        if leave is not None:
            leave(node)

    def _enter(self, kind: str, name: str) -> None:
        qualified = name if self.scope.kind == "module" else f"{self.scope.name}.{name}"
        self.scope = Scope(kind, qualified, self.scope)

    def _leave(self, original_node: Any = None) -> None:
        self.scope = self.scope.parent

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name, OPAQUE)
        self._enter("class", node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._bind(node.name, OPAQUE)
        self._enter("function", node.name.value)
        params = node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params,
                      *(p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param))]:
            self._bind(param.name, OPAQUE)

    leave_ClassDef = leave_FunctionDef = _leave

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = self.code.code(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.code.imports[alias.asname.name.value] = dotted
            else:
                self.code.imports[dotted.split(".")[0]] = dotted.split(".")[0]

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) or node.relative or node.module is None:
            return  # the project's own modules are not the libraries archlint knows
        base = self.code.code(node.module)
        for alias in node.names:
            local = alias.asname.name if alias.asname is not None else alias.name
            if isinstance(local, cst.Name):
                self.code.imports[local.value] = f"{base}.{self.code.code(alias.name)}"

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, OPAQUE)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:  # sessions and clients return themselves from __enter__
            self._bind(node.asname.name, node.item)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind(node.name.name, OPAQUE)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, OPAQUE)
        self.code.loops.append(Site(node, self.scope))

    def visit_While(self, node: cst.While) -> None:
        self.code.loops.append(Site(node, self.scope))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, OPAQUE)

    def visit_Call(self, node: cst.Call) -> None:
        self.code.calls.append(Site(node, self.scope))

    def _bind(self, target: Any, value: Any) -> None:
        if isinstance(target, cst.Name):
            self.scope.bindings.setdefault(target.value, []).append((value, self.scope))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, OPAQUE)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, OPAQUE)
        elif (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
              and target.value.value == "self" and (owner := self.scope.enclosing_class()) is not None):
            owner.self_attrs.setdefault(target.attr.value, []).append((value, self.scope))
