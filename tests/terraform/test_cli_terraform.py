"""`lambdalint check` on Terraform configurations, end to end from .tf text."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli_support import run
from lambdalint.cli import main

QUEUE_AND_WORKER = """\
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_lambda_function" "worker" {
  function_name    = "worker"
  role             = "arn:aws:iam::123456789012:role/worker"
  runtime          = "python3.12"
  handler          = "app.handler"
  filename         = "build/worker.zip"
  source_code_hash = filebase64sha256("build/worker.zip")
  timeout          = var.timeout
}

variable "timeout" {
  default = 60
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
}
"""


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lambda_findings(result):
    return [(f["file"], f["line"], f["rule"], f["resource"]) for f in json.loads(result.stdout)["findings"]
            if f["rule"] in ("LL6001", "LL0001", "LL0007", "LL2002")]


def test_check_a_folder_and_a_file_of_it(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    for target in ("infra", "infra/", "infra/main.tf", "."):
        result = run("check", target, "--format", "json")
        assert result.exit_code == 1, target
        assert lambda_findings(result) == [("infra/main.tf", 20, "LL6001", "aws_lambda_event_source_mapping.jobs")]


def test_json_names_the_address_and_says_what_was_not_inspected(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    document = json.loads(run("check", "infra", "--format", "json").stdout)
    finding = next(f for f in document["findings"] if f["rule"] == "LL6001")
    assert finding["origin"] == {"kind": "terraform", "name": "aws_lambda_event_source_mapping.jobs"}
    assert finding["generated"] is None and finding["column"] == 22
    assert document["summary"]["files"] == 1
    assert document["summary"]["unchecked"] == [{"resource": "aws_lambda_function.worker", "reason":
                                                 "code-not-known-before-apply",
                                                 "origin": {"kind": "terraform", "name": "aws_lambda_function.worker"}}]


def test_text_output_shows_the_tf_line_and_the_address(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    lines = run("check", "infra", "--select", "LL6001").stdout.splitlines()
    assert lines[0] == ("infra/main.tf:20:22: LL6001 error: queue aws_sqs_queue.jobs has a visibility timeout of 30s, "
                        "shorter than the 60s timeout of function aws_lambda_function.worker: Lambda refuses the "
                        "mapping [aws_lambda_event_source_mapping.jobs]")
    assert lines[-1] == ("code not inspected for 1 of 1 function: 1 with a package made before terraform apply "
                         "(not built yet)")


def test_a_variable_given_as_parameter_and_from_tfvars(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    assert lambda_findings(run("check", "infra", "--format", "json", "-p", "timeout=20")) == []
    write(cwd, "infra/terraform.tfvars", "timeout = 1200\n")
    found = lambda_findings(run("check", "infra", "--format", "json"))
    assert ("infra/terraform.tfvars", 1, "LL2002", "aws_lambda_function.worker") in found
    result = run("check", "infra", "-p", "timeout=20", "-p", "nothing=1")
    assert "--parameter nothing: no template declares a parameter nothing" in result.stderr
    assert "--parameter timeout" not in result.stderr


WORKER_JSON = {
    "variable": {"region": {"default": "eu-west-1"}, "timeout": {"default": 60}},
    "resource": {"aws_lambda_function": {"worker": {
        "function_name": "worker", "role": "arn:aws:iam::123456789012:role/worker", "runtime": "python3.12",
        "handler": "app.handler", "s3_bucket": "code", "s3_key": "worker.zip", "s3_object_version": "3",
        "timeout": "${var.timeout}"}}},
}


def parameter_warnings(result):
    return [line for line in result.stderr.splitlines() if line.startswith("lambdalint: warning: --parameter")]


def test_every_variable_of_a_tf_json_object_is_one_a_parameter_may_set(cwd):
    write(cwd, "infra/main.tf.json", json.dumps(WORKER_JSON))
    result = run("check", "infra", "--format", "json", "-p", "timeout=1200", "-p", "region=us-east-1",
                 "-p", "nothing=1")
    assert lambda_findings(result) == [("infra/main.tf.json", 1, "LL2002", "aws_lambda_function.worker")]
    assert parameter_warnings(result) == ["lambdalint: warning: --parameter nothing: no template declares a "
                                          "parameter nothing"]


def test_a_variable_of_a_tf_file_a_tofu_file_replaces_is_not_declared(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER + 'variable "terraform_only" {}\n')
    write(cwd, "infra/main.tofu", QUEUE_AND_WORKER + 'variable "tofu_only" {}\n')
    result = run("check", "infra", "-p", "terraform_only=1", "-p", "tofu_only=1", "-p", "timeout=20")
    assert parameter_warnings(result) == ["lambdalint: warning: --parameter terraform_only: no template declares "
                                          "a parameter terraform_only"]


def test_the_variables_of_an_unsaved_buffer_are_the_ones_declared(cwd):
    from lambdalint.api import Linter

    main_tf = write(cwd, "infra/main.tf", QUEUE_AND_WORKER + 'variable "saved" {}\n')
    checked = Linter().check_buffer(str(main_tf), QUEUE_AND_WORKER + 'variable "unsaved" {}\n',
                                    unsaved={str(cwd / "infra/extra.tf"): 'variable "new_file" {}\n'})
    assert checked.declared.parameter_names() == {"timeout", "unsaved", "new_file"}


def test_a_named_file_terraform_does_not_read_is_one_ll0001_saying_why(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    write(cwd, "infra/MAIN.TF", QUEUE_AND_WORKER.replace('"jobs"', '"upper"'))
    write(cwd, "infra/.old.tf", QUEUE_AND_WORKER.replace('"jobs"', '"hidden"'))
    module = json.loads(run("check", "infra", "--format", "json").stdout)
    assert [(f["file"], f["resource"]) for f in module["findings"] if f["rule"] == "LL6001"] == [
        ("infra/main.tf", "aws_lambda_event_source_mapping.jobs")]
    assert module["summary"]["files"] == 1
    named = json.loads(run("check", "infra/MAIN.TF", "infra/.old.tf", "--format", "json").stdout)
    assert [(f["file"], f["line"], f["rule"], f["message"]) for f in named["findings"]] == [
        ("infra/.old.tf", 1, "LL0001", "Terraform and OpenTofu skip hidden files: this file is not part of its "
                                       "module"),
        ("infra/MAIN.TF", 1, "LL0001", "Terraform and OpenTofu read only the files ending in .tf, .tf.json, "
                                       ".tofu or .tofu.json, in lower case: this file is not part of its module")]


def test_ignore_comment_and_per_file_ignores(cwd):
    ignored = QUEUE_AND_WORKER.replace('  event_source_arn = aws_sqs_queue.jobs.arn',
                                       '  # lambdalint:ignore LL6001 the queue is resized by the ops team\n'
                                       '  event_source_arn = aws_sqs_queue.jobs.arn')
    write(cwd, "infra/main.tf", ignored)
    assert lambda_findings(run("check", "infra", "--format", "json")) == []
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    write(cwd, ".lambdalint.yaml", "per-file-ignores:\n  'infra/*.tf': [LL6001]\n")
    assert lambda_findings(run("check", "infra", "--format", "json")) == []


def test_a_syntax_error_is_ll0001_and_the_rest_is_checked(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    write(cwd, "infra/broken.tf", 'resource "aws_sqs_queue" "x" {\n  name = \n')
    result = run("check", "infra", "--format", "json")
    found = lambda_findings(result)
    assert [f[:3] for f in found if f[2] == "LL0001"] and found[0][0] == "infra/broken.tf"
    assert ("infra/main.tf", 20, "LL6001", "aws_lambda_event_source_mapping.jobs") in found
    assert result.exit_code == 1


def test_sarif_and_github_formats_take_terraform_findings(cwd):
    write(cwd, "infra/main.tf", QUEUE_AND_WORKER)
    sarif = json.loads(run("check", "infra", "--format", "sarif", "--select", "LL6001").stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "infra/main.tf" and location["region"]["startLine"] == 20
    github = run("check", "infra", "--format", "github", "--select", "LL6001").stdout
    assert github.startswith("::error file=infra/main.tf,line=20,col=22,title=LL6001::")


def test_a_folder_without_lambda_resources_says_nothing(cwd):
    write(cwd, "infra/main.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n')
    result = run("check", "infra", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []


@pytest.mark.parametrize("document", ["README.md", "docs/usage.md"])
def test_documented_terraform_output_is_what_lambdalint_prints(monkeypatch, document):
    import re
    import shlex

    from repo_paths import REPO

    text = (REPO / document).read_text(encoding="utf-8")
    found = re.search(r"<!-- docs-test: terraform-output -->\n```text\n(.*?)```", text, flags=re.S)
    command, *expected = found.group(1).rstrip("\n").split("\n")
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, shlex.split(command.lstrip("$ "))[1:])
    assert result.exit_code == 1
    assert result.output.rstrip("\n").split("\n") == expected


IMAGE_FUNCTION = """\
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  package_type  = "Image"
  image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1"
  timeout       = 30
}
"""


def test_image_functions_are_named_by_address(cwd):
    write(cwd, "infra/main.tf", IMAGE_FUNCTION)
    document = json.loads(run("check", "infra", "--format", "json").stdout)
    assert document["summary"]["unchecked"] == [{"resource": "aws_lambda_function.api", "reason": "image-not-given",
                                                 "origin": {"kind": "terraform", "name": "aws_lambda_function.api"}}]
    result = run("check", "infra", "--image", "aws_lambda_function.api=missing.tar", "--format", "json")
    assert "no image function" not in result.stderr
    assert [f["rule"] for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"] == ["LL0004"]
    assert ("--image api: no image function api in the checked templates (image functions: "
            "aws_lambda_function.api)") in run("check", "infra", "--image", "api=missing.tar").stderr
