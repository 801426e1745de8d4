"""Parses HCL with tree-sitter-hcl (imported on first use) into top-level blocks, attributes and the first error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_PARSER: Any = None


class Unreadable(Exception):
    """A file that is not HCL text at all (binary, not UTF-8): nothing of it can be loaded."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Block:
    """A block (`resource "aws_db_instance" "main" { ... }`): its type, labels, syntax node and file; its body and
    the body's attributes by name, found once (tree-sitter makes a new object for each child it is asked for)."""

    kind: str
    labels: tuple[str, ...]
    node: Any
    file: str
    body: Any = None
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def line(self) -> int:
        return self.node.start_point[0] + 1

    @property
    def end_line(self) -> int:
        return self.node.end_point[0] + 1


@dataclass
class HclFile:
    """One parsed file: its top-level blocks and attributes, and the first syntax error (line, column, message)."""

    name: str
    blocks: list[Block] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    error: tuple[int, int, str] | None = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_hcl

        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    return _PARSER


def parse(name: str, data: bytes) -> HclFile:
    """Parse one file; tree-sitter recovers from syntax errors, so what lies outside a broken region is kept."""
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file, not HCL text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable(f"not UTF-8 text: {error.reason} at byte {error.start}",
                         data.count(b"\n", 0, error.start) + 1) from None
    root = _parser().parse(data).root_node
    parsed = HclFile(name)
    body = next((c for c in root.children if c.type == "body"), None)
    if body is not None:
        for child in body.children:
            if child.type == "block":
                parsed.blocks.append(block(child, name))
            elif child.type == "attribute":
                parsed.attributes[attribute_name(child)] = child
    if root.has_error:
        parsed.error = first_error(root)
    return parsed


def block(node: Any, file: str) -> Block:
    kind, labels, body = "", [], None
    for child in node.children:
        if child.type == "identifier" and not kind:
            kind = text(child)
        elif child.type == "string_lit":
            labels.append(text(child)[1:-1])
        elif child.type == "identifier":
            labels.append(text(child))
        elif child.type == "body":
            body = child
    args = {attribute_name(n): n for n in body.children if n.type == "attribute"} if body is not None else {}
    return Block(kind, tuple(labels), node, file, body, args)


def items(body: Any) -> list[Any]:
    """The attributes and blocks of a body, in order (comments left out)."""
    return [c for c in body.children if c.type in ("attribute", "block")] if body is not None else []


def attribute_name(node: Any) -> str:
    return text(node.children[0]) if node.children else ""


def attribute_value(node: Any) -> Any:
    """The expression node of an attribute, or None when the attribute is broken."""
    if node.has_error:
        return None
    return next((c for c in node.children if c.type == "expression"), None)


def children_of(node: Any) -> list[Any]:
    """A node's children without comments (they may sit anywhere inside an expression)."""
    return [c for c in node.children if c.type != "comment"]


def named(node: Any, kind: str) -> list[Any]:
    """A node's children of one type."""
    return [c for c in node.children if c.type == kind]


def text(node: Any) -> str:
    return node.text.decode("utf-8", errors="replace")


def line(node: Any) -> int:
    return node.start_point[0] + 1


def first_error(root: Any) -> tuple[int, int, str]:
    """The first ERROR or MISSING node in document order: (line, column, message).

    Both are reported where the user has to look: a broken attribute value at the attribute (the parser only
    notices on the next line), a missing token (an unclosed `{`, `[` or `"`) where the construct it should close
    starts, not at the end of the file.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            where = node.parent
            while where is not None and where.parent is not None and where.start_point == node.start_point:
                where = where.parent
            where = where or node
            return line(where), where.start_point[1] + 1, f"invalid HCL near {_snippet(where)}: missing {node.type!r}"
        if node.type == "ERROR":
            where = node.parent if node.parent is not None and node.parent.type == "attribute" else node
            return line(where), where.start_point[1] + 1, f"invalid HCL near {_snippet(where)}"
        stack.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return line(root), 1, "invalid HCL"


def _snippet(node: Any) -> str:
    lines = text(node).strip().splitlines()
    snippet = " ".join(lines[0].split()) if lines else ""
    return repr(snippet if len(snippet) <= 40 else snippet[:37] + "...")
