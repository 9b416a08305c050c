"""terraform-aws-modules/lambda read without `terraform init`, through its adapter (module_adapters)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.frontends.terraform.configuration import Reference
from lambdalint.frontends.terraform.load import load_configuration
from lambdalint.frontends.terraform.module_adapters import adapter_for, constraint_major, package
from lambdalint.model.values import UNKNOWN

LAMBDA = "terraform-aws-modules/lambda/aws"


def load(folder: Path, files: dict):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return load_configuration(str(folder), root=str(folder))


def at(position) -> tuple:
    return (os.path.basename(position.file), position.line)


@pytest.mark.parametrize("constraint, major", [
    ("~> 4.0", 4), ("~> 8.0", 8), ("~>7.2", 7), ("~> 4.1.2", 4), ("7.7.1", 7), ("= 7.7.1", 7), ("v6.0.0", 6),
    (">= 4.0, < 5.0", 4), (">= 4.3, <= 4.9", 4), ("~> 8.0, != 8.1.0", 8), ("8.0.0-beta1", 8),
    (">= 4.0", None), ("~> 4", None), (">= 4.0, < 6.0", None), ("< 5.0", None), ("latest", None), ("", None),
    (">= 5.0, < 4.0", None),
])
def test_the_one_major_a_version_constraint_allows(constraint, major):
    assert constraint_major(constraint) == major


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_an_exact_or_pessimistic_version_gives_its_major(major, minor, patch):
    assert constraint_major(f"{major}.{minor}.{patch}") == major
    assert constraint_major(f"~> {major}.{minor}") == major
    assert constraint_major(f"~> {major}.{minor}.{patch}") == major


def test_adapters_are_known_by_source_and_major():
    assert adapter_for(LAMBDA, "~> 4.0").file == "lambda.hcl"
    assert adapter_for("registry.terraform.io/" + LAMBDA, "8.1.0").major == 8
    assert adapter_for(LAMBDA + "//modules/alias", "~> 7.0").file == "lambda-alias.hcl"
    assert adapter_for(LAMBDA, "~> 3.0") is None  # a major the table does not hold
    assert adapter_for(LAMBDA, None) is None  # no version: the newest release, whichever major it is
    assert adapter_for(LAMBDA + "//modules/deploy", "~> 7.0") is None
    assert adapter_for("terraform-aws-modules/sqs/aws", "~> 4.0") is None


def test_a_call_lowers_into_the_modules_resources_named_as_the_module_names_them(tmp_path):
    configuration = load(tmp_path, {"main.tf": (
        'resource "aws_sqs_queue" "jobs" {}\n'                       # 1
        'module "worker" {\n'                                         # 2
        '  source  = "terraform-aws-modules/lambda/aws"\n'            # 3
        '  version = "~> 7.0"\n'                                      # 4
        '  function_name = "worker"\n'                                # 5
        '  handler       = "app.handler"\n'                           # 6
        '  runtime       = "python3.12"\n'                            # 7
        '  timeout       = 60\n'                                      # 8
        '  cloudwatch_logs_retention_in_days = 14\n'                  # 9
        '  environment_variables = { TABLE = "orders" }\n'            # 10
        '  create_package      = false\n'                             # 11
        '  s3_existing_package = { bucket = "b", key = "k.zip" }\n'   # 12
        '  event_source_mapping = {\n'                                # 13
        '    jobs = {\n'                                              # 14
        '      event_source_arn = aws_sqs_queue.jobs.arn\n'           # 15
        '      batch_size       = 5\n'                                # 16
        '    }\n'
        '  }\n'
        '  allowed_triggers = {\n'
        '    events = { principal = "events.amazonaws.com", source_arn = "arn:aws:events:eu-west-1:1:rule/x" }\n'
        '  }\n'
        '}\n'
        'resource "aws_lambda_alias" "live" {\n'
        '  function_name    = module.worker.lambda_function_name\n'
        '  function_version = module.worker.lambda_function_version\n'
        '}\n')})
    assert configuration.unchecked == ()
    assert [block.address for block in configuration.blocks if block.mode != "data"] == [
        "aws_sqs_queue.jobs", "aws_lambda_alias.live",
        "module.worker.aws_lambda_function.this[0]",
        "module.worker.aws_cloudwatch_log_group.lambda[0]",
        "module.worker.aws_iam_role.lambda[0]",
        "module.worker.aws_iam_role_policy.logs[0]",
        'module.worker.aws_lambda_permission.current_version_triggers["events"]',
        'module.worker.aws_lambda_permission.unqualified_alias_triggers["events"]',
        'module.worker.aws_lambda_event_source_mapping.this["jobs"]',
    ]
    function = configuration.block("module.worker.aws_lambda_function.this[0]")
    assert {key: function.values[key] for key in ("function_name", "timeout", "memory_size", "publish", "s3_key",
                                                  "s3_object_version", "environment")} == {
        "function_name": "worker", "timeout": 60, "memory_size": 128, "publish": False, "s3_key": "k.zip",
        "s3_object_version": None, "environment": [{"variables": {"TABLE": "orders"}}]}
    assert function.values["role"] == Reference("module.worker.aws_iam_role.lambda[0]", ("arn",))
    # what the call passes lands at its argument; the module's defaults at the module block
    assert at(function.where(("timeout",))) == ("main.tf", 8)
    assert at(function.where(("environment", 0, "variables", "TABLE"))) == ("main.tf", 10)
    assert at(function.where(("memory_size",))) == ("main.tf", 2)
    assert at(function.position) == ("main.tf", 2) and function.generated == {}
    mapping = configuration.block('module.worker.aws_lambda_event_source_mapping.this["jobs"]')
    assert mapping.values["event_source_arn"] == Reference("aws_sqs_queue.jobs", ("arn",))
    assert mapping.values["function_name"] == Reference("module.worker.aws_lambda_function.this[0]", ("arn",))
    assert (mapping.values["batch_size"], mapping.values["enabled"]) == (5, True)
    assert at(mapping.where(("event_source_arn",))) == ("main.tf", 15)
    assert at(mapping.where(("batch_size",))) == ("main.tf", 16)
    logs = configuration.block("module.worker.aws_cloudwatch_log_group.lambda[0]")
    assert (logs.values["name"], logs.values["retention_in_days"]) == ("/aws/lambda/worker", 14)
    permission = configuration.block('module.worker.aws_lambda_permission.current_version_triggers["events"]')
    assert (permission.values["principal"], permission.values["action"]) == (
        "events.amazonaws.com", "lambda:InvokeFunction")
    # the module's outputs are references to what it makes
    assert configuration.block("aws_lambda_alias.live").values == {
        "function_name": Reference("module.worker.aws_lambda_function.this[0]", ("function_name",)),
        "function_version": Reference("module.worker.aws_lambda_function.this[0]", ("version",))}


def test_a_layer_call_makes_a_layer_and_no_function(tmp_path):
    configuration = load(tmp_path, {"main.tf": (
        'module "deps" {\n  source  = "terraform-aws-modules/lambda/aws"\n  version = "~> 4.0"\n'
        '  create_layer = true\n  layer_name = "deps"\n  runtime = "python3.12"\n'
        '  create_package = false\n  local_existing_package = "deps.zip"\n}\n')})
    assert [block.address for block in configuration.blocks if block.mode != "data"] == [
        "module.deps.aws_lambda_layer_version.this[0]"]
    layer = configuration.block("module.deps.aws_lambda_layer_version.this[0]")
    assert (layer.values["compatible_runtimes"], layer.values["filename"]) == (["python3.12"], "deps.zip")


def test_a_major_without_adapter_and_inputs_not_mapped_are_said_once(tmp_path):
    configuration = load(tmp_path, {"main.tf": (
        'module "old" {\n  source = "terraform-aws-modules/lambda/aws"\n  version = "~> 3.0"\n}\n'
        'module "new" {\n  source = "terraform-aws-modules/lambda/aws"\n  version = "~> 8.0"\n'
        '  function_name = "new"\n  docker_file = "Dockerfile"\n  lambdalint_major = 2\n}\n')})
    assert configuration.unchecked == (
        ("module-not-installed", "module `old` (terraform-aws-modules/lambda/aws): not installed, run terraform init"),
        ("module-inputs-not-mapped", "module `new` (terraform-aws-modules/lambda/aws v8): read without terraform "
                                     "init, not mapped: docker_file, lambdalint_major"),
    )
    assert [block.address for block in configuration.blocks if block.type == "aws_lambda_function"] == [
        "module.new.aws_lambda_function.this[0]"]


def test_an_installed_module_is_read_not_its_adapter(tmp_path):
    import json

    configuration = load(tmp_path, {
        "main.tf": 'module "fn" {\n  source = "terraform-aws-modules/lambda/aws"\n  version = "~> 7.0"\n'
                   '  timeout = 9\n}\n',
        ".terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "fn", "Source": "registry.terraform.io/terraform-aws-modules/lambda/aws",
             "Dir": ".terraform/modules/fn"}]}),
        ".terraform/modules/fn/main.tf": 'variable "timeout" {}\nresource "aws_lambda_function" "own" {\n'
                                         '  timeout = var.timeout\n}\n',
    })
    assert [block.address for block in configuration.blocks] == ["module.fn.aws_lambda_function.own"]


def test_the_alias_submodule_points_at_latest_unless_given_a_version(tmp_path):
    configuration = load(tmp_path, {"main.tf": (
        'module "live" {\n  source = "terraform-aws-modules/lambda/aws//modules/alias"\n  version = "~> 6.0"\n'
        '  name = "live"\n  function_name = "worker"\n}\n'
        'module "stable" {\n  source = "terraform-aws-modules/lambda/aws//modules/alias"\n  version = "~> 6.0"\n'
        '  name = "stable"\n  function_name = "worker"\n  function_version = "4"\n  refresh_alias = false\n}\n')})
    live = configuration.block("module.live.aws_lambda_alias.with_refresh[0]")
    assert (live.values["function_version"], at(live.where(("function_version",)))) == ("$LATEST", ("main.tf", 1))
    stable = configuration.block("module.stable.aws_lambda_alias.no_refresh[0]")
    assert (stable.values["function_version"], at(stable.where(("function_version",)))) == ("4", ("main.tf", 12))


def test_source_path_is_the_folder_the_module_zips_as_it_is(tmp_path):
    for name in ("plain", "pip", "node", "file"):
        (tmp_path / name).mkdir()
    (tmp_path / "pip" / "requirements.txt").write_text("requests\n")
    (tmp_path / "node" / "package.json").write_text("{}\n")
    (tmp_path / "file" / "app.py").write_text("")
    admits = lambda path: True  # noqa: E731
    folder = str(tmp_path)
    assert package("./plain", folder, admits) == "./plain"
    assert package(["./plain"], folder, admits) == "./plain"
    assert package([{"path": "./plain"}], folder, admits) == "./plain"
    assert package([{"path": "./pip"}], folder, admits) == "./pip"  # a list entry installs only when asked
    assert package("./pip", folder, admits) is None  # the module runs pip install into it
    assert package("./node", folder, admits) is None  # npm install
    assert package("./file/app.py", folder, admits) is None
    assert package([{"path": "./plain", "patterns": ["!.*"]}], folder, admits) is None
    assert package([{"path": "./plain", "pip_requirements": True}], folder, admits) is None
    assert package([{"path": "./plain", "prefix_in_zip": "python"}], folder, admits) is None
    assert package(["./plain", "./pip"], folder, admits) is None
    assert package("./missing", folder, admits) is None
    assert package("./plain", folder, lambda path: False) is None
    assert package(UNKNOWN, folder, admits) is None


def test_a_built_package_is_the_folder_or_unknown_at_the_source_path_argument(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "deps").mkdir()
    (tmp_path / "deps" / "requirements.txt").write_text("requests\n")
    configuration = load(tmp_path, {"main.tf": (
        'module "a" {\n  source = "terraform-aws-modules/lambda/aws"\n  version = "~> 4.0"\n'
        '  source_path = "${path.module}/src"\n}\n'
        'module "b" {\n  source = "terraform-aws-modules/lambda/aws"\n  version = "~> 4.0"\n'
        '  source_path = "${path.module}/deps"\n}\n'
        'module "c" {\n  source = "terraform-aws-modules/lambda/aws"\n  version = "~> 4.0"\n'
        '  source_path = "${path.module}/src"\n  store_on_s3 = true\n  s3_bucket = "b"\n}\n')})
    a = configuration.block("module.a.aws_lambda_function.this[0]")
    b = configuration.block("module.b.aws_lambda_function.this[0]")
    c = configuration.block("module.c.aws_lambda_function.this[0]")
    assert (a.values["filename"], at(a.where(("filename",)))) == ("./src", ("main.tf", 4))
    assert (b.values["filename"], at(b.where(("filename",)))) == (UNKNOWN, ("main.tf", 9))
    assert "lambdalint_build_from" not in a.values
    assert (c.values["filename"], c.values["s3_bucket"], c.values["s3_key"]) == (None, "b", UNKNOWN)


def test_findings_on_an_adapted_call_land_at_its_arguments_and_its_ignores_apply(tmp_path):
    from fixture_runner import FIXTURE_TODAY
    from lambdalint.api import Linter
    from lambdalint.config import Config

    call = ('module "{name}" {{\n  source  = "terraform-aws-modules/lambda/aws"\n  version = "~> 8.0"\n'
            '  function_name = "{name}"\n  handler = "app.handler"\n  runtime = "python3.7"\n'
            '  create_package = false\n'
            '  s3_existing_package = {{ bucket = "b", key = "k.zip", version_id = "1" }}\n}}\n')
    load(tmp_path, {"main.tf": call.format(name="kept") + "# lambdalint:ignore LL2006 retired next week\n"
                    + call.format(name="ignored")})
    report = Linter(Config(select=("ALL",), today=FIXTURE_TODAY)).lint_paths([str(tmp_path)])
    found = [(os.path.basename(f.file), f.line, f.shown_name, f.generated)
             for f in report.findings if f.rule == "LL2006"]
    assert found == [("main.tf", 6, "module.kept.aws_lambda_function.this[0]", None)]
