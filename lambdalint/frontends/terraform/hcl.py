"""HCL native syntax (`.tf`, `.tofu`, `.tfvars`) read with tree-sitter-hcl into a small syntax tree.

The tree keeps what evaluation needs and a 1-based line and column for every expression,
attribute and block; comments are kept by line so that `# lambdalint:ignore` can be found.
tree-sitter is imported here only, when the first Terraform file is read (a CloudFormation
run never loads it). A file with a syntax error yields its first error and no body: Terraform
refuses such a configuration as a whole, so guessing at the rest would check something that
never deploys.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from ...lazy import lazy_pattern
from .configuration import Position

_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        import tree_sitter_hcl  # deferred: only a Terraform input needs the grammar
        from tree_sitter import Language, Parser

        _PARSER = Parser(Language(tree_sitter_hcl.language()))
    return _PARSER


# ---- syntax tree -------------------------------------------------------------------------


class Expr:
    """An expression; `position` is where it starts."""

    __slots__ = ("position",)
    position: Position


class Literal(Expr):
    __slots__ = ("value",)

    def __init__(self, value: Any, position: Position) -> None:
        self.value = value
        self.position = position


class Template(Expr):
    """A string template: parts are str, Expr, TemplateIf or TemplateFor."""

    __slots__ = ("parts",)

    def __init__(self, parts: Tuple[Any, ...], position: Position) -> None:
        self.parts = parts
        self.position = position


class TemplateIf:
    __slots__ = ("condition", "then", "otherwise")

    def __init__(self, condition: Expr, then: Tuple[Any, ...], otherwise: Tuple[Any, ...]) -> None:
        self.condition = condition
        self.then = then
        self.otherwise = otherwise


class TemplateFor:
    __slots__ = ("key", "value", "collection", "parts")

    def __init__(self, key: Optional[str], value: str, collection: Expr, parts: Tuple[Any, ...]) -> None:
        self.key = key
        self.value = value
        self.collection = collection
        self.parts = parts


class Variable(Expr):
    """A bare name: `var`, `local`, `aws_lambda_function`, a for-expression's variable."""

    __slots__ = ("name",)

    def __init__(self, name: str, position: Position) -> None:
        self.name = name
        self.position = position


class GetAttr(Expr):
    __slots__ = ("target", "name")

    def __init__(self, target: Expr, name: str, position: Position) -> None:
        self.target = target
        self.name = name
        self.position = position


class Index(Expr):
    __slots__ = ("target", "key")

    def __init__(self, target: Expr, key: Expr, position: Position) -> None:
        self.target = target
        self.key = key
        self.position = position


class Splat(Expr):
    """`target[*].a[0]` (or `target.*.a`): `each` is applied to every element, as Variable("")."""

    __slots__ = ("target", "each")

    def __init__(self, target: Expr, each: Expr, position: Position) -> None:
        self.target = target
        self.each = each
        self.position = position


SPLAT_ITEM = ""  # the name Splat.each starts from


class Call(Expr):
    __slots__ = ("name", "args", "expand")

    def __init__(self, name: str, args: Tuple[Expr, ...], expand: bool, position: Position) -> None:
        self.name = name
        self.args = args
        self.expand = expand  # the last argument ends with `...`
        self.position = position


class TupleExpr(Expr):
    __slots__ = ("items",)

    def __init__(self, items: Tuple[Expr, ...], position: Position) -> None:
        self.items = items
        self.position = position


class ObjectExpr(Expr):
    """`{ key = value }`; a bare-name key is a Literal string (as Terraform reads `{ a = 1 }`)."""

    __slots__ = ("items",)

    def __init__(self, items: Tuple[Tuple[Expr, Expr], ...], position: Position) -> None:
        self.items = items
        self.position = position


class ForExpr(Expr):
    """`[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`."""

    __slots__ = ("key_var", "value_var", "collection", "key", "value", "condition", "group")

    def __init__(self, key_var: Optional[str], value_var: str, collection: Expr, key: Optional[Expr],
                 value: Expr, condition: Optional[Expr], group: bool, position: Position) -> None:
        self.key_var = key_var
        self.value_var = value_var
        self.collection = collection
        self.key = key  # None for a tuple result
        self.value = value
        self.condition = condition
        self.group = group
        self.position = position


