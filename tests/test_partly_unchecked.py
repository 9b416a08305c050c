"""Functions whose own code is read but part of what Lambda runs is not (issue 15, item 13).

A layer named by ARN is published elsewhere: its content is not in the project, so sizes,
binaries and layout leave it out. The run says so once per function, in `summary.unchecked`
and in the text line after the summary, never as a finding.
"""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from lambdalint.cli import main

ARN = "arn:aws:lambda:us-east-1:123456789012:layer:deps:3"


def project(tmp_path, layers: str, code: str = "src/") -> str:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return event\n")
    (tmp_path / "layer" / "python").mkdir(parents=True)
    (tmp_path / "layer" / "python" / "lib.py").write_text("VALUE = 1\n")
    (tmp_path / "template.yaml").write_text(f"""\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  LocalLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {code}
      Handler: app.handler
      Runtime: python3.12
      Layers: {layers}
  Plain:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
""")
    return str(tmp_path / "template.yaml")


def check(template: str, *args: str):
    result = CliRunner().invoke(main, ["check", *args, template])
    assert result.exit_code in (0, 1), result.output
    return result


def unchecked(template: str):
    report = json.loads(check(template, "--format", "json").stdout)
    return [(entry["resource"], entry["reason"]) for entry in report["summary"]["unchecked"]]


def test_a_layer_given_by_arn_is_said_once_for_its_function(tmp_path):
    template = project(tmp_path, f"[{ARN}]")
    assert unchecked(template) == [("Fn", "layer-not-in-template")]
    assert check(template).stdout.splitlines()[-1] == (
        "code not inspected for 1 of 2 functions: 1 with a layer not in the template (ARN)")


def test_several_arns_still_count_the_function_once(tmp_path):
    template = project(tmp_path, f"[{ARN}, {ARN[:-1]}4, !Ref LocalLayer]")
    assert unchecked(template) == [("Fn", "layer-not-in-template")]


def test_a_layer_of_the_template_is_read_and_not_listed(tmp_path):
    assert unchecked(project(tmp_path, "[!Ref LocalLayer]")) == []


def test_code_in_s3_keeps_its_own_reason_only(tmp_path):
    template = project(tmp_path, f"[{ARN}]", code="s3://bucket/code.zip")
    assert unchecked(template) == [("Fn", "s3-object")]


def test_a_stale_sam_build_is_said_once_per_function(tmp_path):
    template = project(tmp_path, "[!Ref LocalLayer]")
    build = tmp_path / ".aws-sam" / "build"
    build.mkdir(parents=True)
    (build / "template.yaml").write_text((tmp_path / "template.yaml").read_text())
    os.utime(build / "template.yaml", (1_000_000_000, 1_000_000_000))  # built long before the last edit
    assert unchecked(template) == [("Fn", "sam-build-stale"), ("Plain", "sam-build-stale")]
    assert check(template).stdout.splitlines()[-1] == (
        "code not inspected for 2 of 2 functions: 2 read from source: .aws-sam/build older than the template")
