"""Expressions evaluated: what Terraform knows before apply, UNKNOWN for the rest, never a guess."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given, settings
from test_hcl import expressions

from lambdalint.frontends.terraform.configuration import Interpolation, Reference
from lambdalint.frontends.terraform.load import load_configuration
from lambdalint.model.values import UNKNOWN

PRELUDE = """
variable "name" { default = "orders" }
variable "unset" {}
variable "tags" { default = { team = "a" } }
variable "list" { default = ["b", "a", "b"] }
resource "aws_sqs_queue" "q" {}
resource "aws_sqs_queue" "many" { count = 2 }
data "aws_caller_identity" "me" {}
"""


def value_of(tmp_path, expr: str, extra: str = ""):
    (tmp_path / "main.tf").write_text(PRELUDE + extra + f'resource "terraform_data" "probe" {{\n  input = {expr}\n}}\n')
    configuration = load_configuration(str(tmp_path), root=str(tmp_path))
    assert configuration.errors == ()
    return configuration.block("terraform_data.probe").values["input"]


@pytest.mark.parametrize("expr, expected", [
    ("1 + 2 * 3", 7),
    ("7 / 2", 3.5),
    ("-7 % 3", -1),
    ('"1" + 1', 2),
    ('"1" == 1', False),
    ("1 == 1.0", True),
    ("true && false || !false", True),
    ("3 >= 3", True),
    ('"${var.name}-fn"', "orders-fn"),
    ('"${1.5}/${true}/${2}"', "1.5/true/2"),
    ('"%{ if var.name == "orders" }yes%{ else }no%{ endif }"', "yes"),
    ('"%{ for v in var.list }${v};%{ endfor }"', "b;a;b;"),
    ('"${var.tags}"', {"team": "a"}),
    ("var.tags.team", "a"),
    ('var.tags["team"]', "a"),
    ("var.list[1]", "a"),
    ("var.list.0", "b"),
    ("[for v in var.list : upper(v) if v != \"a\"]", ["B", "B"]),
    ("{for i, v in var.list : v => i...}", {"a": [1], "b": [0, 2]}),
    ("{for k, v in var.tags : upper(k) => v}", {"TEAM": "a"}),
    ("[{a = 1}, {a = 2}][*].a", [1, 2]),
    ("var.tags[*].team", ["a"]),
    ("null[*]", []),
    ("var.name == \"orders\" ? 1 : 2", 1),
    ("var.unset == null ? 1 : 1", 1),  # both branches agree: known whatever the condition
    ("false && var.unset", False),
    ("true || var.unset", True),
    ("<<-EOT\n    a ${var.name}\n    EOT", "a orders\n"),
])
def test_known_expressions(tmp_path, expr, expected):
    assert value_of(tmp_path, expr) == expected


@pytest.mark.parametrize("expr", [
    "var.unset",
    "var.unset + 1",
    "var.unset ? 1 : 2",
    "var.tags.missing",  # Terraform rejects it: not a value to check
    "var.list[5]",
    "terraform.workspace",
    "timestamp()",
    "true && var.unset",
    "[for v in var.unset : v]",
    "upper(aws_sqs_queue.q.name)",
    "aws_sqs_queue.many.arn",  # count instances: index first
    "local.undeclared",
    "self.x",
])
def test_unknown_expressions(tmp_path, expr):
    assert value_of(tmp_path, expr) is UNKNOWN


@pytest.mark.parametrize("expr, expected", [
    ("aws_sqs_queue.q.arn", Reference("aws_sqs_queue.q", ("arn",))),
    ("aws_sqs_queue.q.tags.Name", Reference("aws_sqs_queue.q", ("tags", "Name"))),
    ("aws_sqs_queue.many[1].url", Reference("aws_sqs_queue.many[1]", ("url",))),
    ("aws_sqs_queue.many[*].arn", [Reference("aws_sqs_queue.many[0]", ("arn",)),
                                   Reference("aws_sqs_queue.many[1]", ("arn",))]),
    ("aws_sqs_queue.q[*].arn", [Reference("aws_sqs_queue.q", ("arn",))]),
    ("data.aws_caller_identity.me.account_id", Reference("data.aws_caller_identity.me", ("account_id",))),
    ("aws_sqs_queue.q", Reference("aws_sqs_queue.q", ())),
    ('"${aws_sqs_queue.q.arn}/*"', Interpolation((Reference("aws_sqs_queue.q", ("arn",)), "/*"))),
    ('"a-${var.unset}"', Interpolation(("a-", UNKNOWN))),
    ('join(",", [aws_sqs_queue.q.arn, "x"])', Interpolation((Reference("aws_sqs_queue.q", ("arn",)), ",x"))),
    ('format("%s:%d", aws_sqs_queue.q.arn, 5)', Interpolation((Reference("aws_sqs_queue.q", ("arn",)), ":5"))),
])
def test_references_and_interpolations(tmp_path, expr, expected):
    assert value_of(tmp_path, expr) == expected


def test_an_undeclared_resource_is_not_a_reference(tmp_path):
    assert value_of(tmp_path, "aws_sqs_queue.nope.arn") is UNKNOWN


@pytest.mark.parametrize("expr, expected", [
    ('merge({a = 1}, {b = 2}, {a = 3})', {"a": 3, "b": 2}),
    ('concat(["a"], ["b", "c"])', ["a", "b", "c"]),
    ('lookup({a = 1}, "b", 7)', 7),
    ('jsonencode({b = [1, true, null], a = "x<"})', '{"a":"x\\u003c","b":[1,true,null]}'),
    ('jsondecode("{\\"a\\": [1, 2.5]}")', {"a": [1, 2.5]}),
    ('format("%s-%d-%%-%q", "a", 3, "b")', 'a-3-%-"b"'),
    ('join("-", ["a", "b"], ["c"])', "a-b-c"),
    ('split(",", "a,b,,c")', ["a", "b", "", "c"]),
    ('replace("a.b.c", ".", "-")', "a-b-c"),
    ('lower("AbC")', "abc"),
    ('upper("abc")', "ABC"),
    ('try(var.tags.missing, "fallback")', "fallback"),
    ('try(var.unset, "fallback")', UNKNOWN),
    ('can(var.tags.missing)', False),
    ('coalesce("", null, "x")', "x"),
    ('coalesce(var.unset, "x")', UNKNOWN),
    ('length(var.list)', 3),
    ('length([var.unset, 1])', 2),
    ('keys({b = 1, a = 2})', ["a", "b"]),
    ('values({b = 1, a = 2})', [2, 1]),
    ('tostring(5)', "5"),
    ('tonumber("5")', 5),
    ('tolist(["a"])', ["a"]),
    ('toset(var.list)', ["a", "b"]),
    ('tomap({a = 1})', {"a": 1}),
    ('element(["a", "b"], 3)', "b"),
    ('contains(var.list, "a")', True),
    ('flatten([["a"], [], [["b"]], "c"])', ["a", "b", "c"]),
    ('flatten([var.unset])', UNKNOWN),
    ('distinct(var.list)', ["b", "a"]),
    ('basename("a/b/c.zip")', "c.zip"),
    ('dirname("a/b/c.zip")', "a/b"),
    ('merge(var.tags...)', UNKNOWN),  # `...` of a map is an error in Terraform: not a value
    ('merge([{a = 1}, {b = 2}]...)', {"a": 1, "b": 2}),
    ('replace("abc", "/b/", "x")', UNKNOWN),  # a regular expression: not modelled
    ('format("%5s", "a")', UNKNOWN),
    ('uuid()', UNKNOWN),  # outside the stated list
    ('regex("a+", "baa")', UNKNOWN),  # RE2 syntax: not modelled
    ('sha256("a")', "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"),
    ('base64sha256("a")', "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="),
    ('one([])', None),
    ('one(["a"])', "a"),
    ('one(aws_sqs_queue.many[*].arn)', UNKNOWN),  # two instances: Terraform rejects it
    ('one(aws_sqs_queue.q[*].arn)', Reference("aws_sqs_queue.q", ("arn",))),
    ('sort(["b", "a", "c"])', ["a", "b", "c"]),
    ('sum([1, 2.5])', 3.5),
    ('alltrue([true, var.unset])', UNKNOWN),
    ('alltrue([false, var.unset])', False),
    ('anytrue([true, var.unset])', True),
    ('anytrue([])', False),
    ('index(["a", "b"], "b")', 1),
])
def test_functions(tmp_path, expr, expected):
    assert value_of(tmp_path, expr) == expected


def test_path_values_are_relative_to_the_root_module(tmp_path):
    assert value_of(tmp_path, '"${path.module}/${path.root}"') == "./."


def test_file_and_hashes_inside_the_root(tmp_path):
    (tmp_path / "policy.json").write_text('{"a": 1}')
    assert value_of(tmp_path, 'jsondecode(file("${path.module}/policy.json"))') == {"a": 1}
    data = (tmp_path / "policy.json").read_bytes()
    assert value_of(tmp_path, 'filemd5("policy.json")') == hashlib.md5(data).hexdigest()
    assert value_of(tmp_path, 'filebase64sha256("policy.json")') == base64.b64encode(
        hashlib.sha256(data).digest()).decode()
    assert value_of(tmp_path, 'file("missing.json")') is UNKNOWN


def test_templatefile_renders_with_its_variables_only(tmp_path):
    (tmp_path / "policy.json.tpl").write_text('{"Resource": "${arn}", "Queues": [%{ for q in queues ~}'
                                              '"${q}",%{ endfor ~}]}')
    (tmp_path / "lines.tpl").write_text("name=${name}\n")
    assert value_of(tmp_path, 'templatefile("policy.json.tpl", { arn = "a", queues = ["x", "y"] })') == (
        '{"Resource": "a", "Queues": ["x","y",]}')
    assert value_of(tmp_path, 'templatefile("lines.tpl", { name = var.name })') == "name=orders\n"
    assert value_of(tmp_path, 'templatefile("${path.module}/policy.json.tpl", '
                              '{ arn = aws_sqs_queue.q.arn, queues = [] })') == Interpolation(
        ('{"Resource": "', Reference("aws_sqs_queue.q", ("arn",)), '", "Queues": []}'))
    # a name the template uses that vars does not give: Terraform rejects the call
    assert value_of(tmp_path, 'templatefile("lines.tpl", {})') is UNKNOWN
    assert value_of(tmp_path, 'templatefile("lines.tpl", var.unset)') is UNKNOWN
    assert value_of(tmp_path, 'templatefile("missing.tpl", {})') is UNKNOWN


def test_file_outside_the_root_is_not_read(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    inner = tmp_path / "infra"
    inner.mkdir()
    (inner / "link.txt").symlink_to(outside)
    (inner / "main.tf").write_text('resource "terraform_data" "p" {\n  a = file("../secret.txt")\n'
                                   '  b = file("link.txt")\n  c = file("/etc/hostname")\n}\n')
    block = load_configuration(str(inner), root=str(inner)).block("terraform_data.p")
    assert block.values == {"a": UNKNOWN, "b": UNKNOWN, "c": UNKNOWN}


def test_locals_chain_and_cycles(tmp_path):
    extra = 'locals {\n  a = "${local.b}-a"\n  b = var.name\n  c = local.d\n  d = local.c\n}\n'
    assert value_of(tmp_path, "local.a", extra) == "orders-a"
    assert value_of(tmp_path, "local.c", extra) is UNKNOWN


def test_huge_values_stay_unknown(tmp_path):
    doubling = "locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n" + "".join(
        f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"\n' for i in range(1, 40)) + "}\n"
    assert value_of(tmp_path, "local.s39", doubling) is UNKNOWN
    assert value_of(tmp_path, "range(1000000000)") is UNKNOWN


@settings(max_examples=150, deadline=None)
@given(expressions)
def test_random_expressions_evaluate_without_raising(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("random")
    (folder / "main.tf").write_text(PRELUDE + f'resource "terraform_data" "probe" {{\n  input = {text}\n}}\n')
    configuration = load_configuration(str(folder), root=str(folder))
    assert all(message.startswith("syntax error") for _, message in configuration.errors)

