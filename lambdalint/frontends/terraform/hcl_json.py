"""`.tf.json` files (Terraform's JSON configuration syntax) read into the same syntax tree as `.tf`.

https://developer.hashicorp.com/terraform/language/syntax/json: the top-level object holds
block types (`resource` -> type -> name -> body, `variable`/`output`/`module` -> name ->
body, `locals` -> name -> expression); a JSON string is a template (`"${var.x}-y"`), numbers,
booleans, null, arrays and objects are themselves; a `"//"` property is a comment.

In a body, whether an object is a nested block or a map argument is the provider schema's
to say. The one table of it this front end has is the lowering's (shapes.SHAPES: `*` or `0` after a
name in an argument path marks a nested block); for a type it does not list, an object is an argument.
Every expression is positioned at its JSON value (line and column), so findings land there.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from . import hcl
from .configuration import Position

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_WHITESPACE = " \t\n\r"
_MAX_DEPTH = 200


class _Node:
    """A JSON value with the offset where it starts; objects keep (key, key offset, node) in order."""

    __slots__ = ("value", "offset", "members")

    def __init__(self, value: Any, offset: int, members: Optional[List[Tuple[str, int, _Node]]] = None) -> None:
        self.value = value  # a primitive, a list of _Node, or None for an object (see members)
        self.offset = offset
        self.members = members


class _JsonError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text

    def skip(self, index: int) -> int:
        text = self.text
        while index < len(text) and text[index] in _WHITESPACE:
            index += 1
        return index

    def value(self, index: int, depth: int) -> Tuple[_Node, int]:
        if depth > _MAX_DEPTH:
            raise _JsonError(index, "nested too deeply")
        index = self.skip(index)
        text = self.text
        if index >= len(text):
            raise _JsonError(index, "unexpected end of file")
        ch = text[index]
        if ch == "{":
            return self.object(index, depth)
        if ch == "[":
            items: List[_Node] = []
            cursor = self.skip(index + 1)
            if text.startswith("]", cursor):
                return _Node(items, index), cursor + 1
            while True:
                item, cursor = self.value(cursor, depth + 1)
                items.append(item)
                cursor = self.skip(cursor)
                if text.startswith("]", cursor):
                    return _Node(items, index), cursor + 1
                if not text.startswith(",", cursor):
                    raise _JsonError(cursor, "expected ',' or ']'")
                cursor += 1
        if ch == '"':
            try:
                string, end = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
            except ValueError:
                raise _JsonError(index, "invalid string") from None
            return _Node(string, index), end
        for word, constant in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, index):
                return _Node(constant, index), index + len(word)
        found = _NUMBER.match(text, index)
        if found is None:
            raise _JsonError(index, f"unexpected {ch!r}")
        number_text = found.group(0)
        number: Any = float(number_text) if any(c in number_text for c in ".eE") else int(number_text)
        if isinstance(number, float) and number.is_integer() and abs(number) < 2 ** 63:
            number = int(number)
        return _Node(number, index), found.end()

    def object(self, index: int, depth: int) -> Tuple[_Node, int]:
        text = self.text
        members: List[Tuple[str, int, _Node]] = []
        cursor = self.skip(index + 1)
        if text.startswith("}", cursor):
            return _Node(None, index, members), cursor + 1
        while True:
            cursor = self.skip(cursor)
            if not text.startswith('"', cursor):
                raise _JsonError(cursor, "expected a property name")
            key_node, cursor = self.value(cursor, depth + 1)
            cursor = self.skip(cursor)
            if not text.startswith(":", cursor):
                raise _JsonError(cursor, "expected ':'")
            value, cursor = self.value(cursor + 1, depth + 1)
            members.append((key_node.value, key_node.offset, value))
            cursor = self.skip(cursor)
            if text.startswith("}", cursor):
                return _Node(None, index, members), cursor + 1
            if not text.startswith(",", cursor):
                raise _JsonError(cursor, "expected ',' or '}'")
            cursor += 1


def _block_paths(block_type: str) -> FrozenSet[Tuple[str, ...]]:
    """The nested block paths of a resource type, from the lowering's argument table."""
    from .shapes import SHAPES

    shape = SHAPES.get(block_type)
    if shape is None:
        return frozenset()
    found = set()
    for argument in shape.arguments:
        steps = argument[0].split(".")
        for at, step in enumerate(steps):
            if (step == "*" or step.isdigit()) and at > 0:  # `environment.0.variables`: a block
                found.add(tuple(part for part in steps[:at] if part != "*" and not part.isdigit()))
    return frozenset(found)


