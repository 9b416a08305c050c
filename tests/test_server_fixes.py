"""The editor server's quick fixes (lambdalint.server.fixes) on the text they edit, and its cache
(lambdalint.server.session): no protocol, no process."""

from __future__ import annotations

import json
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.model import packages as packages_model
from lambdalint.server import fixes
from lambdalint.server.session import Session


def fixed(tmp_path, name: str, text: str, rule: str, config: str = ""):
    """[(title, text after the fix, rules found in it)] for the findings of `rule` in `text`, linted
    with the project configuration `config` (besides LL8002, log retention, ignored: not the point)."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / ".lambdalint.yaml").write_text("ignore: [LL8002]\n" + config, encoding="utf-8")
    path = str(tmp_path / name)
    session = Session([str(tmp_path)])
    lint = session.open(path, text)[path]
    found = []
    for finding in lint.findings:
        if finding.rule != rule:
            continue
        for fix in fixes.fixes_for(finding, path, text, session.settings_of(path),
                                   lambda edited: session.relinted(path, edited), lint.findings):
            after = fixes.applied(text, fix.edits)
            found.append((fix.title, after, sorted(f.rule for f in session.relinted(path, after))))
    return found


def queue_template(queue_properties: str, timeout: int = 60, worker_metadata: str = "") -> str:
    return f"""\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Jobs:
    Type: AWS::SQS::Queue
{queue_properties}  Worker:
    Type: AWS::Lambda::Function
{worker_metadata}    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code: {{ZipFile: "def handler(event, context): pass"}}
      Timeout: {timeout}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Worker
      EventSourceArn: !GetAtt Jobs.Arn
