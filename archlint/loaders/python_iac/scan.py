"""One pass of libcst over a Python file: the names each scope binds, every call, the loops around it, its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from archlint.loaders import pysource


@dataclass(frozen=True, slots=True)
class Imported:
    """A name bound by an import: the dotted name it stands for (`aws` -> `pulumi_aws`)."""

    qualname: str


#: What a name can be bound to: an expression, an import, a class, a parameter, or OPAQUE (a loop target, a def).
OPAQUE = None


@dataclass(eq=False)
class ClassDef:
    """A class of the program, with its body's scope (a Pulumi component's arguments class, a dataclass)."""

    name: str
    scope: "Scope"


@dataclass(eq=False)
class Parameter:
    """A function's parameter: its annotation and its default, as written (None when absent)."""

    name: str
    annotation: cst.BaseExpression | None
    default: cst.BaseExpression | None


@dataclass(eq=False)
class Scope:
    """A module, class or function body and the names bound in it, each with every value it is given."""

    kind: str
    name: str
    parent: "Scope | None"
    module: "SourceModule"
    bindings: dict[str, list[Any]] = field(default_factory=dict)
    #: For a class: `self.NAME = ...` in any of its methods, and the method's scope for each value.
    self_attrs: dict[str, list[Any]] = field(default_factory=dict)
    self_scopes: dict[str, list["Scope"]] = field(default_factory=dict)

    def bind(self, name: str, value: Any) -> None:
        self.bindings.setdefault(name, []).append(value)

    def enclosing_class(self) -> "Scope | None":
        scope: Scope | None = self
        while scope is not None and scope.kind != "class":
            scope = scope.parent
        return scope


@dataclass(eq=False)
class Site:
    """A call, where it is: its scope, its line, the loops (iterables with their scope) around it, its class."""

    call: cst.Call
    scope: Scope
    line: int
    loops: tuple[tuple[cst.BaseExpression | None, Scope], ...]
    cls: str | None


@dataclass(eq=False)
class SourceModule:
    """A parsed file: its name, its dotted module name, its top scope, its calls and node positions."""

    name: str
    dotted: str
    tree: cst.Module
    positions: Any = None
    root: Scope = field(init=False)
    sites: list[Site] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = Scope("module", self.dotted, None, self)

    def line(self, node: cst.CSTNode) -> int:
        position = self.positions.get(node) if self.positions is not None else None
        return position.start.line if position is not None else 1

    def end_line(self, node: cst.CSTNode) -> int:
        position = self.positions.get(node) if self.positions is not None else None
        return position.end.line if position is not None else self.line(node)

    def code(self, node: cst.CSTNode) -> str:
        return self.tree.code_for_node(node)


def scan(name: str, data: bytes) -> SourceModule:
    """Parse `data` (raises libcst.ParserSyntaxError) and collect its scopes and calls."""
    tree = pysource.parse(name, data)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    module = SourceModule(name, dotted_name(name), tree, wrapper.resolve(PositionProvider))
    tree.visit(_Collector(module))
    return module


def dotted_name(name: str) -> str:
    """`infra/stacks/db.py` -> `infra.stacks.db`; a package's `__init__.py` is the package."""
    parts = name[:-3].split("/") if name.endswith(".py") else name.split("/")
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(p for p in parts if p and p != ".")


class _Collector(cst.CSTVisitor):
    def __init__(self, module: SourceModule) -> None:
        super().__init__()
        self.module = module
        self.scope = module.root
        self.loops: list[tuple[cst.BaseExpression | None, Scope]] = []
        #: The loops outside each function being visited (its body runs once per call, not per loop around it).
        self.outer_loops: list[list[tuple[cst.BaseExpression | None, Scope]]] = []
        self.comprehension_depths: list[int] = []

    # ---- scopes ----------------------------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        body = Scope("class", node.name.value, self.scope, self.module)
        self.scope.bind(node.name.value, ClassDef(node.name.value, body))
        self.scope = body

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope = self.scope.parent

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.bind(node.name.value, OPAQUE)
        self._enter_function(node.name.value, node.params)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._leave_function()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._enter_function("<lambda>", node.params)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._leave_function()

    def _enter_function(self, name: str, params: cst.Parameters) -> None:
        self.scope = Scope("function", name, self.scope, self.module)
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        for param in every:
            annotation = param.annotation.annotation if param.annotation is not None else None
            self.scope.bind(param.name.value, Parameter(param.name.value, annotation, param.default))
        self.outer_loops.append(self.loops)
        self.loops = []

    def _leave_function(self) -> None:
        self.loops = self.outer_loops.pop()
        self.scope = self.scope.parent

    # ---- bindings --------------------------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = self.module.code(alias.name)
            if alias.asname is not None:
                self._bind_target(alias.asname.name, Imported(dotted))
            else:
                self.scope.bind(dotted.split(".")[0], Imported(dotted.split(".")[0]))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        base = self.module.code(node.module) if node.module is not None else ""
        if node.relative:
            package = self.module.dotted.split(".")
            keep = len(package) - len(node.relative) + (1 if self.module.name.endswith("__init__.py") else 0)
            base = ".".join([*package[:max(keep, 0)], *([base] if base else [])])
        for alias in node.names:
            name = self.module.code(alias.name)
            local = alias.asname.name if alias.asname is not None else alias.name
            self._bind_target(local, Imported(f"{base}.{name}" if base else name))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target, OPAQUE)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, OPAQUE)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name, OPAQUE)

    def _bind_target(self, target: cst.BaseExpression, value: Any) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, OPAQUE)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, OPAQUE)
        elif (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
              and target.value.value == "self" and (owner := self.scope.enclosing_class()) is not None):
            owner.self_attrs.setdefault(target.attr.value, []).append(value)
            owner.self_scopes.setdefault(target.attr.value, []).append(self.scope)

    # ---- loops and calls -------------------------------------------------------------------------------------

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, OPAQUE)
        self.loops.append((node.iter, self.scope))

    def leave_For(self, original_node: cst.For) -> None:
        self.loops.pop()

    def visit_While(self, node: cst.While) -> None:
        self.loops.append((None, self.scope))

    def leave_While(self, original_node: cst.While) -> None:
        self.loops.pop()

    def _enter_comprehension(self, node: cst.BaseComp) -> None:
        comp: cst.CompFor | None = node.for_in
        depth = 0
        while comp is not None:
            self._bind_target(comp.target, OPAQUE)
            self.loops.append((comp.iter, self.scope))
            comp, depth = comp.inner_for_in, depth + 1
        self.comprehension_depths.append(depth)

    def _leave_comprehension(self, original_node: cst.BaseComp) -> None:
        for _ in range(self.comprehension_depths.pop()):
            self.loops.pop()

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _enter_comprehension
    leave_ListComp = leave_SetComp = leave_GeneratorExp = leave_DictComp = _leave_comprehension

    def visit_Call(self, node: cst.Call) -> None:
        owner = self.scope.enclosing_class()
        self.module.sites.append(Site(node, self.scope, self.module.line(node), tuple(self.loops),
                                      owner.name if owner is not None else None))
