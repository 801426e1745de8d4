"""Resolves names statically: scopes, imports and aliases, the project's own modules, which resource a name is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import libcst as cst

from archlint.loaders.python_iac.scan import Imported, Scope, SourceModule

DEPTH = 24


class Names:
    """The modules of one scan; resolves names and resource references across them."""

    def __init__(self, modules: list[SourceModule]) -> None:
        self.modules = modules
        self._suffixes: dict[str, SourceModule | None] = {}
        #: id(cst.Call) -> address, for every call that declares a resource.
        self.resources: dict[int, str] = {}

    # ---- names -----------------------------------------------------------------------------------------------

    def bindings(self, name: str, scope: Scope) -> tuple[list[Any], Scope] | None:
        """Every value `name` is given in the scope that defines it, as Python looks it up (class bodies skipped)."""
        current: Scope | None = scope
        while current is not None:
            if (current.kind != "class" or current is scope) and name in current.bindings:
                return current.bindings[name], current
            current = current.parent
        return None

    def qualname(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The dotted name an expression stands for through imports and aliases (`rds.Instance` -> ...)."""
        if depth > DEPTH:
            return None
        if isinstance(node, cst.Name):
            found = self.bindings(node.value, scope)
            if found is None:
                return node.value  # a builtin, or a name defined where archlint does not look
            values, where = found
            if len(values) != 1:
                return None
            value = values[0]
            if isinstance(value, Imported):
                return value.qualname
            if isinstance(value, (cst.Name, cst.Attribute)):
                return self.qualname(value, where, depth + 1)
            return None
        if isinstance(node, cst.Attribute):
            base = self.qualname(node.value, scope, depth + 1)
            return f"{base}.{node.attr.value}" if base else None
        return None

    def symbol(self, qualname: str) -> tuple[list[Any], Scope] | None:
        """What a dotted name of the project itself (`components.database.DB_CLASS`) is bound to."""
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self._module(".".join(parts[:cut]))
            if module is not None:
                name = parts[cut]
                if cut == len(parts) - 1 and name in module.root.bindings:
                    return module.root.bindings[name], module.root
                return None
        return None

    def _module(self, dotted: str) -> SourceModule | None:
        """The project module an import names: by its full dotted name, or as the end of one (the scan root
        may sit above the program's root, `infra.stacks.db` for `stacks.db`)."""
        if dotted not in self._suffixes:
            found = [m for m in self.modules if m.dotted == dotted or m.dotted.endswith("." + dotted)]
            self._suffixes[dotted] = min(found, key=lambda m: len(m.dotted)) if found else None
        return self._suffixes[dotted]

    def single(self, node: cst.BaseExpression, scope: Scope) -> tuple[Any, Scope] | None:
        """The one value a name (or `self.x`, or an imported project name) is bound to, if it has exactly one."""
        found = self.lookup(node, scope)
        if found is None or len(found[0]) != 1:
            return None
        value, where = found[0][0], found[1]
        if isinstance(value, Imported):
            resolved = self.symbol(value.qualname)
            if resolved is None or len(resolved[0]) != 1:
                return None
            return resolved[0][0], resolved[1]
        return value, where

    def lookup(self, node: cst.BaseExpression, scope: Scope) -> tuple[list[Any], Scope] | None:
        if isinstance(node, cst.Name):
            return self.bindings(node.value, scope)
        if isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name) and node.value.value == "self":
                owner = scope.enclosing_class()
                if owner is not None and node.attr.value in owner.self_attrs:
                    return owner.self_attrs[node.attr.value], scope
                return None
            qualname = self.qualname(node, scope)
            return self.symbol(qualname) if qualname else None
        return None

    # ---- resources -------------------------------------------------------------------------------------------

    def resource_of(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The address of the resource an expression is (a variable holding it), or whose method it calls."""
        if depth > DEPTH:
            return None
        if isinstance(node, cst.Call):
            if id(node) in self.resources:
                return self.resources[id(node)]
            return self.resource_of(node.func.value, scope, depth + 1) if isinstance(node.func, cst.Attribute) else None
        found = self.lookup(node, scope)
        if found is None:
            return None
        for value in found[0]:
            if isinstance(value, Imported):
                resolved = self.symbol(value.qualname)
                value, where = (resolved[0][0], resolved[1]) if resolved and len(resolved[0]) == 1 else (None, None)
            else:
                where = found[1]
            if isinstance(value, cst.BaseExpression):
                address = self.resource_of(value, where, depth + 1)
                if address:
                    return address
        return None

    def references(self, node: cst.CSTNode, scope: Scope) -> Iterator[tuple[str, int]]:
        """Every resource an expression mentions (`db.endpoint`, `Output.all(a.arn, b.arn)`), with the line."""
        for chain in _chains(node):
            for prefix in chain:
                address = self.resource_of(prefix, scope)
                if address:
                    yield address, scope.module.line(prefix)
                    break


def _chains(node: cst.CSTNode) -> Iterator[list[cst.BaseExpression]]:
    """Each name or attribute chain inside an expression, as its prefixes longest first (`db.endpoint`, `db`),
    and each call in it (a resource constructed inline, or a method of one)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Name, cst.Attribute)):
            chain: list[cst.BaseExpression] = []
            while isinstance(current, cst.Attribute):
                chain.append(current)
                current = current.value
            if isinstance(current, cst.Name):
                chain.append(current)
            yield chain
            if not isinstance(current, cst.Name):
                stack.append(current)
            continue
        if isinstance(current, cst.Call):
            yield [current]
            stack.extend(a.value for a in current.args)
            if isinstance(current.func, cst.Attribute):
                stack.append(current.func.value)
            continue
        stack.extend(current.children)
