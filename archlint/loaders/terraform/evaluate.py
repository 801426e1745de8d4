"""Evaluates HCL expressions statically: literals, templates, references, operators, conditionals, for, functions.

Past 400 lines on purpose: one Evaluator walks every expression node type of the HCL grammar, each case sharing
the scope, the budget and the origins being traced; the functions and values live in functions.py and values.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from archlint.loaders import budget
from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.terraform import functions
from archlint.loaders.terraform.functions import Unsupported, known, number, string
from archlint.loaders.terraform.syntax import attribute_value, children_of, line, named, text
from archlint.loaders.terraform.values import OPERATORS, binary, dedent, literal, unescape
from archlint.model import Span

Refs = list[tuple[str, Span]]
#: The resources a variable, local or module output refers to, each once in the order first referred to (where the
#: value is used is the place of each reference).
Targets = tuple[str, ...]
#: Roots whose values only exist while Terraform runs (or that archlint does not model). `each` and `count` are
#: known where the loader binds them (a `for_each` over a known map, `count = 1`), in a scope frame.
_RUNTIME = frozenset({"data", "each", "count", "path", "terraform", "self"})
#: What evaluating an expression Terraform itself would reject at plan time raises (`5 % 0`, `"\U00110000"`,
#: arguments a function refuses): the value is unknown, as the plan would fail.
_INVALID = (Unsupported, ArithmeticError, ValueError, TypeError, KeyError, IndexError)


@dataclass(frozen=True)
class Binding:
    """Names an expression sees beyond the module's (`each` of one `for_each` instance, `count` when it is 1, a
    dynamic block's iterator): their values, and for each name where its values are written (see origins)."""

    frame: dict[str, Any]
    origins: dict[str, Callable[[tuple[Any, ...]], Span]] = field(default_factory=dict)

    def plus(self, other: "Binding | None") -> "Binding":
        if other is None:
            return self
        return Binding({**self.frame, **other.frame}, {**self.origins, **other.origins})


class Environment(Protocol):
    """What an expression can refer to: one module instance's variables, locals, module outputs and resources."""

    def variable(self, name: str) -> tuple[Any, Targets]: ...

    def local(self, name: str) -> tuple[Any, Targets]: ...

    def module_output(self, call: str, name: str) -> tuple[Any, Targets]: ...

    def resource(self, kind: str, name: str) -> str | None: ...


