"""`lambdalint check --terraform-plan FILE` (config key `terraform-plan`): which root module a
saved plan is laid over, and the plan's variables as the configuration's.

The plans of the first tests are real `terraform show -json` output
(fixtures/real/terraform, tools/real_fixtures/terraform.py); the Lambda ones are written
here in the same format, since terraform plans AWS resources only with credentials.
"""

from __future__ import annotations

import json
import os

import pytest

from cli_support import run
from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.frontends.terraform.load import load_configuration
from lambdalint.frontends.terraform.plan import PlanTargetError, read_plan, root_for_plan
from lambdalint.frontends.terraform.read import read_root_module
from real_fixtures import copy_fixture

# A plan's time: after the code's, as terraform leaves it (git keeps no modification times).
PLANNED = 2_000_000_000
CODED = 1_900_000_000

WORKER = """\
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/worker.zip"
  timeout       = var.timeout
}

variable "timeout" {
  type = number
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
}
"""


def write(path, text: str, when: int = CODED):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when, when))
    return path


def plan_document(variables: dict) -> str:
    return json.dumps({"format_version": "1.2", "terraform_version": "1.11.4",
                       "variables": {name: {"value": value} for name, value in variables.items()},
                       "planned_values": {"root_module": {}}})


def queue_findings(result):
    return [(f["file"], f["line"], f["rule"], f["resource"]) for f in json.loads(result.stdout)["findings"]
            if f["rule"] in ("LL6001", "LL0001")]


def unchecked_reasons(result):
    return [(entry["resource"], entry["reason"]) for entry in json.loads(result.stdout)["summary"]["unchecked"]]


# -- which root module takes the plan -----------------------------------------------------------

def test_the_only_root_module_takes_the_plan_wherever_it_is():
    assert root_for_plan("/elsewhere/plan.json", ["/repo/infra"]) == "/repo/infra"


def test_of_several_root_modules_the_one_holding_the_plan_takes_it():
    roots = ["/repo/live", "/repo/live/prod", "/repo/live/staging"]
    assert root_for_plan("/repo/live/prod/plan.json", roots) == "/repo/live/prod"
    assert root_for_plan("/repo/live/prod/plans/today.json", roots) == "/repo/live/prod"
    assert root_for_plan("/repo/live/plan.json", roots) == "/repo/live"
    with pytest.raises(PlanTargetError):  # a folder whose name starts like a root's is not in it
        root_for_plan("/repo/live/prod-old/plan.json", roots[1:])


def test_a_plan_outside_several_root_modules_is_refused_with_what_to_do():
    with pytest.raises(PlanTargetError) as raised:
        root_for_plan("/tmp/plan.json", ["/repo/a", "/repo/b"])
    assert str(raised.value) == (
        "--terraform-plan /tmp/plan.json: 2 Terraform root modules are checked (/repo/a, /repo/b) and the plan "
        "file is in none of their folders: check the one root module it was made for (lambdalint check /repo/a "
        "--terraform-plan ...) or put the plan file in its folder")


def test_an_ambiguous_plan_is_a_usage_error(cwd):
    write(cwd / "prod/main.tf", WORKER)
    write(cwd / "staging/main.tf", WORKER)
    write(cwd / "plan.json", plan_document({"timeout": 60}), PLANNED)
    result = run("check", ".", "--terraform-plan", "plan.json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("lambdalint: error: --terraform-plan plan.json: 2 Terraform root modules "
                                    "are checked (prod, staging)")
    chosen = run("check", "prod", "--terraform-plan", "plan.json", "--format", "json")
    assert queue_findings(chosen) == [("prod/main.tf", 19, "LL6001", "aws_lambda_event_source_mapping.jobs")]


def test_a_plan_with_no_root_module_in_the_run_is_said(cwd):
    write(cwd / "template.yaml", "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n")
    write(cwd / "plan.json", plan_document({}), PLANNED)
    result = run("check", "template.yaml", "--terraform-plan", "plan.json")
    assert result.exit_code == 0
    assert ("lambdalint: warning: --terraform-plan plan.json: no Terraform root module in the checked paths: "
            "the plan is not read") in result.stderr
    assert "--terraform-plan" not in run("check", "template.yaml", "--terraform-plan", "plan.json", "-q").stderr


def test_a_missing_plan_file_is_a_usage_error_and_a_file_not_a_plan_is_ll0001(cwd):
    write(cwd / "infra/main.tf", WORKER)
    assert run("check", "infra", "--terraform-plan", "nothing.json").exit_code == 2
    write(cwd / "notes.json", '{"a": 1}', PLANNED)
    result = run("check", "infra", "--terraform-plan", "notes.json", "--format", "json")
    assert result.exit_code == 1
    assert queue_findings(result) == [("notes.json", 1, "LL0001", None)]


def test_the_config_key_is_relative_to_the_config_file(cwd):
    write(cwd / "infra/main.tf", WORKER)
    write(cwd / "plans/prod.json", plan_document({"timeout": 60}), PLANNED)
    write(cwd / ".lambdalint.yaml", "terraform-plan: plans/prod.json\n")
    os.chdir(cwd / "infra")
    assert queue_findings(run("check", ".", "--format", "json")) == [
        ("main.tf", 19, "LL6001", "aws_lambda_event_source_mapping.jobs")]


