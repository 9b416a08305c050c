"""The HCL reader: syntax tree, literal text of templates, positions, syntax errors."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lambdalint.frontends.terraform import hcl
from lambdalint.frontends.terraform.configuration import Position


def parse(text: str) -> hcl.HclFile:
    return hcl.parse(text.encode("utf-8"), "main.tf")


def attribute(text: str, name: str = "x") -> hcl.Expr:
    parsed = parse(text)
    assert parsed.error is None, parsed.error
    return parsed.body.attributes[name].expr


def literal_text(text: str) -> tuple:
    expr = attribute(text)
    assert isinstance(expr, hcl.Template)
    return expr.parts


def test_blocks_labels_and_attribute_positions():
    parsed = parse('resource "aws_lambda_function" "f" {\n  timeout = 3\n  environment {\n    variables = {}\n  }\n}\n')
    block = parsed.body.blocks[0]
    assert (block.type, block.labels, block.position) == ("resource", ("aws_lambda_function", "f"),
                                                          Position("main.tf", 1, 1))
    timeout = block.body.attributes["timeout"]
    assert (timeout.position, timeout.expr.position, timeout.expr.value) == (
        Position("main.tf", 2, 3), Position("main.tf", 2, 13), 3)
    nested = block.body.blocks[0]
    assert (nested.type, nested.labels, list(nested.body.attributes)) == ("environment", (), ["variables"])


def test_literals():
    body = parse('a = 1\nb = 1.5\nc = true\nd = null\ne = "s"\nf = 1.0\n').body.attributes
    assert [body[name].expr.value for name in "abcdef"] == [1, 1.5, True, None, "s", 1]


def test_numbers_with_an_exponent_which_the_grammar_does_not_read_keep_value_and_position():
    body = parse('a = 1e3\nb = [2.5E-1]\nc = "1e3"\n# 1e3\nd = <<EOT\n1e3\nEOT\n').body.attributes
    assert (body["a"].expr.value, body["a"].expr.position) == (1000, Position("main.tf", 1, 5))
    assert body["b"].expr.items[0].value == 0.25
    assert body["c"].expr.value == "1e3"
    assert body["d"].expr.parts == ("1e3\n",)
    assert parse("a = 1e3 +\n").error is not None


def test_quoted_escapes_and_literal_dollar_braces():
    assert attribute(r'x = "a\n\"b\" \\ \u00e9 $${v} %%{d}"').value == 'a\n"b" \\ é ${v} %{d}'


def test_template_keeps_spaces_beside_interpolations():
    parts = literal_text('x = "a ${b} c "')
    assert parts[0] == "a " and parts[2] == " c "
    assert isinstance(parts[1], hcl.GetAttr) or isinstance(parts[1], hcl.Variable)


def test_strip_markers_trim_whitespace():
    parts = literal_text('x = "a   ${~ b ~}   c"')
    assert (parts[0], parts[2]) == ("a", "c")


def test_heredoc_text_and_indented_heredoc():
    assert literal_text("x = <<EOT\n  one\n  two\nEOT\n") == ("  one\n  two\n",)
    assert literal_text("x = <<-EOT\n    one\n      two\n    EOT\n") == ("one\n  two\n",)
    parts = literal_text("x = <<-EOT\n    a ${b}\n    c\n  EOT\n")
    assert parts[0] == "a " and parts[2] == "\nc\n"


def test_template_directives():
    parts = literal_text('x = "%{ if c }yes%{ else }no%{ endif }!"')
    directive = parts[0]
    assert isinstance(directive, hcl.TemplateIf)
    assert (directive.then, directive.otherwise, parts[1]) == (("yes",), ("no",), "!")
    loop = literal_text('x = "%{ for k, v in m }${k},%{ endfor }"')[0]
    assert isinstance(loop, hcl.TemplateFor) and (loop.key, loop.value) == ("k", "v")


def test_traversals_index_splat_and_legacy_index():
    expr = attribute('x = var.m["k"].z[0]')
    assert isinstance(expr, hcl.Index) and expr.key.value == 0
    assert isinstance(expr.target, hcl.GetAttr) and expr.target.name == "z"
    splat = attribute("x = aws_s.a[*].arn")
    assert isinstance(splat, hcl.Splat) and isinstance(splat.each, hcl.GetAttr) and splat.each.name == "arn"
    legacy = attribute("x = a.0.b")
    assert isinstance(legacy, hcl.GetAttr) and isinstance(legacy.target, hcl.Index)
    assert legacy.target.key.value == 0


def test_operations_keep_their_operands_traversals():
    expr = attribute("x = 3 + local.y * (count.index + 1)")
    assert isinstance(expr, hcl.Operation) and expr.operator == "+"
    right = expr.right
    assert isinstance(right, hcl.Operation) and right.operator == "*"
    assert isinstance(right.left, hcl.GetAttr) and right.left.name == "y"
    assert isinstance(right.right, hcl.Operation) and right.right.operator == "+"
    unary = attribute("x = !var.enabled")
    assert isinstance(unary, hcl.Operation) and unary.left is None and isinstance(unary.right, hcl.GetAttr)


def test_objects_bare_keys_are_strings_and_parenthesised_keys_are_expressions():
    expr = attribute('x = { a = 1, "b" = 2, (var.k) = 3 }')
    keys = [key for key, _ in expr.items]
    assert [type(key).__name__ for key in keys] == ["Literal", "Literal", "GetAttr"]
    assert [keys[0].value, keys[1].value] == ["a", "b"]


def test_for_expressions_and_expansion():
    tuple_for = attribute('x = [for s in var.l : upper(s) if s != ""]')
    assert isinstance(tuple_for, hcl.ForExpr) and tuple_for.key is None and tuple_for.condition is not None
    object_for = attribute("x = {for k, v in m : v => k...}")
    assert (object_for.key_var, object_for.value_var, object_for.group) == ("k", "v", True)
    call = attribute("x = merge(var.a...)")
    assert isinstance(call, hcl.Call) and call.expand and call.name == "merge"


def test_comments_on_their_own_line_are_kept_by_line():
    parsed = parse("# top\nx = 1 # trailing\n  // inner\ny = 2\n")
    assert parsed.comments == {1: (1, "# top"), 3: (3, "// inner")}


@pytest.mark.parametrize("text, where", [
    ("x = {\n", (1, 5)),
    ('resource "a" "b" {\n  x = \n}\n', (2, 3)),
    ("x = f(a...)...\n", (1, 12)),
])
def test_a_syntax_error_is_the_file_s_one_error_and_no_body(text, where):
    parsed = parse(text)
    assert parsed.error is not None
    position, message = parsed.error
    assert (position.line, position.column) == where
    assert message.startswith("syntax error")
    assert parsed.body.attributes == {} and parsed.body.blocks == ()


@pytest.mark.parametrize("text, where, message", [
    # Terraform: "Unclosed configuration block" at the block's brace
    ('resource "aws_lambda_function" "worker" {\n  runtime = "python3.13"\n\n'
     'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n',
     (1, 41), "'{' is not closed before the end of the file"),
    ("x = [1, 2\n", (1, 5), "'[' is not closed before the end of the file"),
    ("x = merge(a, {\n  b = 1\n}\n", (1, 10), "'(' is not closed before the end of the file"),
    ("memory =  \n\n", (1, 9), "missing 'identifier'"),
])
def test_what_is_missing_at_the_end_of_the_file_is_told_where_it_was_opened(text, where, message):
    position, said = parse(text).error
    assert (position.line, position.column) == where
    assert said == f"syntax error: {message}"


def _inside(text: str, line: int, column: int) -> bool:
    lines = text.encode("utf-8").split(b"\n")
    if len(lines) > 1 and lines[-1] == b"":
        lines.pop()  # the newline ending the last line starts no line of its own
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab ={}[]()"$%~<>-\n#/*.,:?!0123456789\\', max_size=60))
@example("b {\n a = 1\n")
@example("a = [\n\n")
@example("a = f(\n")
def test_a_syntax_error_lands_on_a_line_of_the_file(text):
    error = parse(text).error
    if error is not None:
        assert _inside(text, error[0].line, error[0].column), (text, error)


def test_parse_expression():
    expr = hcl.parse_expression('"${a}-b"')
    assert isinstance(expr, hcl.Template)
    assert hcl.parse_expression("{") is None


_atoms = st.sampled_from(["1", "1.5", "true", "null", '"s"', "var.a", "local.b", "each.key", "count.index",
                          "aws_x.y.arn", "aws_x.y[0].id", "module.m.o", "data.d.e.f", "x", '"${var.a}-z"',
                          "[]", "{}", "path.module", '"%{if true}a%{endif}"', "-1"])


def _combine(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]),
                  children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.lists(children, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(st.sampled_from(["a", "b", '"c"']), children), max_size=3).map(
            lambda pairs: "{" + ", ".join(f"{k} = {v}" for k, v in pairs) + "}"),
        st.tuples(st.sampled_from(["merge", "concat", "lookup", "length", "join", "format", "upper", "try",
                                   "coalesce", "element", "flatten", "toset", "keys", "jsonencode",
                                   "split", "replace", "tostring", "unknownfn", "file", "range"]),
                  st.lists(children, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(children, st.sampled_from(["[0]", '["a"]', ".a", "[*].a", ".*"])).map(lambda t: f"{t[0]}{t[1]}"),
        children.map(lambda c: f"[for i, v in {c} : v]"),
        children.map(lambda c: f"{{for k, v in {c} : k => v}}"),
        children.map(lambda c: f'"x${{{c}}}y"'),
    )


expressions = st.recursive(_atoms, _combine, max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(expressions)
def test_random_expressions_parse_without_raising(text):
    parsed = parse(f"x = {text}\n")
    assert parsed.error is None or parsed.error[1].startswith("syntax error")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='ab ={}[]()"$%~<>-\n#/*.,:?!0123456789\\', max_size=60))
def test_arbitrary_text_never_raises(text):
    parsed = parse(text)
    assert isinstance(parsed, hcl.HclFile)