"""


RAISE_TO_360 = "Raise the visibility timeout of queue Jobs to 360 s (6 x the function timeout, as AWS advises)"
REDRIVE = "      RedrivePolicy: {deadLetterTargetArn: arn:aws:sqs:us-east-1:123456789012:dead, maxReceiveCount: 5}\n"


def test_ll6001_raises_a_literal_visibility_timeout_to_six_times_the_function_timeout(tmp_path):
    text = queue_template("    Properties:\n      VisibilityTimeout: 30  # seconds\n" + REDRIVE)
    found = fixed(tmp_path, "template.yaml", text, "LL6001")
    titles = [title for title, _, _ in found]
    assert titles == [RAISE_TO_360, "Suppress LL6001 on Mapping (Metadata ignore with a reason)"]
    assert found[0][1] == text.replace("VisibilityTimeout: 30  # seconds", "VisibilityTimeout: 360  # seconds")
    assert found[0][2] == [] and found[1][2] == []


def test_ll6001_adds_the_visibility_timeout_when_the_queue_has_none(tmp_path):
    text = queue_template("    Properties:\n" + REDRIVE)
    title, after, left = fixed(tmp_path, "template.yaml", text, "LL6001")[0]
    assert after == text.replace("    Properties:\n" + REDRIVE,
                                 "    Properties:\n      VisibilityTimeout: 360\n" + REDRIVE)
    assert left == []


def test_ll6001_counts_the_batching_window_and_every_function_of_the_queue(tmp_path):
    text = queue_template("    Properties:\n      VisibilityTimeout: 30\n" + REDRIVE).replace(
        "      EventSourceArn: !GetAtt Jobs.Arn\n",
        "      EventSourceArn: !GetAtt Jobs.Arn\n      MaximumBatchingWindowInSeconds: 20\n")
    _, after, left = fixed(tmp_path, "template.yaml", text, "LL6001")[0]
    assert "VisibilityTimeout: 380\n" in after and left == []


@pytest.mark.parametrize("factor, wanted", [(8, 480), (2, 120)])
def test_ll6001_offers_the_factor_of_the_projects_limits(tmp_path, factor, wanted):
    text = queue_template("    Properties:\n      VisibilityTimeout: 30\n" + REDRIVE)
    config = f"limits:\n  sqs_visibility_timeout_function_timeout_factor: {factor}\n"
    title, after, left = fixed(tmp_path, "template.yaml", text, "LL6001", config)[0]
    assert title == (f"Raise the visibility timeout of queue Jobs to {wanted} s "
                     f"({factor} x the function timeout, as AWS advises)")
    assert after == text.replace("VisibilityTimeout: 30\n", f"VisibilityTimeout: {wanted}\n")
    assert left == []  # LL6002 with that factor is content too


def test_ll6001_leaves_a_visibility_timeout_that_is_not_a_literal(tmp_path):
    text = queue_template("    Properties:\n      VisibilityTimeout: !Ref Visibility\n" + REDRIVE).replace(
        "Resources:\n", "Parameters:\n  Visibility: {Type: Number, Default: 30}\nResources:\n")
    assert [title for title, _, _ in fixed(tmp_path, "template.yaml", text, "LL6001")] == [
        "Suppress LL6001 on Mapping (Metadata ignore with a reason)"]


def test_json_template_fixes(tmp_path):
    template = {"Resources": {
        "Jobs": {"Type": "AWS::SQS::Queue"},
        "Worker": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/worker",
            "Code": {"ZipFile": "def handler(event, context): pass"}, "Timeout": 60}},
        "Mapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
            "FunctionName": {"Ref": "Worker"}, "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]}}}}}
    text = json.dumps(template, indent=2) + "\n"
    found = fixed(tmp_path, "template.json", text, "LL6001")
    assert [title for title, _, _ in found] == [
        RAISE_TO_360,
        "Suppress LL6001 on Mapping (Metadata ignore with a reason)"]
    raised = json.loads(found[0][1])["Resources"]["Jobs"]
    assert raised == {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 360}}
    assert "LL6001" not in found[0][2]
    suppressed = json.loads(found[1][1])["Resources"]["Mapping"]
    assert suppressed["Metadata"] == {"lambdalint": {"ignore": ["LL6001"],
                                                     "reason": "TODO say why LL6001 does not apply here"}}
    assert "LL6001" not in found[1][2]


@pytest.mark.parametrize("metadata, expected", [
    ("    Metadata:\n      owner: team-a\n",
     "    Metadata:\n      lambdalint:\n        ignore: [LL6001]\n"
     "        reason: TODO say why LL6001 does not apply here\n      owner: team-a\n"),
    ("    Metadata:\n      lambdalint:\n        ignore: [LL5002]\n        reason: legacy\n",
     "    Metadata:\n      lambdalint:\n        ignore: [LL5002, LL6001]\n        reason: legacy\n"),
    ("    Metadata:\n      lambdalint:\n        ignore:\n          - LL5002\n        reason: legacy\n",
     "    Metadata:\n      lambdalint:\n        ignore:\n          - LL5002\n          - LL6001\n"
     "        reason: legacy\n"),
    ("    Metadata:\n      lambdalint:\n        reason: legacy\n",
     "    Metadata:\n      lambdalint:\n        ignore: [LL6001]\n        reason: legacy\n"),
])
def test_the_suppression_joins_the_metadata_already_there(tmp_path, metadata, expected):
    text = queue_template("    Properties: {VisibilityTimeout: 30}\n", worker_metadata="").replace(
        "  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n",
        "  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n" + metadata)
    found = dict((title, (after, left)) for title, after, left in fixed(tmp_path, "template.yaml", text, "LL6001"))
    after, left = found["Suppress LL6001 on Mapping (Metadata ignore with a reason)"]
    assert after == text.replace(metadata, expected)
    assert "LL6001" not in left


def test_terraform_suppression_is_a_comment_above_the_line(tmp_path):
    text = ('resource "aws_lambda_function" "worker" {\n  function_name = "worker"\n'
            '  role = "arn:aws:iam::123456789012:role/worker"\n  runtime = "python3.7"\n  handler = "index.handler"\n'
            '  s3_bucket = "code"\n  s3_key = "worker.zip"\n  s3_object_version = "3"\n}\n')
    [(title, after, left)] = fixed(tmp_path, "main.tf", text, "LL2006")
    assert title == "Suppress LL2006 on aws_lambda_function.worker (# lambdalint:ignore comment with a reason)"
    assert after == text.replace('  runtime = "python3.7"\n',
                                 '  # lambdalint:ignore LL2006 TODO say why LL2006 does not apply here\n'
                                 '  runtime = "python3.7"\n')
    assert "LL2006" not in left


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(timeout=st.integers(min_value=2, max_value=900), data=st.data())
def test_ll6001_fix_always_leaves_the_queue_clean(tmp_path_factory, timeout, data):
    visibility = data.draw(st.integers(min_value=0, max_value=timeout - 1))
    text = queue_template(f"    Properties:\n      VisibilityTimeout: {visibility}\n" + REDRIVE, timeout=timeout)
    title, after, left = fixed(tmp_path_factory.mktemp("fix"), "template.yaml", text, "LL6001")[0]
    assert f"VisibilityTimeout: {6 * timeout}\n" in after
    assert [rule for rule in left if rule.startswith("LL6")] == []


def test_an_edit_to_one_template_reads_no_package_again(tmp_path, monkeypatch):
    """The package indexes stay between edits: editing a.yaml reopens neither its zip nor b.yaml's."""
    (tmp_path / ".git").mkdir()
    for name in ("a", "b"):
        with zipfile.ZipFile(tmp_path / f"{name}.zip", "w") as archive:
            archive.writestr("index.py", "def handler(event, context):\n    return 1\n")
        (tmp_path / f"{name}.yaml").write_text(_zip_template(name), encoding="utf-8")
    packages_model.reset_package_cache()
    import lambdalint.artifacts as artifacts

    opened = []
    real = artifacts.open_package
    monkeypatch.setattr(artifacts, "open_package", lambda path, **kw: opened.append(path) or real(path, **kw))
    session = Session([str(tmp_path)])
    for name in ("a", "b"):
        session.open(str(tmp_path / f"{name}.yaml"), _zip_template(name))
    assert sorted(opened) == [str(tmp_path / "a.zip"), str(tmp_path / "b.zip")]
    for timeout in (10, 11, 12):
        session.change(str(tmp_path / "a.yaml"), _zip_template("a", timeout))
    assert len(opened) == 2  # three edits, nothing read again
    with zipfile.ZipFile(tmp_path / "a.zip", "a") as archive:  # a rebuilt zip is read again, b's is not
        archive.writestr("extra.py", "x = 1\n")
    session.change(str(tmp_path / "a.yaml"), _zip_template("a", 13))
    assert opened[2:] == [str(tmp_path / "a.zip")]
    packages_model.reset_package_cache()


