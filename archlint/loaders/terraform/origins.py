"""Where a value is written: follows an expression through variables, locals, module outputs, `each` and the
functions that pass a value on (`try`, `coalesce`, `lookup`, `merge`, a taken branch) to the line that sets it.

A value computed from several inputs (`var.env == "prod"`) is written where it is computed. The result is a Span
whose `via` lists the places it passed through on the way, starting from the one nearest the expression.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archlint.loaders.cloud import UNKNOWN
from archlint.loaders.terraform.functions import Unsupported, known, string
from archlint.loaders.terraform.syntax import children_of, line, named, text
from archlint.model import Span

if TYPE_CHECKING:
    from archlint.loaders.terraform.evaluate import Evaluator

Path = tuple[Any, ...]
#: Functions whose result is one of their arguments, unchanged (or converted).
_PASS_FIRST = frozenset({"tobool", "tonumber", "tostring", "tolist", "tomap", "toset", "sensitive", "nonsensitive"})
#: How deep an object is followed key by key.
MAX_PATH = 8


def where(evaluator: "Evaluator", node: Any, path: Path = ()) -> Span:
    """The origin of the value of expression `node` (or of its part at `path`, keys and indexes)."""
    if node is None or len(path) > MAX_PATH:
        return _here(evaluator, node)
    children = children_of(node)
    if not children:
        return _here(evaluator, node)
    first = children[0]
    if node.type != "expression":
        return _primary(evaluator, node, path)
    if len(children) == 1:
        return _primary(evaluator, first, path) if first.type != "variable_expr" else \
            _reference(evaluator, first, [], path)
    if first.type == "(" and len(children) > 1:
        return where(evaluator, children[1], path) if len(children) == 3 else _here(evaluator, node)
    if first.type == "variable_expr":
        return _reference(evaluator, first, children[1:], path)
    steps = _steps(evaluator, children[1:])
    return where(evaluator, first, steps + path) if steps is not None and first.type == "collection_value" \
        else _here(evaluator, node)


def _here(evaluator: "Evaluator", node: Any) -> Span:
    return Span(evaluator.file, line(node) if node is not None else 1)


def _steps(evaluator: "Evaluator", postfixes: list[Any]) -> Path | None:
    """The keys and indexes of a chain of `.name` and `[key]`; None for a splat or a key that is not known."""
    steps: list[Any] = []
    for postfix in postfixes:
        if postfix.type == "get_attr":
            steps.append(text(postfix.children[-1]))
        elif postfix.type == "index":
            inner = postfix.children[0]
            if inner.type == "legacy_index":
                steps.append(int(text(inner)[1:]) if text(inner)[1:].isdigit() else text(inner)[1:])
                continue
            expression = next((c for c in inner.children if c.type == "expression"), None)
            key, failed = evaluator.attempt(expression) if expression is not None else (UNKNOWN, True)
            if failed or not known(key) or isinstance(key, (dict, list)):
                return None
            steps.append(key)
        else:
            return None
    return tuple(steps)


def _reference(evaluator: "Evaluator", node: Any, rest: list[Any], path: Path) -> Span:
    name = text(node)
    steps = _steps(evaluator, rest)
    if steps is None:
        return _here(evaluator, node)
    found, _ = evaluator.bound(name)
    env = evaluator.env
    if found:
        origin = evaluator.binding.origins.get(name) if evaluator.binding is not None else None
        return origin(steps + path) if origin is not None else _here(evaluator, node)
    if name in ("var", "local") and steps and isinstance(steps[0], str):
        lookup = env.variable_origin if name == "var" else env.local_origin
        return lookup(steps[0], steps[1:] + path) or _here(evaluator, node)
    if name == "module" and len(steps) >= 2 and all(isinstance(s, str) for s in steps[:2]):
        return env.output_origin(steps[0], steps[1], steps[2:] + path) or _here(evaluator, node)
    return _here(evaluator, node)


def _primary(evaluator: "Evaluator", node: Any, path: Path) -> Span:
    kind = node.type
    if kind == "expression":
        return where(evaluator, node, path)
    if kind == "collection_value" and path:
        return _element(evaluator, node.children[0], path)
    if kind == "template_expr":
        template = node.children[0]
        parts = [c for c in template.children if c.type in ("template_interpolation", "template_directive",
                                                            "template_literal")]
        if len(parts) == 1 and parts[0].type == "template_interpolation" and template.type != "heredoc_template":
            inner = named(parts[0], "expression")
            return where(evaluator, inner[0], path) if inner else _here(evaluator, node)
        return _here(evaluator, node)
    if kind == "conditional":
        condition, yes, no = named(node, "expression")
        value, failed = evaluator.attempt(condition)
        if isinstance(value, str) and value in ("true", "false"):
            value = value == "true"
        if failed or not isinstance(value, bool):
            return _here(evaluator, node)
        taken = where(evaluator, yes if value else no, path)
        return taken
    if kind == "function_call":
        return _call(evaluator, node, path)
    if kind == "for_expr" and path:  # an element a `for` passes on unchanged: where it is in the collection
        found = evaluator.for_source(node.children[0], path[0])
        if found is None:
            return _here(evaluator, node)
        source, key = found
        return hop(where(evaluator, source, (key, *path[1:])), _here(evaluator, node))
    if kind == "operation" and not path:
        return _operation(evaluator, node.children[0])
    return _here(evaluator, node)


def _operation(evaluator: "Evaluator", node: Any) -> Span:
    """The operand a boolean passes on: `!x` is decided by x; `a && b` that is false by its first false operand,
    `a || b` that is true by its first true one. Else (a comparison, arithmetic) where it is computed."""
    children = children_of(node)
    if node.type == "unary_operation":
        return _terms(evaluator, children[1:]) if children and children[0].type == "!" else _here(evaluator, node)
    split = next((i for i, c in enumerate(children) if not c.is_named), None)
    if split is None:
        return _here(evaluator, node)
    operator, left, right = children[split].type, children[:split], children[split + 1:]
    if operator in ("&&", "||"):
        decisive = operator == "||"
        for operand in (left, right):
            value = evaluator.terms(operand)
            if value is UNKNOWN or not isinstance(value, bool):
                return _here(evaluator, node)
            if value is decisive:
                return _terms(evaluator, operand)
        return _here(evaluator, node)
    return _here(evaluator, node)


def decided(evaluator: "Evaluator", node: Any) -> Span:
    """Where what a `for_each` or `count` made of is decided: for `condition ? [...] : []`, the condition (the
    line a user edits to get the block), else the expression's own origin."""
    children = children_of(node) if node is not None else []
    if node is not None and node.type == "expression" and len(children) == 1 and children[0].type == "conditional":
        condition = named(children[0], "expression")[0]
        return where(evaluator, condition)
    return where(evaluator, node)


