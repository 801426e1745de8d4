"""Static values of Python expressions; what only running the program could tell (a parameter, config) is UNKNOWN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

from archlint.loaders import budget
from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.python_iac import arguments
from archlint.loaders.python_iac.names import DEPTH, Names
from archlint.loaders.python_iac.scan import Scope, Site, SourceModule

#: Constructor names whose keyword arguments are a nested block (Pulumi `*Args`, CDK `*Props`/`*Property`).
_BLOCK_SUFFIXES = ("Args", "ArgsDict", "Props", "Property")
#: What working out a value the program itself would fail on raises (a modelled constructor called with the wrong
#: arguments, `Duration.days(1e309)`, an integer literal of 5,000 digits): the value is unknown.
_INVALID = (ArithmeticError, ValueError, TypeError, KeyError, IndexError, AttributeError, SyntaxError)


class Program(Names):
    """The modules of one scan; resolves names, values and resource references across them."""

    def __init__(self, modules: list[SourceModule], calls: dict[str, Callable], enums: dict[str, Callable]) -> None:
        super().__init__(modules)
        #: Library calls and constants archlint evaluates: `ec2.InstanceType.of(...)`, `InstanceClass.R6G`.
        self.calls, self.enums = calls, enums
        self._bound: dict[tuple[int, int], Any] = {}

    # ---- values ----------------------------------------------------------------------------------------------

    def value(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Any:
        """The Python value of an expression, UNKNOWN when it cannot be known without running the program, or
        when working it out would pass the evaluation budget (reported where it is passed)."""
        if depth > DEPTH:
            return UNKNOWN
        spent = budget.current()
        if depth == 0:
            spent.enter()
        try:
            spent.step()
            return self._value(node, scope, depth)
        except budget.OverBudget as error:
            spent.exceeded(error, scope.module.name, scope.module.line(node))
            return UNKNOWN
        except _INVALID:
            return UNKNOWN
        finally:
            if depth == 0:
                spent.leave()

    def _value(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
            value = node.evaluated_value
            return value if isinstance(value, (str, int, float)) else UNKNOWN
        if isinstance(node, cst.ConcatenatedString):
            left, right = self.value(node.left, scope, depth + 1), self.value(node.right, scope, depth + 1)
            return _binary(cst.Add(), left, right) if isinstance(left, str) and isinstance(right, str) else UNKNOWN
        if isinstance(node, cst.FormattedString):
            text = self._formatted(node, scope, depth, keep=False)
            return UNKNOWN if text is None else text
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.value]
        if isinstance(node, (cst.Name, cst.Attribute)):
            return self._named(node, scope, depth)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                return UNKNOWN
            return budget.current().items([self.value(e.value, scope, depth + 1) for e in node.elements])
        if isinstance(node, cst.Dict):
            return self._dict(node, scope, depth)
        if isinstance(node, cst.Call):
            return self._call(node, scope, depth)
        if isinstance(node, cst.UnaryOperation):
            operand = self.value(node.expression, scope, depth + 1)
            if isinstance(node.operator, cst.Minus) and _number(operand):
                return -operand
            if isinstance(node.operator, cst.Not) and isinstance(operand, bool):
                return not operand
            return UNKNOWN
        if isinstance(node, cst.BinaryOperation):
            left, right = self.value(node.left, scope, depth + 1), self.value(node.right, scope, depth + 1)
            return _binary(node.operator, left, right)
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            container = self.value(node.value, scope, depth + 1)
            key = self.value(node.slice[0].slice.value, scope, depth + 1)
            try:
                return container[key] if isinstance(container, (list, dict)) and key is not UNKNOWN else UNKNOWN
            except (IndexError, KeyError, TypeError):
                return UNKNOWN
        return UNKNOWN

    def template(self, node: cst.BaseExpression, scope: Scope) -> str | None:
        """A string, with `{expression}` as written for each part that cannot be known (for names and ids)."""
        if isinstance(node, cst.FormattedString):
            return self._formatted(node, scope, 0, keep=True)
        value = self.value(node, scope)
        if isinstance(value, str):
            return value
        return "{" + scope.module.code(node) + "}" if value is UNKNOWN else None

    def _formatted(self, node: cst.FormattedString, scope: Scope, depth: int, keep: bool) -> str | None:
        out = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
                continue
            value = UNKNOWN if part.conversion or part.format_spec else self.value(part.expression, scope, depth + 1)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                out.append(str(value))
            elif keep:
                out.append("{" + scope.module.code(part.expression) + "}")
            else:
                return None
        budget.current().text(sum(map(len, out)))
        return "".join(out)

    def _named(self, node: cst.Name | cst.Attribute, scope: Scope, depth: int) -> Any:
        bound = self.single(node, scope)
        if bound is not None:
            value, where = bound
            if not isinstance(value, cst.BaseExpression):
                return UNKNOWN
            # A name's value is worked out once: `a1 = [a0, a0, a0, a0]` 29 times over would otherwise be 4**29
            # evaluations. Only known values are kept (an unknown one may be the depth limit, not the name).
            key = (id(value), id(where))
            known = self._bound.get(key, UNKNOWN)
            if known is UNKNOWN:
                known = self.value(value, where, depth + 1)
                if known is not UNKNOWN:
                    self._bound[key] = known
            return known
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            found = arguments.default(self, node, scope, depth)
            if found is not UNKNOWN:
                return found
        if isinstance(node, cst.Attribute):
            qualname = self.qualname(node, scope)
            if qualname:
                owner, _, member = qualname.rpartition(".")
                convert = self.enums.get(owner)
                if convert is not None:
                    return convert(member)
        return UNKNOWN

    def _dict(self, node: cst.Dict, scope: Scope, depth: int) -> Any:
        out: dict[str, Any] = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                spread = self.value(element.value, scope, depth + 1)
                if not isinstance(spread, dict):
                    return UNKNOWN
                out.update(spread)
                continue
            key = self.value(element.key, scope, depth + 1)
            if not isinstance(key, str):
                return UNKNOWN
            out[key] = self.value(element.value, scope, depth + 1)
        return budget.current().items(out)

    def _call(self, node: cst.Call, scope: Scope, depth: int) -> Any:
        if id(node) in self.resources:
            return UNKNOWN
        qualname = self.qualname(node.func, scope) or ""
        if qualname.rsplit(".", 1)[-1].endswith(_BLOCK_SUFFIXES) or qualname == "dict":
            if any(a.keyword is None for a in node.args):
                return UNKNOWN
            return budget.current().items({a.keyword.value: self.value(a.value, scope, depth + 1) for a in node.args})
        convert = self.calls.get(qualname)
        if convert is None:
            return UNKNOWN
        args = [self.value(a.value, scope, depth + 1) for a in node.args if a.keyword is None]
        kwargs = {a.keyword.value: self.value(a.value, scope, depth + 1) for a in node.args if a.keyword is not None}
        return convert(*args, **kwargs)

    def count(self, site: Site) -> Any:
        """How many times the loops around a call run: None outside loops, UNKNOWN when it cannot be known."""
        total: Any = None
        for iterable, scope in site.loops:
            try:
                times = self._iterations(iterable, scope) if iterable is not None else UNKNOWN
            except _INVALID:  # `range(0, 10, 0)`: the program would fail there
                times = UNKNOWN
            if times is UNKNOWN or total is UNKNOWN:
                total = UNKNOWN
            else:
                total = times if total is None else total * times
        if isinstance(total, int) and total > budget.MAX_INSTANCES:  # `range(10**30)` is a program that never ends
            error = budget.OverBudget(f"the loops around this call run {total:,} times", f"{budget.MAX_INSTANCES:,} "
                                      "iterations")
            budget.current().exceeded(error, site.scope.module.name, site.line, "the number of resources is unknown")
            return UNKNOWN
        return total

    def _iterations(self, node: cst.BaseExpression, scope: Scope) -> Any:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("range", "enumerate"):
            values = [self.value(a.value, scope) for a in node.args]
            if node.func.value == "enumerate":
                return self._iterations(node.args[0].value, scope) if node.args else UNKNOWN
            if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values) and len(values) <= 3:
                span = range(*values)  # its length may not fit a C integer (len() would raise): worked out here
                return max(0, (span.stop - span.start + span.step - (1 if span.step > 0 else -1)) // span.step)
            return UNKNOWN
        value = self.value(node, scope)
        return len(value) if isinstance(value, (list, dict, str)) else UNKNOWN


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _binary(operator: cst.BaseBinaryOp, left: Any, right: Any) -> Any:
    if isinstance(operator, cst.Add) and type(left) is type(right) and isinstance(left, (str, list)):
        if isinstance(left, str):
            budget.current().text(len(left) + len(right))
            return left + right
        budget.current().length(len(left) + len(right))
        return budget.current().items(left + right)
    if not (_number(left) and _number(right)):
        return UNKNOWN
    if isinstance(operator, cst.Add):
        return budget.current().number(left + right)
    if isinstance(operator, cst.Subtract):
        return budget.current().number(left - right)
    if isinstance(operator, cst.Multiply):
        return budget.current().number(left * right)
    if isinstance(operator, cst.FloorDivide) and right:
        return left // right
    return UNKNOWN