_BLOCK_ARGUMENTS = {"lifecycle", "provisioner", "connection", "dynamic", "content", "validation",
                    "precondition", "postcondition"}


class _Converter:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, offset: int) -> Position:
        import bisect

        line = bisect.bisect_right(self.line_starts, offset)
        return Position(self.file, line, offset - self.line_starts[line - 1] + 1)

    def expression(self, node: _Node) -> hcl.Expr:
        position = self.position(node.offset)
        if node.members is not None:
            return hcl.ObjectExpr(tuple((hcl.Literal(key, self.position(key_offset)), self.expression(value))
                                        for key, key_offset, value in node.members if key != "//"), position)
        if isinstance(node.value, list):
            return hcl.TupleExpr(tuple(self.expression(item) for item in node.value), position)
        if isinstance(node.value, str):
            return self.template(node.value, position)
        return hcl.Literal(node.value, position)

    def template(self, text: str, position: Position) -> hcl.Expr:
        if "${" not in text and "%{" not in text:
            return hcl.Literal(text, position)
        quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        parsed = hcl.parse_expression('"' + quoted + '"', self.file)
        if parsed is None:
            raise _JsonError(0, f"invalid template {text[:40]!r}")
        _place(parsed, position, 0)
        return parsed

    def bare(self, node: _Node) -> hcl.Expr:
        """A string that is an expression itself (a variable's `type`, a dynamic block's `iterator`)."""
        if isinstance(node.value, str) and node.members is None:
            parsed = hcl.parse_expression(node.value, self.file)
            if parsed is not None:
                _place(parsed, self.position(node.offset), 0)
                return parsed
        return self.expression(node)

    def body(self, node: _Node, blocks_at: FrozenSet[Tuple[str, ...]], path: Tuple[str, ...] = ()) -> hcl.Body:
        if node.members is None:
            raise _JsonError(node.offset, "a block body must be an object")
        attributes: Dict[str, hcl.Attribute] = {}
        blocks: List[hcl.HclBlock] = []
        for key, key_offset, value in node.members:
            if key == "//":
                continue
            where = self.position(key_offset)
            if key == "dynamic" and value.members is not None:
                for label, label_offset, inner in value.members:
                    for body_node in _bodies(inner):
                        dynamic = self.dynamic(body_node, blocks_at, path + (label,))
                        blocks.append(hcl.HclBlock("dynamic", (label,), dynamic, self.position(label_offset)))
            elif path + (key,) in blocks_at or key in _BLOCK_ARGUMENTS:
                for body_node in _bodies(value):
                    blocks.append(hcl.HclBlock(key, (), self.body(body_node, blocks_at, path + (key,)),
                                               self.position(body_node.offset)))
            elif key in ("type", "iterator"):
                attributes[key] = hcl.Attribute(key, self.bare(value), where)
            else:
                attributes[key] = hcl.Attribute(key, self.expression(value), where)
        return hcl.Body(attributes, tuple(blocks))

    def dynamic(self, node: _Node, blocks_at: FrozenSet[Tuple[str, ...]], path: Tuple[str, ...]) -> hcl.Body:
        if node.members is None:
            raise _JsonError(node.offset, "a dynamic block must be an object")
        attributes: Dict[str, hcl.Attribute] = {}
        blocks: List[hcl.HclBlock] = []
        for key, key_offset, value in node.members:
            if key == "content":
                content = self.body(value, blocks_at, path)
                blocks.append(hcl.HclBlock("content", (), content, self.position(value.offset)))
            elif key == "iterator":
                attributes[key] = hcl.Attribute(key, self.bare(value), self.position(key_offset))
            elif key != "//":
                attributes[key] = hcl.Attribute(key, self.expression(value), self.position(key_offset))
        return hcl.Body(attributes, tuple(blocks))

    def top(self, node: _Node) -> hcl.Body:
        if node.members is None:
            raise _JsonError(node.offset, "a configuration must be an object")
        blocks: List[hcl.HclBlock] = []
        for kind, kind_offset, value in node.members:
            if kind in ("resource", "data"):
                for type_name, _, names in _members(value):
                    blocks_at = _block_paths(type_name)
                    for name, name_offset, inner in _members(names):
                        for body_node in _bodies(inner):
                            blocks.append(hcl.HclBlock(kind, (type_name, name), self.body(body_node, blocks_at),
                                                       self.position(name_offset)))
            elif kind in ("variable", "output", "module"):
                for name, name_offset, inner in _members(value):
                    for body_node in _bodies(inner):
                        blocks.append(hcl.HclBlock(kind, (name,), self.body(body_node, frozenset()),
                                                   self.position(name_offset)))
            elif kind == "locals":
                for body_node in _bodies(value):
                    attributes = {name: hcl.Attribute(name, self.expression(inner), self.position(name_offset))
                                  for name, name_offset, inner in _members(body_node) if name != "//"}
                    blocks.append(hcl.HclBlock("locals", (), hcl.Body(attributes, ()), self.position(kind_offset)))
        return hcl.Body({}, tuple(blocks))