class Conditional(Expr):
    __slots__ = ("condition", "then", "otherwise")

    def __init__(self, condition: Expr, then: Expr, otherwise: Expr, position: Position) -> None:
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
        self.position = position


class Operation(Expr):
    """A unary (`right` only, `left` None) or binary operation."""

    __slots__ = ("operator", "left", "right")

    def __init__(self, operator: str, left: Optional[Expr], right: Expr, position: Position) -> None:
        self.operator = operator
        self.left = left
        self.right = right
        self.position = position


class Attribute:
    __slots__ = ("name", "expr", "position")

    def __init__(self, name: str, expr: Expr, position: Position) -> None:
        self.name = name
        self.expr = expr
        self.position = position


class Body:
    """Attributes by name (in order) and nested blocks in order."""

    __slots__ = ("attributes", "blocks")

    def __init__(self, attributes: Dict[str, Attribute], blocks: Tuple[HclBlock, ...]) -> None:
        self.attributes = attributes
        self.blocks = blocks


class HclBlock:
    __slots__ = ("type", "labels", "body", "position")

    def __init__(self, type: str, labels: Tuple[str, ...], body: Body, position: Position) -> None:
        self.type = type
        self.labels = labels
        self.body = body
        self.position = position


class HclFile:
    """One parsed file: its body (empty on a syntax error), its comments that stand on a line
    of their own by 1-based line (column, text), those that end a line (`trailing`), the syntax error."""

    __slots__ = ("path", "body", "comments", "error", "trailing")

    def __init__(self, path: str, body: Body, comments: Dict[int, Tuple[int, str]],
                 error: Optional[Tuple[Position, str]] = None,
                 trailing: Optional[Dict[int, Tuple[int, str]]] = None) -> None:
        self.path = path
        self.body = body
        self.comments = comments
        self.error = error
        self.trailing = trailing or {}


EMPTY_BODY = Body({}, ())


# ---- conversion --------------------------------------------------------------------------