def _terms(evaluator: "Evaluator", terms: list[Any]) -> Span:
    """The origin of an operand (a term and its postfixes, as an operation holds it)."""
    if not terms:
        return Span(evaluator.file, 1)
    first = terms[0]
    if first.type == "(":
        return where(evaluator, terms[1]) if len(terms) == 3 else _here(evaluator, first)
    if first.type == "variable_expr":
        return _reference(evaluator, first, terms[1:], ())
    if len(terms) == 1:
        return _primary(evaluator, first, ())
    return _here(evaluator, first)


def _element(evaluator: "Evaluator", collection: Any, path: Path) -> Span:
    """The origin of an element of an object or tuple literal."""
    key, rest = path[0], path[1:]
    if collection.type == "tuple":
        elements = named(collection, "expression")
        return where(evaluator, elements[key], rest) if isinstance(key, int) and 0 <= key < len(elements) else \
            _here(evaluator, collection)
    for element in named(collection, "object_elem"):
        name = evaluator.object_key(element.child_by_field_name("key"))
        if name is not UNKNOWN and name == _key(key):
            return where(evaluator, element.child_by_field_name("val"), rest)
    return _here(evaluator, collection)


def _key(key: Any) -> Any:
    try:
        return string(key)
    except Unsupported:
        return UNKNOWN


def _call(evaluator: "Evaluator", node: Any, path: Path) -> Span:
    name = text(node.children[0])
    arguments = next((c for c in node.children if c.type == "function_arguments"), None)
    nodes = named(arguments, "expression") if arguments is not None else []
    if not nodes or (arguments is not None and any(c.type == "ellipsis" for c in arguments.children)):
        return _here(evaluator, node)
    if name in _PASS_FIRST and len(nodes) == 1:
        return where(evaluator, nodes[0], path)
    if name == "try":
        index, _ = evaluator.chosen(nodes)
        return where(evaluator, nodes[index], path) if index is not None else _here(evaluator, node)
    if name == "coalesce":
        for argument in nodes:
            value, failed = evaluator.attempt(argument)
            if failed or value is UNKNOWN:
                return _here(evaluator, node)
            if value is not None and value != "":
                return where(evaluator, argument, path)
        return _here(evaluator, node)
    if name == "lookup" and len(nodes) in (2, 3):
        mapping, key = (evaluator.attempt(n)[0] for n in nodes[:2])
        if isinstance(mapping, dict) and known(key) and not isinstance(key, (dict, list)):
            if _key(key) in mapping:
                return where(evaluator, nodes[0], (_key(key), *path))
            if len(nodes) == 3:
                return where(evaluator, nodes[2], path)
        return _here(evaluator, node)
    if name == "merge" and not path:  # merge(var.tags, { module = "x" }): the map passed in is what a user edits
        passed = [n for n in nodes if not _object_literal(n)]
        return where(evaluator, passed[0]) if len(passed) == 1 else _here(evaluator, node)
    if name == "merge" and path:
        for argument in reversed(nodes):  # the last map that has the key wins
            value = evaluator.attempt(argument)[0]
            if value is UNKNOWN:
                return _here(evaluator, node)
            if isinstance(value, dict) and _key(path[0]) in value:
                return where(evaluator, argument, path)
        return _here(evaluator, node)
    return _here(evaluator, node)


def _object_literal(node: Any) -> bool:
    children = children_of(node)
    return len(children) == 1 and children[0].type == "collection_value" and \
        children_of(children[0])[0].type == "object"


def hop(origin: Span, place: Span) -> Span:
    """`origin`, reached through `place` (nearer the expression than every place already in its chain)."""
    if (origin.file, origin.line) == (place.file, place.line):
        return origin
    return Span(origin.file, origin.line, (place, *origin.via), origin.note)