def _members(node: _Node) -> List[Tuple[str, int, _Node]]:
    if node.members is None:
        raise _JsonError(node.offset, "expected an object")
    return [member for member in node.members if member[0] != "//"]


def _bodies(node: _Node) -> List[_Node]:
    """One block's body, or several written as an array of objects."""
    return list(node.value) if isinstance(node.value, list) else [node]


def _place(expr: Any, position: Position, depth: int) -> None:
    """Every node of a template parsed from a JSON string is written where the string is."""
    if depth > 64:
        return
    if isinstance(expr, hcl.Expr):
        expr.position = position
    for name in getattr(type(expr), "__slots__", ()):
        child = getattr(expr, name, None)
        if isinstance(child, (hcl.Expr, hcl.TemplateIf, hcl.TemplateFor)):
            _place(child, position, depth + 1)
        elif isinstance(child, tuple):
            for item in child:
                if isinstance(item, tuple):
                    for inner in item:
                        _place(inner, position, depth + 1)
                else:
                    _place(item, position, depth + 1)


def parse_json(source: bytes, file: str) -> hcl.HclFile:
    """Parse one `.tf.json` file; never raises for bad input (the error is the file's one error)."""
    try:
        text = source.decode("utf-8-sig")
    except UnicodeDecodeError:
        return hcl.HclFile(file, hcl.EMPTY_BODY, {}, (Position(file, 1, 1), "not UTF-8 text"))
    converter = _Converter(text, file)
    reader = _Reader(text)
    try:
        node, end = reader.value(0, 0)
        if reader.skip(end) != len(text):
            raise _JsonError(end, "text after the JSON value")
        body = converter.top(node)
    except _JsonError as problem:
        return hcl.HclFile(file, hcl.EMPTY_BODY, {}, (converter.position(problem.offset), f"JSON syntax: {problem}"))
    except RecursionError:
        return hcl.HclFile(file, hcl.EMPTY_BODY, {}, (Position(file, 1, 1), "JSON nested too deeply"))
    return hcl.HclFile(file, body, {})