class Evaluator:
    """Evaluates the expressions of one file of one module instance, collecting the resources they refer to.

    Every sub-expression is visited, even in the branch a conditional does not take, so `refs` holds every
    reference Terraform would see. A value that cannot be resolved is UNKNOWN, never a guess.
    """

    __slots__ = ("env", "file", "refs", "binding", "_scope", "failed", "budget")

    def __init__(self, env: Environment, file: str, binding: Binding | None = None) -> None:
        self.env = env
        self.file = file
        self.refs: Refs = []
        self.binding = binding
        self._scope: list[dict[str, Any]] = [binding.frame] if binding else []
        #: Set when an expression fails on known values (a missing attribute, an index out of range, a function
        #: rejecting its arguments), as Terraform would: `try` moves on to its next argument, `can` is false.
        self.failed = False
        self.budget = budget.current()

    def attribute(self, node: Any, expression: Any = None) -> Any:
        """The value of an attribute node (UNKNOWN when it is syntactically broken); `expression` is its value's
        node when the caller has it already."""
        expression = expression if expression is not None else attribute_value(node)
        if expression is None:
            self.scan(node)
            return UNKNOWN
        self.budget.enter()
        try:
            return self.expression(expression)
        except RecursionError:  # nested deeper than Python's stack: no real configuration is
            return UNKNOWN
        except budget.OverBudget as error:
            self.budget.exceeded(error, self.file, line(node))
            return UNKNOWN
        except _INVALID:
            return UNKNOWN
        finally:
            self.budget.leave()

    def expression(self, node: Any) -> Any:
        self.budget.step()
        children = node.children
        if len(children) == 1 and children[0].type != "variable_expr":  # the common case: no postfix to apply
            return self._primary(children[0])
        return self._terms(children_of(node))

    def within(self, binding: Binding) -> "Evaluator":
        """An evaluator of the same file that also sees `binding` (a dynamic block's iterator); same references."""
        inner = Evaluator(self.env, self.file, binding.plus(None) if self.binding is None else self.binding.plus(binding))
        inner.refs = self.refs
        inner._scope = [*self._scope, binding.frame]
        return inner

    def scan(self, node: Any, scope: dict[str, Any] | None = None) -> None:
        """Record the references under a node without evaluating it (template directives, unknown dynamic blocks)."""
        self._scope.append(scope or {})
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "variable_expr" and current.parent is not None:
                siblings = children_of(current.parent)
                index = next(i for i, c in enumerate(siblings) if c.id == current.id)
                self._reference(current, siblings[index + 1:])
            stack.extend(current.children)
        self._scope.pop()

    # ---- terms: a primary followed by attribute accesses, indexes and splats --------------------------------

    def terms(self, children: list[Any]) -> Any:
        """The value of an operand (a term and its postfixes) on its own; UNKNOWN where it fails."""
        outer, self.failed = self.failed, False
        try:
            value = self._terms(children)
            return UNKNOWN if self.failed else value
        finally:
            self.failed = outer

    def _terms(self, children: list[Any]) -> Any:
        if not children:
            return UNKNOWN
        first = children[0]
        if first.type == "(":
            value, rest = self.expression(children[1]) if len(children) > 1 else UNKNOWN, children[3:]
        elif first.type == "variable_expr":
            value, rest = self._reference(first, children[1:])
        else:
            value, rest = self._primary(first), children[1:]
        for postfix in rest:
            value = self._postfix(value, postfix)
        return value

    def bound(self, name: str) -> tuple[bool, Any]:
        """Whether a name is bound by a scope frame (a `for` variable, `each`, `count`, a dynamic block's iterator)."""
        for frame in reversed(self._scope):
            if name in frame:
                return True, frame[name]
        return False, None

    def _reference(self, node: Any, rest: list[Any]) -> tuple[Any, list[Any]]:
        name = text(node)
        found, value = self.bound(name)
        if found:
            return value, rest
        attrs = []
        for postfix in rest[:2]:
            if postfix.type != "get_attr":
                break
            attrs.append(text(postfix.children[-1]))
        if name in ("var", "local") and attrs:
            value, targets = self.env.variable(attrs[0]) if name == "var" else self.env.local(attrs[0])
        elif name == "module" and len(attrs) == 2:
            value, targets = self.env.module_output(attrs[0], attrs[1])
        else:
            address = self.env.resource(name, attrs[0]) if attrs and name not in _RUNTIME else None
            if address:
                self.refs.append((address, Span(self.file, line(node))))
            return UNKNOWN, rest
        if targets:  # resources reached through a variable, local or module output are referred to here
            here = Span(self.file, line(node))
            self.refs.extend((target, here) for target in targets)
        return value, rest[len(attrs) if name == "module" else 1:]

    def _postfix(self, value: Any, node: Any) -> Any:
        if node.type == "get_attr":
            name = text(node.children[-1])
            if isinstance(value, dict):
                if name not in value:
                    self.failed = True
                return value.get(name, UNKNOWN)
            if value is not UNKNOWN:
                self.failed = True  # an attribute of null, a string, a list: an error in Terraform
            return UNKNOWN
        if node.type == "index":
            inner = node.children[0]
            if inner.type == "legacy_index":
                key: Any = text(inner)[1:]
            else:
                key = self._terms(children_of(next((c for c in inner.children if c.type == "expression"), inner)))
            if isinstance(value, list):
                try:
                    position = int(number(key))
                except Unsupported:
                    return UNKNOWN
                if 0 <= position < len(value):
                    return value[position]
                self.failed = True
                return UNKNOWN
            if isinstance(value, dict) and key is not UNKNOWN:
                try:
                    if string(key) not in value:
                        self.failed = True
                    return value.get(string(key), UNKNOWN)
                except Unsupported:
                    return UNKNOWN
            if value is None:
                self.failed = True
            return UNKNOWN
        if node.type == "splat":
            steps = [c for c in node.children[0].children if c.type in ("get_attr", "index")]
            if not isinstance(value, list):
                value = UNKNOWN if value is UNKNOWN else [] if value is None else [value]
            results = []
            for item in value if isinstance(value, list) else [UNKNOWN]:
                for step in steps:
                    item = self._postfix(item, step)
                results.append(item)
            return results if isinstance(value, list) else UNKNOWN
        return UNKNOWN

    # ---- primaries --------------------------------------------------------------------------------------------

    def _primary(self, node: Any) -> Any:
        kind = node.type
        if kind == "literal_value":
            return literal(node.children[0])
        if kind == "template_expr":
            return self._template(node.children[0])
        if kind == "collection_value":
            return self._collection(node.children[0])
        if kind == "function_call":
            return self._call(node)
        if kind == "conditional":
            condition, yes, no = (self.expression(c) for c in named(node, "expression"))
            if isinstance(condition, str) and condition in ("true", "false"):
                condition = condition == "true"
            return (yes if condition else no) if isinstance(condition, bool) else UNKNOWN
        if kind == "operation":
            return self._operation(node.children[0])
        if kind == "for_expr":
            return self._for(node.children[0])
        if kind == "expression":
            return self.expression(node)
        self.scan(node)
        return UNKNOWN

    def _collection(self, node: Any) -> Any:
        if node.type == "tuple":
            return self.budget.items([self.expression(c) for c in named(node, "expression")])
        result: dict[str, Any] = {}
        complete = True
        for element in named(node, "object_elem"):
            key_node, value_node = element.child_by_field_name("key"), element.child_by_field_name("val")
            key = self.object_key(key_node)
            value = self.expression(value_node) if value_node is not None else UNKNOWN
            if key is UNKNOWN:
                complete = False
            else:
                result[key] = value
        return self.budget.items(result) if complete else UNKNOWN

    def object_key(self, node: Any) -> Any:
        """An object key: a bare identifier is the name itself, anything else an expression."""
        if node is None:
            return UNKNOWN
        children = children_of(node)
        if len(children) == 1 and children[0].type == "variable_expr":
            return text(children[0])
        key = self.expression(node)
        try:
            return string(key) if known(key) else UNKNOWN
        except Unsupported:
            return UNKNOWN

    def _call(self, node: Any) -> Any:
        name = text(node.children[0])
        arguments = next((c for c in node.children if c.type == "function_arguments"), None)
        nodes = named(arguments, "expression") if arguments is not None else []
        if name in ("try", "can"):
            return self._try(nodes) if name == "try" else self._can(nodes)
        args = [self.expression(c) for c in nodes]
        if arguments is not None and any(c.type == "ellipsis" for c in arguments.children):
            if not args or not isinstance(args[-1], list):
                return UNKNOWN
            args = args[:-1] + args[-1]
        result = functions.call(name, args)
        if result is UNKNOWN and name in functions.FUNCTIONS and all(known(a) for a in args):
            self.failed = True  # a pure function rejecting known arguments: Terraform reports an error
        return result

    def attempt(self, node: Any) -> tuple[Any, bool]:
        """Evaluate `node` on its own: its value and whether it failed (the flag of the outer expression is kept)."""
        outer, self.failed = self.failed, False
        try:
            return self.expression(node), self.failed
        finally:
            self.failed = outer

    def chosen(self, nodes: list[Any]) -> tuple[int | None, list[tuple[Any, bool]]]:
        """Which argument `try` returns (the first that does not fail; None when an unknown one comes first, or
        all fail), and every argument's (value, failed): each is evaluated, for its references."""
        results = [self.attempt(argument) for argument in nodes]
        for index, (value, failed) in enumerate(results):
            if not failed:
                return (index if value is not UNKNOWN else None), results
        return None, results

    def _try(self, nodes: list[Any]) -> Any:
        index, results = self.chosen(nodes)
        if index is None:
            if results and all(failed for _, failed in results):
                self.failed = True
            return UNKNOWN
        return results[index][0]

    def _can(self, nodes: list[Any]) -> Any:
        if len(nodes) != 1:
            return UNKNOWN
        value, failed = self.attempt(nodes[0])
        return False if failed else True if value is not UNKNOWN else UNKNOWN

    def _operation(self, node: Any) -> Any:
        children = children_of(node)
        if node.type == "unary_operation":
            operand = self._terms(children[1:])
            if children[0].type == "!":
                return (not operand) if isinstance(operand, bool) else UNKNOWN
            try:
                return -number(operand) if operand is not UNKNOWN else UNKNOWN
            except Unsupported:
                return UNKNOWN
        split = next((i for i, c in enumerate(children) if not c.is_named and c.type in OPERATORS), None)
        if split is None:
            self.scan(node)
            return UNKNOWN
        operator = children[split].type
        left, right = self._terms(children[:split]), self._terms(children[split + 1:])
        return binary(operator, left, right)

    def _for(self, node: Any) -> Any:
        intro = next(c for c in node.children if c.type == "for_intro")
        names = [text(c) for c in intro.children if c.type == "identifier"]
        collection = self.expression(next(c for c in intro.children if c.type == "expression"))
        bodies = named(node, "expression")
        condition = next((named(c, "expression")[0] for c in node.children if c.type == "for_cond"), None)
        grouped = any(c.type == "ellipsis" for c in node.children)
        if isinstance(collection, dict):
            pairs: list[tuple[Any, Any]] = sorted(collection.items())
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:  # still visit the body once, for its references
            pairs = [(UNKNOWN, UNKNOWN)]
        items: list[tuple[Any, Any]] = []
        complete = isinstance(collection, (dict, list)) and not grouped
        for key, value in pairs:
            self._scope.append(dict(zip(names, (key, value) if len(names) == 2 else (value,))))
            keep = self.expression(condition) if condition is not None else True
            produced = [self.expression(b) for b in bodies]
            self._scope.pop()
            if not isinstance(keep, bool):
                complete = False
            elif keep:
                items.append((produced[0], produced[-1]))
        if not complete:
            return UNKNOWN
        if node.type == "for_tuple_expr":
            return self.budget.items([value for _, value in items])
        try:
            keys = [string(key) for key, _ in items]
        except Unsupported:
            return UNKNOWN
        return self.budget.items(dict(zip(keys, (v for _, v in items)))) if len(set(keys)) == len(keys) else UNKNOWN

    def for_source(self, node: Any, wanted: Any) -> tuple[Any, Any] | None:
        """For a `for` expression whose value is its iteration variable unchanged (`{for x in list : x.name => x}`,
        `[for x in list : x]`): the collection's expression and the key or index, in it, of the element that
        became `wanted` (a key of the object made, or an index of the tuple made); None otherwise."""
        intro = next(c for c in node.children if c.type == "for_intro")
        names = [text(c) for c in intro.children if c.type == "identifier"]
        source = next(c for c in intro.children if c.type == "expression")
        bodies = named(node, "expression")
        if not names or not bodies or text(bodies[-1]).strip() != names[-1] or \
                any(c.type == "ellipsis" for c in node.children):
            return None
        collection, failed = self.attempt(source)
        if failed or not isinstance(collection, (dict, list)):
            return None
        condition = next((named(c, "expression")[0] for c in node.children if c.type == "for_cond"), None)
        pairs = sorted(collection.items()) if isinstance(collection, dict) else list(enumerate(collection))
        made = 0
        for key, value in pairs:
            self._scope.append(dict(zip(names, (key, value) if len(names) == 2 else (value,))))
            try:
                if condition is not None and self.expression(condition) is not True:
                    continue
                if node.type == "for_tuple_expr":
                    if made == wanted:
                        return source, key
                    made += 1
                    continue
                produced = self.expression(bodies[0])
                try:
                    if string(produced) == wanted:
                        return source, key
                except Unsupported:
                    return None
            finally:
                self._scope.pop()
        return None

    def _template(self, node: Any) -> Any:
        raw, start = node.text, node.start_byte
        children = node.children
        heredoc = node.type == "heredoc_template"
        if heredoc:
            opening, closing = children[1], children[-1]
            begin = raw.find(b"\n", opening.end_byte - start) + 1
            end = closing.start_byte - closing.start_point[1] - start
        else:
            begin, end = children[0].end_byte - start, children[-1].start_byte - start
        parts: list[Any] = []
        cursor = begin
        for child in children:
            if child.type in ("template_interpolation", "template_directive"):
                parts.append(unescape(raw[cursor:child.start_byte - start].decode("utf-8", "replace"), heredoc))
                cursor = child.end_byte - start
                if child.type == "template_directive":
                    self.scan(child)
                    parts.append(UNKNOWN)
                else:
                    expressions = named(child, "expression")
                    parts.append(self.expression(expressions[0]) if expressions else UNKNOWN)
        parts.append(unescape(raw[cursor:max(end, cursor)].decode("utf-8", "replace"), heredoc))
        if len(parts) == 3 and parts[0] == parts[2] == "" and not heredoc:
            return parts[1]  # "${x}" is x itself, whatever its type
        try:
            texts = [p if isinstance(p, str) else string(p) for p in parts if p != ""]
        except Unsupported:
            return UNKNOWN
        self.budget.text(sum(map(len, texts)))
        value = "".join(texts)
        if heredoc and children[0].text == b"<<-":
            value = dedent(value)
        return value
