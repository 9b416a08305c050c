"""--parameter and --image name things in the templates: a name no template has, or a value
its declaration refuses, is said on stderr (an unknown --image ID: exit 2 with the IDs that exist)."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.cli import main
from lambdalint.declared import Declared, _spec, parameter_problem

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Timeout: {Type: Number, Default: 30, MinValue: 1, MaxValue: 900}
  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Sizes: {Type: List<Number>, Default: '1,2'}
  Names: {Type: CommaDelimitedList, Default: 'a,b', AllowedPattern: '[a-z]+'}
  Bucket: {Type: String, Default: b, MinLength: 3, MaxLength: 63}
Resources:
  ZipFn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k, S3ObjectVersion: '1'}
      Timeout: !Ref Timeout
  ImageFn:
    Type: AWS::Lambda::Function
    Properties:
      PackageType: Image
      Role: arn:aws:iam::123456789012:role/r
      Code: {ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1}
  SamImageFn:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:2
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, ["check", "template.yaml", "--fail-level", "none", "--format", "json", *args],
                              catch_exceptions=False)


def warnings_of(result):
    return [line for line in result.stderr.splitlines() if line.startswith("lambdalint: warning: --")]


def test_a_parameter_no_template_declares_is_a_warning_once(project):
    result = run("-p", "Nope=1", "-p", "Timeout=30")
    assert result.exit_code == 0
    assert warnings_of(result) == ["lambdalint: warning: --parameter Nope: no template declares a parameter Nope"]
    assert json.loads(result.stdout)["summary"]["files"] == 1  # the run went on


@pytest.mark.parametrize("option, problem", [
    ("Timeout=abc", "'abc' is not a number (Type: Number)"),
    ("Timeout=0", "'0' is below MinValue 1"),
    ("Timeout=901", "'901' is above MaxValue 900"),
    ("Stage=staging", "'staging' is not one of the AllowedValues (dev, prod)"),
    ("Sizes=1,x", "'x' is not a number (Type: List<Number>)"),
    ("Names=a,B", "'B' does not match the AllowedPattern [a-z]+"),
    ("Bucket=ab", "'ab' is shorter than MinLength 3"),
])
def test_a_value_the_declaration_refuses_is_a_warning(project, option, problem):
    result = run("-p", option)
    assert result.exit_code == 0
    assert warnings_of(result) == [f"lambdalint: warning: --parameter {option}: {problem}"]


@pytest.mark.parametrize("option", ["Timeout=60", "Timeout=2.5", "Stage=prod", "Sizes=1, 2", "Names=a,b", "Bucket=abc"])
def test_a_value_the_declaration_accepts_is_silent(project, option):
    assert warnings_of(run("-p", option)) == []


def test_quiet_silences_the_parameter_warnings(project):
    assert warnings_of(run("-p", "Nope=1", "--quiet")) == []


def test_an_unknown_image_id_is_a_usage_error_naming_the_image_functions(project):
    (project / "image.tar").write_bytes(b"")
    result = run("--image", "Typo=image.tar")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("lambdalint: error: --image Typo: no image function Typo in the checked templates "
                             "(image functions: ImageFn, SamImageFn)\n")
    assert run("--image", "ZipFn=image.tar").exit_code == 2  # a zip function takes no image
    assert "--image" not in run("--image", "ImageFn=image.tar").stderr


def test_an_image_id_is_only_a_warning_when_a_template_could_not_be_read(project):
    (project / "broken.yaml").write_text("Resources: [\n")
    result = CliRunner().invoke(main, ["check", "template.yaml", "broken.yaml", "--fail-level", "none",
                                       "--image", "Typo=x.tar"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "lambdalint: warning: --image Typo: no image function Typo" in result.stderr


def test_names_are_gathered_across_projects_and_the_process_pool(tmp_path, monkeypatch):
    for index in range(20):  # enough files for a pool with -j 2
        folder = tmp_path / f"p{index % 2}"
        folder.mkdir(exist_ok=True)
        text = TEMPLATE.replace("Timeout:", f"Timeout{index}:", 1) if index else TEMPLATE
        (folder / f"t{index}.yaml").write_text(text)
    (tmp_path / "p1" / ".lambdalint.yaml").write_text("select: [LL2]\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "p0", "p1", "-j", "2", "--fail-level", "none", "-p", "Timeout19=5",
                                       "-p", "Timeout=7", "-p", "Absent=1", "--image", "SamImageFn=x.tar"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert warnings_of(result) == ["lambdalint: warning: --parameter Absent: no template declares a parameter Absent"]


def test_config_parameters_are_not_judged_a_monorepo_config_serves_many_templates(project):
    (project / ".lambdalint.yaml").write_text("parameters:\n  Elsewhere: x\n")
    assert warnings_of(run()) == []


NUMBER = _spec({"Type": "Number"})


@given(st.integers(min_value=-10**6, max_value=10**6) | st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_every_number_is_a_number(value):
    assert parameter_problem(str(value), NUMBER) is None


@given(st.text(alphabet="abcxyz_-", min_size=1))
def test_words_are_not_numbers(value):
    assert parameter_problem(value, NUMBER) == f"{value!r} is not a number (Type: Number)"


def test_an_intrinsic_or_malformed_declaration_constrains_nothing():
    spec = _spec({"Type": "Number", "MinValue": {"Ref": "X"}, "AllowedValues": "dev"})
    assert parameter_problem("5", spec) is None
    assert parameter_problem("anything", _spec("not a mapping")) is None
    assert parameter_problem("x", _spec({"Type": "String", "AllowedPattern": "(?<=java-only"})) is None
    assert Declared().merged(None) == Declared()
