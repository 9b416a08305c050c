"""`.tf.json` files: the JSON syntax read into the same blocks as `.tf`, positioned at each value."""

from __future__ import annotations

import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.frontends.terraform.configuration import Interpolation, Reference
from lambdalint.frontends.terraform.hcl_json import parse_json
from lambdalint.frontends.terraform.load import load_configuration

CONFIG = """{
  "//": "written by a generator",
  "variable": {"timeout": {"type": "number", "default": "30"}},
  "locals": {"name": "fn-${var.timeout}"},
  "resource": {
    "aws_lambda_function": {
      "f": {
        "function_name": "${local.name}",
        "timeout": "${var.timeout}",
        "role": "${aws_iam_role.r.arn}",
        "description": "role ${aws_iam_role.r.name}",
        "environment": {"variables": {"A": "x"}},
        "tags": {"k": "v"},
        "vpc_config": [{"subnet_ids": ["a"]}],
        "dynamic": {"file_system_config": {"for_each": "${[1, 2]}", "iterator": "fs",
                                           "content": {"arn": "a${fs.value}"}}}
      }
    },
    "aws_iam_role": {"r": {"name": "r"}},
    "aws_sqs_queue": {"q": [{"count": 2, "name": "q${count.index}"}]}
  }
}
"""


def test_blocks_values_and_nested_blocks_as_the_lowering_reads_them(tmp_path):
    (tmp_path / "main.tf.json").write_text(CONFIG)
    configuration = load_configuration(str(tmp_path), root=str(tmp_path))
    assert configuration.errors == ()
    function = configuration.block("aws_lambda_function.f")
    assert function.values == {
        "function_name": "fn-30", "timeout": 30, "role": Reference("aws_iam_role.r", ("arn",)),
        "description": Interpolation(("role ", Reference("aws_iam_role.r", ("name",)))),
        "tags": {"k": "v"},  # a map argument: not a nested block of aws_lambda_function
        "environment": [{"variables": {"A": "x"}}], "vpc_config": [{"subnet_ids": ["a"]}],
        "file_system_config": [{"arn": "a1"}, {"arn": "a2"}]}
    assert [block.address for block in configuration.blocks] == [
        "aws_lambda_function.f", "aws_iam_role.r", "aws_sqs_queue.q[0]", "aws_sqs_queue.q[1]"]
    assert configuration.block("aws_sqs_queue.q[1]").values == {"name": "q1"}


def test_positions_are_the_json_values(tmp_path):
    (tmp_path / "main.tf.json").write_text(CONFIG)
    function = load_configuration(str(tmp_path), root=str(tmp_path)).block("aws_lambda_function.f")

    def at(path):
        where = function.where(path)
        return os.path.basename(where.file), where.line, where.column

    assert at(()) == ("main.tf.json", 7, 7)
    assert at(("function_name",)) == ("main.tf.json", 4, 22)  # from local.name: where it is written
    assert at(("role",)) == ("main.tf.json", 10, 17)
    assert at(("environment", 0, "variables", "A")) == ("main.tf.json", 12, 44)
    assert at(("vpc_config", 0, "subnet_ids")) == ("main.tf.json", 14, 39)


def test_a_json_syntax_error_is_the_file_s_error(tmp_path):
    (tmp_path / "main.tf.json").write_text('{\n  "resource": {\n    "aws_sqs_queue": {"q": {"name": }}\n  }\n}\n')
    (tmp_path / "other.tf").write_text('resource "aws_sqs_queue" "r" {}\n')
    configuration = load_configuration(str(tmp_path), root=str(tmp_path))
    assert [(where.line, where.column, message) for where, message in configuration.errors] == [
        (3, 37, "JSON syntax: unexpected '}'")]
    assert [block.address for block in configuration.blocks] == ["aws_sqs_queue.r"]


def test_shapes_that_are_not_a_configuration_are_errors():
    for text, message in (("[]", "a configuration must be an object"),
                          ('{"resource": []}', "expected an object"),
                          ('{"resource": {"t": {"n": 1}}}', "a block body must be an object"),
                          ('{} x', "text after the JSON value")):
        parsed = parse_json(text.encode(), "main.tf.json")
        assert parsed.error is not None and parsed.error[1] == "JSON syntax: " + message


def test_variable_types_convert_given_strings(tmp_path):
    (tmp_path / "main.tf.json").write_text(json.dumps({
        "variable": {"n": {"type": "number"}, "s": {"type": "string", "default": 5}},
        "resource": {"terraform_data": {"t": {"input": ["${var.n}", "${var.s}"]}}}}))
    configuration = load_configuration(str(tmp_path), {"n": "7"}, root=str(tmp_path))
    assert configuration.block("terraform_data.t").values == {"input": [7, "5"]}


_json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(alphabet='ab${}%"\\\n', max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(["a", "count", "for_each", "dynamic", "//",
                                                                "environment", "content"]), children, max_size=3)),
    max_leaves=10)


@settings(max_examples=150, deadline=None)
@given(_json_values)
def test_random_json_never_raises(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("json")
    document = {"resource": {"aws_lambda_function": {"f": value if isinstance(value, dict) else {"x": value}}},
                "locals": {"l": value}}
    (folder / "main.tf.json").write_text(json.dumps(document))
    load_configuration(str(folder), root=str(folder))


def test_an_empty_interpolation_is_a_syntax_error_not_a_crash(tmp_path):
    # found by test_random_json_never_raises: `${}` made the template reader raise StopIteration
    (tmp_path / "main.tf.json").write_text(json.dumps(
        {"resource": {"aws_lambda_function": {"f": {"handler": "${}"}}}}))
    configuration = load_configuration(str(tmp_path), root=str(tmp_path))
    assert [message for _, message in configuration.errors] == ["JSON syntax: invalid template '${}'"]
