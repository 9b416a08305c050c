"""load_configuration: folders, variables, instances, modules, positions and ignores."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from lambdalint.frontends.terraform.configuration import Ignore, Interpolation, Position, Reference
from lambdalint.frontends.terraform.load import load_configuration
from lambdalint.model.values import UNKNOWN
from repo_paths import REPO

TERRAFORM_CORPUS = REPO.parent / "shared" / "terraform-corpus"


def write(folder: Path, files: dict) -> str:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(folder)


def load(folder: Path, files: dict, **options):
    root = write(folder, files)
    return load_configuration(root, root=str(folder), **options)


def at(position: Position) -> tuple:
    return (os.path.basename(position.file), position.line, position.column)


def test_variables_given_values_win_over_auto_tfvars_over_tfvars_over_defaults(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'variable "a" { default = 1 }\nvariable "b" { default = 1 }\n'
                   'variable "c" { default = 1 }\nvariable "d" { default = 1 }\nvariable "e" {}\n'
                   'variable "n" { type = number }\n'
                   'resource "terraform_data" "t" {\n  input = [var.a, var.b, var.c, var.d, var.e, var.n]\n}\n',
        "terraform.tfvars": "b = 2\nc = 2\nd = 2\nn = \"5\"\n",
        "a.auto.tfvars": "c = 3\nd = 3\n",
        "b.auto.tfvars.json": json.dumps({"d": 4}),
    }, variables={"a": 9})
    assert configuration.block("terraform_data.t").values["input"] == [9, 2, 3, 4, UNKNOWN, 5]
    assert [os.path.basename(name) for name in configuration.files] == [
        "main.tf", "terraform.tfvars", "a.auto.tfvars", "b.auto.tfvars.json"]


def test_variable_types_convert_values_and_fill_optional_attributes(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'variable "fn" {\n  type = object({\n    timeout = optional(number, 3)\n'
                   '    memory  = optional(number)\n    name    = string\n    tags = optional(map(string), {})\n'
                   '  })\n}\n'
                   'variable "ids" { type = list(string) }\n'
                   'variable "names" { type = set(string) }\n'
                   'variable "bad" { type = number }\n'
                   'variable "missing" { type = object({ name = string }) }\n'
                   'resource "terraform_data" "t" {\n  input = [var.fn, var.ids, var.names, var.bad, var.missing]\n}\n',
        "terraform.tfvars": 'fn = { name = "a", memory = "256", extra = 1 }\nids = [1, 2]\nnames = ["b", "a", "b"]\n'
                            'bad = "many"\nmissing = {}\n',
    })
    assert configuration.block("terraform_data.t").values["input"] == [
        {"timeout": 3, "memory": 256, "name": "a", "tags": {}}, ["1", "2"], ["a", "b"], UNKNOWN, UNKNOWN]


def test_positions_of_arguments_nested_blocks_and_values_from_variables(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'variable "timeout" { default = 3 }\n'
                   'variable "memory" { default = 128 }\n'
                   'resource "aws_lambda_function" "f" {\n'
                   '  timeout     = var.timeout\n'
                   '  memory_size = var.memory\n'
                   '  environment {\n'
                   '    variables = { A = "x" }\n'
                   '  }\n'
                   '}\n',
        "terraform.tfvars": "timeout = 30\n",
    })
    block = configuration.block("aws_lambda_function.f")
    assert block.values == {"timeout": 30, "memory_size": 128, "environment": [{"variables": {"A": "x"}}]}
    assert at(block.position) == ("main.tf", 3, 1)
    assert at(block.where(("timeout",))) == ("terraform.tfvars", 1, 11)
    assert at(block.where(("memory_size",))) == ("main.tf", 2, 31)
    assert at(block.where(("environment", 0))) == ("main.tf", 6, 3)
    assert at(block.where(("environment", 0, "variables", "A"))) == ("main.tf", 7, 23)
    assert at(block.where(("environment", 0, "variables", "B"))) == ("main.tf", 7, 17)
    assert at(block.where(("handler",))) == ("main.tf", 3, 1)


def test_count_and_for_each_instances_and_their_names(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'variable "unset" {}\n'
                   'resource "aws_sqs_queue" "q" {\n  count = 2\n  name = "q${count.index}"\n}\n'
                   'resource "aws_lambda_function" "f" {\n  for_each = { b = 2, a = 1 }\n'
                   '  function_name = each.key\n  timeout = each.value\n}\n'
                   'resource "aws_lambda_function" "s" {\n  for_each = toset(["x"])\n  handler = each.value\n}\n'
                   'resource "aws_lambda_function" "maybe" {\n  count = var.unset ? 1 : 0\n  timeout = 5\n'
                   '  description = "n${count.index}"\n}\n'
                   'resource "aws_lambda_function" "none" {\n  count = 0\n}\n',
    })
    summary = [(block.address, block.conditional, block.values) for block in configuration.blocks]
    assert summary == [
        ("aws_sqs_queue.q[0]", False, {"name": "q0"}),
        ("aws_sqs_queue.q[1]", False, {"name": "q1"}),
        ('aws_lambda_function.f["a"]', False, {"function_name": "a", "timeout": 1}),
        ('aws_lambda_function.f["b"]', False, {"function_name": "b", "timeout": 2}),
        ('aws_lambda_function.s["x"]', False, {"handler": "x"}),
        ("aws_lambda_function.maybe", True, {"timeout": 5, "description": Interpolation(("n", UNKNOWN))}),
    ]


def test_references_to_a_conditional_resource_name_its_one_instance(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'variable "on" {}\nresource "aws_sqs_queue" "q" {\n  count = var.on ? 1 : 0\n}\n'
                   'resource "aws_lambda_event_source_mapping" "m" {\n  event_source_arn = aws_sqs_queue.q[0].arn\n}\n',
    })
    assert configuration.block("aws_lambda_event_source_mapping.m").values == {
        "event_source_arn": Reference("aws_sqs_queue.q", ("arn",))}


def test_dynamic_blocks_expand_where_they_stand(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'variable "unset" {}\n'
                   'resource "aws_security_group" "g" {\n'
                   '  ingress { from_port = 1 }\n'
                   '  dynamic "ingress" {\n    for_each = [22, 443]\n    content {\n'
                   '      from_port = ingress.value\n    }\n  }\n'
                   '  dynamic "egress" {\n    for_each = { a = 1 }\n    iterator = rule\n'
                   '    content { to_port = rule.key }\n  }\n'
                   '  dynamic "other" {\n    for_each = var.unset\n    content { x = 1 }\n  }\n'
                   '}\n',
    })
    block = configuration.block("aws_security_group.g")
    assert block.values == {"ingress": [{"from_port": 1}, {"from_port": 22}, {"from_port": 443}],
                            "egress": [{"to_port": "a"}], "other": UNKNOWN}
    # `from_port = ingress.value`: the value is written in the for_each list
    assert at(block.where(("ingress", 2, "from_port"))) == ("main.tf", 5, 21)
    assert at(block.where(("egress", 0, "to_port"))) == ("main.tf", 13, 25)


def test_meta_arguments_are_not_values(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'resource "aws_sqs_queue" "q" {\n  count = 1\n  provider = aws.east\n  depends_on = []\n'
                   '  lifecycle {\n    ignore_changes = [tags]\n  }\n  name = "q"\n}\n',
    })
    assert configuration.block("aws_sqs_queue.q[0]").values == {"name": "q"}


def test_ignore_comments_above_blocks_and_arguments(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": '# lambdalint:ignore LL2001,ll6002 the timeout is deliberate\n'
                   'resource "aws_lambda_function" "f" {\n'
                   '  # a note\n'
                   '  // lambdalint:ignore LL2003\n'
                   '  timeout = 3\n'
                   '  environment {\n'
                   '    # lambdalint:ignore LL5011 not a secret\n'
                   '    variables = {}\n'
                   '  }\n'
                   '  memory_size = 128 # lambdalint:ignore LL9999 trailing: not above anything\n'
                   '}\n',
    })
    block = configuration.block("aws_lambda_function.f")
    assert [(ignore.rules, ignore.reason, ignore.path, at(ignore.position)) for ignore in block.ignores] == [
        (("LL2003",), "", ("timeout",), ("main.tf", 4, 3)),
        (("LL5011",), "not a secret", ("environment", 0, "variables"), ("main.tf", 7, 5)),
        (("LL2001", "LL6002"), "the timeout is deliberate", (), ("main.tf", 1, 1)),
    ]
    assert isinstance(block.ignores[0], Ignore)


def test_local_modules_inputs_outputs_and_call_chain(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'module "fn" {\n  for_each = { orders = 10 }\n  source = "./modules/fn"\n'
                   '  timeout = each.value\n  name = each.key\n}\n'
                   'resource "aws_lambda_alias" "live" {\n  function_name = module.fn["orders"].name\n'
                   '  function_version = module.fn["orders"].version\n}\n',
        "modules/fn/main.tf": 'variable "timeout" {}\nvariable "name" {}\nvariable "memory" { default = 256 }\n'
                              'resource "aws_lambda_function" "this" {\n  function_name = var.name\n'
                              '  timeout = var.timeout\n  memory_size = var.memory\n}\n'
                              'module "inner" {\n  source = "../inner"\n}\n'
                              'output "name" { value = aws_lambda_function.this.function_name }\n'
                              'output "version" { value = module.inner.v }\n',
        "modules/inner/main.tf": 'output "v" { value = "7" }\nresource "aws_sqs_queue" "q" {}\n',
    })
    assert [block.address for block in configuration.blocks] == [
        "aws_lambda_alias.live",
        'module.fn["orders"].aws_lambda_function.this',
        'module.fn["orders"].module.inner.aws_sqs_queue.q',
    ]
    alias = configuration.block("aws_lambda_alias.live")
    function_address = 'module.fn["orders"].aws_lambda_function.this'
    assert alias.values == {"function_name": Reference(function_address, ("function_name",)),
                            "function_version": "7"}
    function = configuration.block('module.fn["orders"].aws_lambda_function.this')
    assert function.values == {"function_name": "orders", "timeout": 10, "memory_size": 256}
    assert function.module == ('module.fn["orders"]',)
    assert configuration.block('module.fn["orders"].module.inner.aws_sqs_queue.q').module == (
        'module.fn["orders"]', "module.inner")
    # the value came from the call's for_each (`timeout = each.value`): it is edited there
    assert at(function.where(("timeout",))) == ("main.tf", 2, 25)
    assert at(function.where(("function_name",))) == ("main.tf", 5, 10)
    assert at(function.where(("memory_size",))) == ("main.tf", 3, 31)


def test_remote_modules_not_installed_are_said_once_and_their_outputs_unknown(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'module "queue" {\n  source = "terraform-aws-modules/sqs/aws"\n  version = "~> 4.0"\n}\n'
                   'resource "aws_lambda_alias" "a" {\n  function_name = module.queue.queue_name\n}\n'
                   'resource "aws_lambda_alias" "b" {\n  function_name = module.queue.queue_name\n}\n',
    })
    assert configuration.unchecked == (
        ("module-not-installed",
         "module `queue` (terraform-aws-modules/sqs/aws): not installed, run terraform init"),)
    assert configuration.block("aws_lambda_alias.a").values == {"function_name": UNKNOWN}


def test_installed_remote_modules_are_read_from_modules_json(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'module "lambda" {\n  source = "terraform-aws-modules/lambda/aws"\n  timeout = 9\n}\n',
        ".terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "lambda", "Source": "registry.terraform.io/terraform-aws-modules/lambda/aws",
             "Dir": ".terraform/modules/lambda"}]}),
        ".terraform/modules/lambda/main.tf": 'variable "timeout" {}\n'
                                             'resource "aws_lambda_function" "this" {\n  timeout = var.timeout\n'
                                             '  filename = "${path.module}/x.zip"\n}\n',
    })
    assert configuration.unchecked == ()
    block = configuration.block("module.lambda.aws_lambda_function.this")
    assert block.values == {"timeout": 9, "filename": ".terraform/modules/lambda/x.zip"}


def test_module_sources_outside_the_root_or_in_a_cycle_are_not_followed(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "main.tf").write_text('resource "aws_sqs_queue" "secret" {}\n')
    configuration = load(tmp_path / "project", {
        "main.tf": 'module "out" {\n  source = "../elsewhere"\n}\nmodule "self" {\n  source = "./"\n}\n',
    })
    assert [block.address for block in configuration.blocks] == []
    reasons = [reason for reason, _ in configuration.unchecked]
    assert reasons[0] == "module-not-read" and "module-too-deep" in reasons


def test_tofu_files_replace_tf_files_of_the_same_name(tmp_path):
    configuration = load(tmp_path, {
        "main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "terraform"\n}\n',
        "main.tofu": 'resource "aws_sqs_queue" "q" {\n  name = "tofu"\n}\n',
        "other.tf": 'resource "aws_sqs_queue" "r" {}\n',
    })
    assert configuration.block("aws_sqs_queue.q").values == {"name": "tofu"}
    assert sorted(os.path.basename(name) for name in configuration.files) == ["main.tofu", "other.tf"]


def test_override_files_merge_into_the_blocks_they_name_after_the_others(tmp_path):
    configuration = load(tmp_path, {
        "a_override.tf": 'resource "aws_lambda_function" "f" {\n  timeout = 30\n  vpc_config {\n'
                         '    subnet_ids = ["s"]\n  }\n}\nlocals {\n  name = "over"\n}\n'
                         'variable "v" { default = 2 }\n',
        "main.tf": 'variable "v" { default = 1 }\nlocals {\n  name = "base"\n}\n'
                   'resource "aws_lambda_function" "f" {\n  function_name = local.name\n  timeout = 3\n'
                   '  memory_size = var.v\n  vpc_config {\n    subnet_ids = ["a"]\n  }\n'
                   '  vpc_config {\n    subnet_ids = ["b"]\n  }\n}\n',
        "override.tf": 'resource "aws_sqs_queue" "never_declared" {}\n',
    })
    block = configuration.block("aws_lambda_function.f")
    assert block.values == {"function_name": "over", "timeout": 30, "memory_size": 2,
                            "vpc_config": [{"subnet_ids": ["s"]}]}
    assert at(block.where(("timeout",))) == ("a_override.tf", 2, 13)
    assert [(at(where), message) for where, message in configuration.errors] == [
        (("override.tf", 1, 1), "override of aws_sqs_queue.never_declared, which is not declared")]


def test_a_file_with_a_syntax_error_is_an_error_and_the_others_are_read(tmp_path):
    configuration = load(tmp_path, {
        "broken.tf": 'resource "aws_sqs_queue" "q" {\n  name = \n}\n',
        "main.tf": 'resource "aws_sqs_queue" "r" {}\nresource "aws_sqs_queue" "r" {}\n',
    })
    assert [block.address for block in configuration.blocks] == ["aws_sqs_queue.r"]
    assert [(at(where), message) for where, message in configuration.errors] == [
        (("broken.tf", 2, 3), "syntax error near 'name ='"),
        (("main.tf", 2, 1), "duplicate declaration of aws_sqs_queue.r"),
    ]


def test_a_missing_folder_is_an_empty_configuration(tmp_path):
    configuration = load_configuration(str(tmp_path / "nope"), root=str(tmp_path))
    assert (configuration.blocks, configuration.errors) == ((), ())


def _corpus_roots():
    roots_file = TERRAFORM_CORPUS / "ROOTS.txt"
    if not roots_file.is_file():
        return []
    return [line.strip() for line in roots_file.read_text().splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.slow
def test_every_corpus_root_loads(capsys):
    roots = _corpus_roots()
    if not roots:
        pytest.skip(f"terraform corpus not found at {TERRAFORM_CORPUS} (expected ../shared beside the repo)")
    start = time.perf_counter()
    blocks = 0
    size = 0
    errors = []
    for root in roots:
        configuration = load_configuration(str(TERRAFORM_CORPUS / root), root=str(TERRAFORM_CORPUS))
        blocks += len(configuration.blocks)
        size += sum(os.path.getsize(name) for name in configuration.files)
        errors.extend(configuration.errors)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nterraform corpus: {len(roots)} roots, {blocks} blocks, {size / 1e6:.2f} MB read in "
              f"{elapsed:.2f} s ({size / 1e6 / elapsed:.2f} MB/s)")
    # every file there passes `terraform fmt` (corpus README): no error is ours to report
    assert errors == []
    assert blocks > 1000