# -- the plan's variables -------------------------------------------------------------------------

def test_a_variable_known_only_to_the_plan_makes_the_finding(cwd):
    write(cwd / "infra/main.tf", WORKER)
    write(cwd / "plan.json", plan_document({"timeout": 60}), PLANNED)
    assert queue_findings(run("check", "infra", "--format", "json")) == []
    with_plan = run("check", "infra", "--terraform-plan", "plan.json", "--format", "json")
    assert queue_findings(with_plan) == [("infra/main.tf", 19, "LL6001", "aws_lambda_event_source_mapping.jobs")]
    short = run("check", "infra", "--terraform-plan", "plan.json", "-p", "timeout=20", "--format", "json")
    assert queue_findings(short) == []  # --parameter wins over the plan


def test_a_plan_beside_the_tf_files_gives_its_variables_too(cwd):
    write(cwd / "infra/main.tf", WORKER)
    write(cwd / "infra/plan.json", plan_document({"timeout": 60}), PLANNED)
    assert queue_findings(run("check", "infra", "--format", "json")) == [
        ("infra/main.tf", 19, "LL6001", "aws_lambda_event_source_mapping.jobs")]


def test_a_stale_plan_gives_no_variables_and_says_so(cwd):
    write(cwd / "infra/main.tf", WORKER, PLANNED + 10)
    write(cwd / "plan.json", plan_document({"timeout": 60}), PLANNED)
    result = run("check", "infra", "--terraform-plan", "plan.json", "--format", "json")
    assert queue_findings(result) == []
    assert ("plan.json", "terraform-plan-stale") in unchecked_reasons(result)


def test_a_plan_variable_equal_to_the_tfvars_keeps_the_tfvars_line(cwd):
    write(cwd / "infra/main.tf", WORKER)
    write(cwd / "infra/terraform.tfvars", "timeout = 60\n")
    write(cwd / "plan.json", plan_document({"timeout": 60}), PLANNED)
    found = json.loads(run("check", "infra", "--terraform-plan", "plan.json", "--format", "json").stdout)
    assert [(f["file"], f["line"]) for f in found["findings"] if f["rule"] == "LL2011" or f["rule"] == "LL6001"] \
        == [("infra/main.tf", 19)]
    tfvars = load_configuration(str(cwd / "infra"), planned={"timeout": 60})
    worker = next(block for block in tfvars.blocks if block.address == "aws_lambda_function.worker")
    assert worker.positions[("timeout",)].file.endswith("terraform.tfvars")


def test_a_plan_variable_other_than_the_tfvars_wins_and_lands_at_the_argument(cwd):
    write(cwd / "infra/main.tf", WORKER)
    write(cwd / "infra/terraform.tfvars", "timeout = 10\n")
    loaded = load_configuration(str(cwd / "infra"), planned={"timeout": "60"})  # -var: text, as declared a number
    worker = next(block for block in loaded.blocks if block.address == "aws_lambda_function.worker")
    assert worker.values["timeout"] == 60
    assert worker.positions[("timeout",)].file.endswith("main.tf") and worker.positions[("timeout",)].line == 11


# -- against terraform's own plan -----------------------------------------------------------------

def test_the_real_plan_variables_make_the_evaluation_terraforms(tmp_path):
    """Without terraform.tfvars the defaults plan one function; the plan was made with the tfvars'
    two (orders, payments) and stage prod: given the plan, lambdalint evaluates what terraform did."""
    folder = copy_fixture("terraform/modules", tmp_path)
    tfvars = os.path.join(folder, "terraform.tfvars")
    os.remove(tfvars)
    plan = os.path.join(tmp_path, "modules.plan.json")
    os.rename(os.path.join(folder, "plan.json"), plan)
    os.utime(plan, (PLANNED, PLANNED))
    for dirpath, _, names in os.walk(folder):
        for name in names:
            os.utime(os.path.join(dirpath, name), (CODED, CODED))
    planned = read_plan(plan)
    defaults = {block.address for block in read_root_module(folder, {}, folder).lowering.configuration.blocks}
    given = read_root_module(folder, {}, folder, plan_file=plan).lowering.configuration
    assert 'module.fn["payments"].terraform_data.function' not in defaults
    assert {block.address for block in given.blocks} == set(planned.resources)
    orders = next(block for block in given.blocks if block.address == 'module.fn["orders"].terraform_data.function')
    assert orders.values["input"]["function_name"] == "shop-prod-orders"
    assert orders.values["input"]["memory_size"] == 512


def test_the_library_takes_the_plan_from_the_config(tmp_path):
    folder = copy_fixture("terraform/unknowns", tmp_path)
    plan = os.path.join(tmp_path, "elsewhere.json")
    os.rename(os.path.join(folder, "plan.json"), plan)
    os.utime(plan, (PLANNED, PLANNED))
    report = Linter(Config(terraform_plan=plan)).lint_paths([folder])
    assert report.findings == () and report.files == 1
