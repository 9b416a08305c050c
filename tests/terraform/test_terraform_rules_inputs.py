"""Which rules run on Terraform: `lambdalint rules`, `explain`, docs/rules.md, and the run itself."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lambdalint.api import Linter
from lambdalint.cli import main
from lambdalint.frontends.terraform import read
from lambdalint.registry import load_registry
from lambdalint.rule_inputs import NOT_ON_TERRAFORM
from terraform_blocks import block, configuration


def test_every_rule_not_on_terraform_exists_and_most_rules_run_on_it():
    ids = {rule.id for rule in load_registry()}
    assert set(NOT_ON_TERRAFORM) <= ids
    assert len(ids - set(NOT_ON_TERRAFORM)) >= len(ids) * 0.85


def test_rules_lists_the_inputs():
    text = CliRunner().invoke(main, ["rules"]).stdout
    lines = {line.split()[0]: line.split()[2] for line in text.splitlines() if line.startswith("LL")}
    assert lines["LL3005"] == "cfn" and lines["LL6001"] == "cfn+tf"
    rows = {row["id"]: row["inputs"] for row in json.loads(CliRunner().invoke(main, ["rules", "-f", "json"]).stdout)}
    assert rows["LL3006"] == ["cloudformation"] and rows["LL6001"] == ["cloudformation", "terraform"]


def test_explain_says_why_a_rule_does_not_run_on_terraform():
    assert "Runs on: CloudFormation only. Not on Terraform: it checks what the SAM transform accepts." \
        in CliRunner().invoke(main, ["explain", "LL0006"]).stdout
    assert "Runs on: CloudFormation and Terraform." in CliRunner().invoke(main, ["explain", "LL6001"]).stdout


def test_a_terraform_run_leaves_out_the_cloudformation_rules():
    # CodeSha256 unknown keeps LL3005 quiet anyway; a literal description would not, were it run
    published = block("aws_lambda_function.f", function_name="f", runtime="python3.12", handler="a.b",
                      s3_bucket="b", s3_key="k", publish=True)
    rules = {f.rule for f in Linter().check_configuration(read.prepared(configuration(published))).findings}
    assert not rules & set(NOT_ON_TERRAFORM)