def test_an_unchanged_buffer_is_not_linted_again(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    session = Session([str(tmp_path)])
    path = str(tmp_path / "a.yaml")
    first = session.open(path, _zip_template("a"))
    calls = []
    monkeypatch.setattr(type(session), "_lint_with", lambda self, *args: calls.append(args) or {})
    assert session.change(path, _zip_template("a")) == first  # a save without edits
    assert calls == []


def _zip_template(name: str, timeout: int = 10) -> str:
    return (f"Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
            f"      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/fn\n"
            f"      Code: {name}.zip\n      Timeout: {timeout}\n")


def test_a_serverless_yml_buffer_is_compiled_from_its_text_and_other_yaml_is_nothing(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "handler.py").write_text("def main(event, context):\n    return 1\n", encoding="utf-8")
    (tmp_path / ".lambdalint.yaml").write_text("ignore: [LL8002]\n", encoding="utf-8")
    session = Session([str(tmp_path)])
    path = str(tmp_path / "serverless.yml")  # never saved: only the editor has it
    text = ("service: orders\nprovider:\n  name: aws\n  runtime: python3.7\n"
            "functions:\n  worker:\n    handler: handler.main\n")
    lint = session.open(path, text)[path]
    assert [(f.line, f.column, f.rule, f.shown_name) for f in lint.findings] == [(4, 3, "LL2006", "worker")]
    assert session.change(path, text.replace("python3.7", "python3.12"))[path].findings == ()
    other = str(tmp_path / "docker-compose.yml")
    assert session.open(other, "services:\n  web: {image: nginx}\n")[other].findings == ()