class _Unsupported(Exception):
    """A construct this reader does not convert (reported as a syntax error of the file)."""

    def __init__(self, node: Any, message: str) -> None:
        super().__init__(message)
        self.node = node


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape_quoted(raw: str) -> str:
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw
    out: List[str] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\" and i + 1 < n:
            nxt = raw[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            width = 4 if nxt == "u" else 8 if nxt == "U" else 0
            digits = raw[i + 2:i + 2 + width]
            if width and len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
                code = int(digits, 16)
                out.append(chr(code) if code <= 0x10FFFF else "\ufffd")
                i += 2 + width
                continue
        if raw.startswith("$${", i) or raw.startswith("%%{", i):
            out.append(raw[i + 1:i + 3])
            i += 3
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _unescape_heredoc(raw: str) -> str:
    return raw.replace("$${", "${").replace("%%{", "%{")


class _Converter:
    def __init__(self, source: bytes, file: str, numbers: Optional[Dict[int, Any]] = None) -> None:
        self.source = source
        self.file = file
        self.comments: Dict[int, Tuple[int, str]] = {}
        self.trailing: Dict[int, Tuple[int, str]] = {}
        self.numbers = numbers or {}  # byte offset -> value of an exponent literal read as a name

    def position(self, node: Any) -> Position:
        return Position(self.file, node.start_point[0] + 1, node.start_point[1] + 1)

    def text(self, node: Any) -> str:
        return self.source[node.start_byte:node.end_byte].decode("utf-8", "replace")

    # -- structure --

    def body(self, node: Any) -> Body:
        attributes: Dict[str, Attribute] = {}
        blocks: List[HclBlock] = []
        for child in node.children:
            kind = child.type
            if kind == "attribute":
                name_node = child.children[0]
                expr_node = child.children[2]
                name = self.text(name_node)
                attributes[name] = Attribute(name, self.expression(expr_node), self.position(name_node))
            elif kind == "block":
                blocks.append(self.block(child))
            elif kind == "comment":
                self.comment(child)
        return Body(attributes, tuple(blocks))

    def block(self, node: Any) -> HclBlock:
        labels: List[str] = []
        body = EMPTY_BODY
        block_type = ""
        for child in node.children:
            kind = child.type
            if kind == "identifier":
                if block_type:
                    labels.append(self.text(child))
                else:
                    block_type = self.text(child)
            elif kind == "string_lit":
                labels.append(self._string_lit(child))
            elif kind == "body":
                body = self.body(child)
            elif kind == "comment":
                self.comment(child)
        return HclBlock(block_type, tuple(labels), body, self.position(node))

    def comment(self, node: Any) -> None:
        # only a comment on a line of its own can speak for the line below it
        line_start = self.source.rfind(b"\n", 0, node.start_byte) + 1
        found = (node.start_point[1] + 1, self.text(node))
        if not self.source[line_start:node.start_byte].strip():
            self.comments[node.start_point[0] + 1] = found
        else:  # after code on its line: it speaks for that line's block (`module "x" {  # ...`)
            self.trailing.setdefault(node.start_point[0] + 1, found)

    # -- expressions --

    def expression(self, node: Any) -> Expr:
        kind = node.type
        if kind != "expression":
            return self.base(node)
        children = [child for child in node.children if child.type != "comment"]
        if not children:
            raise _Unsupported(node, "empty expression")
        if children[0].type == "(":
            expr = self.expression(children[1])
            rest = children[3:]
        else:
            expr = self.base(children[0])
            rest = children[1:]
        return self.postfix(expr, rest)

    def operand(self, nodes: List[Any]) -> Expr:
        if not nodes:
            raise _Unsupported(None, "missing operand")
        if nodes[0].type == "(" and len(nodes) >= 3:
            return self.postfix(self.expression(nodes[1]), nodes[3:])
        return self.postfix(self.base(nodes[0]), nodes[1:])

    def postfix(self, expr: Expr, operators: List[Any]) -> Expr:
        for op in operators:
            expr = self.traversal(expr, op)
        return expr

    def traversal(self, expr: Expr, op: Any) -> Expr:
        kind = op.type
        position = expr.position  # a traversal is written where its root name starts
        if kind == "get_attr":
            return GetAttr(expr, self.text(op.children[1]), position)
        if kind == "index":
            inner = op.children[0]
            if inner.type == "legacy_index":  # `a.0`
                digits = self.text(inner)[1:]
                if not digits.isdigit():
                    raise _Unsupported(op, f"bad index {self.text(inner)!r}")
                return Index(expr, Literal(int(digits), position), position)
            return Index(expr, self.expression(inner.children[1]), position)
        if kind == "splat":
            inner = op.children[0]
            each: Expr = Variable(SPLAT_ITEM, self.position(op))
            for step in inner.children[1:]:
                if step.type != "comment":
                    each = self.traversal(each, step)
            return Splat(expr, each, position)
        if kind == "comment":
            return expr
        raise _Unsupported(op, f"unexpected {kind}")

    def base(self, node: Any) -> Expr:
        kind = node.type
        position = self.position(node)
        if kind == "literal_value":
            return self.literal(node.children[0])
        if kind == "variable_expr":
            if node.start_byte in self.numbers:
                return Literal(self.numbers[node.start_byte], position)
            return Variable(self.text(node.children[0]), position)
        if kind == "template_expr":
            return self.template(node.children[0])
        if kind == "collection_value":
            return self.collection(node.children[0])
        if kind == "function_call":
            return self.call(node)
        if kind == "for_expr":
            return self.for_expr(node.children[0])
        if kind == "conditional":
            parts = [child for child in node.children if child.type == "expression"]
            return Conditional(self.expression(parts[0]), self.expression(parts[1]),
                               self.expression(parts[2]), position)
        if kind == "operation":
            # operands are not wrapped in `expression` nodes: a base and its traversals
            inner = [child for child in node.children[0].children if child.type != "comment"]
            at = next(i for i, child in enumerate(inner) if not child.is_named and (i or child.type != "("))
            right = self.operand(inner[at + 1:])
            if at == 0:
                return Operation(self.text(inner[0]), None, right, position)
            return Operation(self.text(inner[at]), self.operand(inner[:at]), right, position)
        if kind == "expression":
            return self.expression(node)
        raise _Unsupported(node, f"unexpected {kind}")

    def literal(self, node: Any) -> Expr:
        kind = node.type
        position = self.position(node)
        if kind == "numeric_lit":
            return Literal(_number(self.text(node)), position)
        if kind == "bool_lit":
            return Literal(self.text(node) == "true", position)
        if kind == "null_lit":
            return Literal(None, position)
        if kind == "string_lit":
            return Literal(self._string_lit(node), position)
        raise _Unsupported(node, f"unexpected literal {kind}")

    def _string_lit(self, node: Any) -> str:
        start = node.children[0].end_byte
        end = node.children[-1].start_byte
        return _unescape_quoted(self.source[start:end].decode("utf-8", "replace"))

    def collection(self, node: Any) -> Expr:
        position = self.position(node)
        if node.type == "tuple":
            items = tuple(self.expression(child) for child in node.children if child.type == "expression")
            return TupleExpr(items, position)
        pairs: List[Tuple[Expr, Expr]] = []
        for elem in node.children:
            if elem.type != "object_elem":
                continue
            parts = [child for child in elem.children if child.type == "expression"]
            key = self.expression(parts[0])
            if isinstance(key, Variable):  # `{ name = 1 }`: a bare name is the key itself
                key = Literal(key.name, key.position)
            pairs.append((key, self.expression(parts[1])))
        return ObjectExpr(tuple(pairs), position)

    def call(self, node: Any) -> Expr:
        name = self.text(node.children[0])
        args: List[Expr] = []
        expand = False
        for child in node.children:
            if child.type == "function_arguments":
                for arg in child.children:
                    if arg.type == "expression":
                        args.append(self.expression(arg))
                    elif arg.type == "ellipsis":
                        expand = True
        return Call(name, tuple(args), expand, self.position(node))

    def for_expr(self, node: Any) -> Expr:
        names: List[str] = []
        collection: Optional[Expr] = None
        exprs: List[Expr] = []
        condition: Optional[Expr] = None
        group = False
        for child in node.children:
            kind = child.type
            if kind == "for_intro":
                for part in child.children:
                    if part.type == "identifier":
                        names.append(self.text(part))
                    elif part.type == "expression":
                        collection = self.expression(part)
            elif kind == "expression":
                exprs.append(self.expression(child))
            elif kind == "for_cond":
                condition = self.expression(child.children[1])
            elif kind == "ellipsis":
                group = True
        if collection is None or not names or not exprs:
            raise _Unsupported(node, "incomplete for expression")
        key_var = names[0] if len(names) > 1 else None
        if node.type == "for_object_expr":
            return ForExpr(key_var, names[-1], collection, exprs[0], exprs[1], condition, group,
                           self.position(node))
        return ForExpr(key_var, names[-1], collection, None, exprs[0], condition, False, self.position(node))

    # -- templates --

    def template(self, node: Any) -> Expr:
        position = self.position(node)
        children = node.children
        if node.type == "quoted_template":
            parts = _TemplateParts(self, _unescape_quoted, 0)
            parts.run(children[1:-1], children[0].end_byte, children[-1].start_byte)
            return Template(parts.done(), position)
        # heredoc: the text starts on the line after `<<EOT` and ends before the closing line
        opening = children[1]
        closing = children[-1]
        start = self.source.find(b"\n", opening.end_byte) + 1
        end = self.source.rfind(b"\n", 0, closing.start_byte) + 1
        if start <= 0 or end < start:
            return Template((), position)
        indent = 0
        if self.text(children[0]).endswith("-"):
            indent = _common_indent(self.source[start:end])
        parts = _TemplateParts(self, _unescape_heredoc, indent)
        parts.run(children[2:-1], start, end)
        return Template(parts.done(), position)


class _TemplateParts:
    """Template children in order; the source between them is literal text (tree-sitter leaves
    spaces and newlines at a part's edge out of its nodes). Strip markers (`~`) trim the
    whitespace beside them."""

    def __init__(self, converter: _Converter, unescape: Any, indent: int) -> None:
        self.c = converter
        self.unescape = unescape
        self.indent = indent
        self.strip_next = False

    def literal(self, out: List[Any], start: int, end: int) -> None:
        if end <= start:
            return
        raw = self.c.source[start:end].decode("utf-8", "replace")
        if self.indent:
            raw = _dedent(raw, self.indent, start == 0 or self.c.source[start - 1:start] == b"\n")
        text = self.unescape(raw)
        if self.strip_next:
            text = text.lstrip()
            self.strip_next = False
        if text:
            out.append(text)

    def strip_before(self, out: List[Any]) -> None:
        if out and isinstance(out[-1], str):
            out[-1] = out[-1].rstrip()
            if not out[-1]:
                out.pop()

    def markers(self, node: Any) -> Tuple[bool, bool]:
        kinds = [child.type for child in node.children]
        if "strip_marker" not in kinds:
            return False, False
        first = kinds.index("strip_marker") == 1
        last = kinds[-2] == "strip_marker"
        return first, last

    def run(self, children: List[Any], start: int, end: int) -> Tuple[Any, ...]:
        out: List[Any] = []
        self.sequence(out, children, start, end)
        self.out = out
        return tuple(out)

    def done(self) -> Tuple[Any, ...]:
        return tuple(self.out)

    def sequence(self, out: List[Any], children: List[Any], start: int, end: int) -> None:
        cursor = start
        for child in children:
            kind = child.type
            if kind == "template_literal":
                continue  # read from the source with its edges, below
            self.literal(out, cursor, child.start_byte)
            cursor = child.end_byte
            if kind == "template_interpolation":
                before, after = self.markers(child)
                if before:
                    self.strip_before(out)
                expr_node = next((part for part in child.children if part.type == "expression"), None)
                if expr_node is None:  # `${}`: Terraform rejects an empty interpolation
                    raise _Unsupported(child, "empty interpolation in a template")
                out.append(self.c.expression(expr_node))
                self.strip_next = after
            elif kind == "template_directive":
                out.append(self.directive(out, child.children[0]))
            else:
                raise _Unsupported(child, f"unexpected {kind} in a template")
        self.literal(out, cursor, end)

    def directive(self, outer: List[Any], node: Any) -> Any:
        children = list(node.children)
        intro = children[0]
        before, after = self.markers(intro)
        if before:
            self.strip_before(outer)
        self.strip_next = after
        if node.type == "template_if":
            condition = self.c.expression(next(p for p in intro.children if p.type == "expression"))
            else_at = next((i for i, child in enumerate(children) if child.type == "template_else_intro"), None)
            then: List[Any] = []
            otherwise: List[Any] = []
            stop = else_at if else_at is not None else len(children) - 1
            self.sequence(then, children[1:stop], intro.end_byte, children[stop].start_byte)
            if else_at is not None:
                self.close(then, children[else_at])
                self.sequence(otherwise, children[else_at + 1:-1], children[else_at].end_byte,
                              children[-1].start_byte)
            self.close(otherwise if else_at is not None else then, children[-1])
            return TemplateIf(condition, tuple(then), tuple(otherwise))
        if node.type == "template_for":
            names = [self.c.text(p) for p in intro.children if p.type == "identifier"]
            collection = self.c.expression(next(p for p in intro.children if p.type == "expression"))
            body: List[Any] = []
            self.sequence(body, children[1:-1], intro.end_byte, children[-1].start_byte)
            self.close(body, children[-1])
            return TemplateFor(names[0] if len(names) > 1 else None, names[-1], collection, tuple(body))
        raise _Unsupported(node, f"unexpected {node.type}")

    def close(self, inner: List[Any], node: Any) -> None:
        before, after = self.markers(node)
        if before:
            self.strip_before(inner)
        self.strip_next = after


def _common_indent(text: bytes) -> int:
    widths = []
    for line in text.decode("utf-8", "replace").split("\n"):
        if line.strip():
            widths.append(len(line) - len(line.lstrip(" \t")))
    return min(widths) if widths else 0


def _dedent(raw: str, indent: int, at_line_start: bool) -> str:
    lines = raw.split("\n")
    for i, line in enumerate(lines):
        if i == 0 and not at_line_start:
            continue
        cut = 0
        while cut < indent and cut < len(line) and line[cut] in " \t":
            cut += 1
        lines[i] = line[cut:]
    return "\n".join(lines)


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        value = float(text)
        return int(value) if value.is_integer() and abs(value) < 2 ** 63 else value


def _first_error(node: Any) -> Any:
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error:
            found = _first_error(child)
            if found is not None:
                return found
    return node if node.has_error else None


# text the exponent scan steps over: strings, comments, heredocs (group 1: an exponent number)
_SKIPPED = (rb'"(?:\\.|[^"\\\n])*"|#[^\n]*|//[^\n]*|/\*.*?\*/|<<-?([A-Za-z_][A-Za-z0-9_-]*)\n.*?\n[ \t]*\1\b'
            rb'|(?<![\w.])(\d+(?:\.\d+)?[eE][+-]?\d+)')
_EXPONENTS = lazy_pattern(_SKIPPED, re.DOTALL)


def _without_exponents(source: bytes) -> Optional[Tuple[bytes, Dict[int, Any]]]:
    """tree-sitter-hcl 1.2 does not read a number with an exponent (`1e3`), which HCL allows:
    each becomes a name of the same length (so every position stays), its value kept by offset."""
    numbers: Dict[int, Any] = {}
    pieces: List[bytes] = []
    cursor = 0
    for found in _EXPONENTS.finditer(source):
        if found.group(2) is None:
            continue
        start, end = found.span(2)
        numbers[start] = _number(found.group(2).decode("ascii"))
        pieces.append(source[cursor:start])
        pieces.append(b"_" * (end - start))
        cursor = end
    if not numbers:
        return None
    pieces.append(source[cursor:])
    return b"".join(pieces), numbers


def _syntax_error(converter: _Converter, node: Any) -> Tuple[Position, str]:
    """Where and what the first syntax error is. A token missing at the very end of the file would
    land past its last line: a missing closing bracket is told at the bracket it should close, as
    Terraform does ("Unclosed configuration block"), anything else at the end of the last line."""
    if not node.is_missing:
        snippet = converter.text(node).strip().split("\n")[0][:40]
        return converter.position(node), f"syntax error near {snippet!r}" if snippet else "syntax error"
    message = f"syntax error: missing {node.type!r}"
    if converter.source[node.start_byte:].strip():
        return converter.position(node), message
    opener = _opener(node)
    if opener is not None:
        return (converter.position(opener),
                f"syntax error: {converter.text(opener)!r} is not closed before the end of the file")
    content = converter.source.rstrip()
    line = content.count(b"\n") + 1
    column = len(content) - (content.rfind(b"\n") + 1) + 1
    return Position(converter.file, line, column), message


def _opener(missing: Any) -> Any:
    """The `{`, `[`, `(` or `"` that a missing closing token would close, or None."""
    construct = missing.parent
    if construct is not None and construct.type.endswith("_end"):
        construct = construct.parent
    if construct is None:
        return None
    for child in construct.children:
        if child.type.endswith("_start") or child.type in ("(", "["):
            return child
    return None


def parse(source: bytes, file: str) -> HclFile:
    """Parse one file's bytes; `file` is its display name. Never raises for bad input."""
    converter = _Converter(source, file)
    tree = _parser().parse(source)
    root = tree.root_node
    if root.has_error:
        rewritten = _without_exponents(source)
        if rewritten is not None:
            retry = _parser().parse(rewritten[0])
            if not retry.root_node.has_error:
                converter = _Converter(rewritten[0], file, rewritten[1])
                root = retry.root_node
    if root.has_error:
        return HclFile(file, EMPTY_BODY, {}, _syntax_error(converter, _first_error(root)))
    body = EMPTY_BODY
    try:
        for child in root.children:
            if child.type == "body":
                body = converter.body(child)
            elif child.type == "comment":
                converter.comment(child)
    except _Unsupported as problem:
        where = converter.position(problem.node) if problem.node is not None else Position(file, 1, 1)
        return HclFile(file, EMPTY_BODY, {}, (where, f"syntax error: {problem}"))
    except RecursionError:
        return HclFile(file, EMPTY_BODY, {}, (Position(file, 1, 1), "expressions nested too deeply"))
    return HclFile(file, body, converter.comments, trailing=converter.trailing)


def parse_expression(text: str, file: str = "<expression>") -> Optional[Expr]:
    """One expression (a `-var` value, a `.tf.json` string), or None when it does not parse."""
    parsed = parse(("x = " + text + "\n").encode("utf-8"), file)
    attribute = parsed.body.attributes.get("x")
    return attribute.expr if attribute is not None and parsed.error is None else None
