"""Baselines: --write-baseline accepts today's findings, --baseline reports only new ones."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from lambdalint import baseline
from lambdalint.cli import main
from lambdalint.findings import Artifact, Finding, Severity

# LL0003 (dangling references) is an engine-owned rule that is stable while other
# rule families are still being written; selecting it alone keeps these tests
# about baselines, not about which rules exist today.
SELECT = ["--select", "LL0003", "--fail-level", "warning"]

TWO_DEFECTS = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt MissingQueue.Arn
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref MissingKey
"""

# the same two resources, Topic first, with extra lines: every line number changes
MOVED = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: resources reordered and pushed down
Parameters:
  Stage:
    Type: String
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref MissingKey
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt MissingQueue.Arn
"""

NEW_DEFECT = MOVED + """\
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmActions:
        - !Ref MissingTopic
"""


def run(args, cwd):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = runner.invoke(main, ["check", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result


def report(args, cwd):
    result = run([*args, "--format", "json"], cwd)
    findings = json.loads(result.stdout)["findings"]
    return result.exit_code, [(f["rule"], f["resource"], f["line"]) for f in findings]


def test_write_then_rerun_is_clean_and_baseline_is_stable(tmp_path):
    (tmp_path / "template.yaml").write_text(TWO_DEFECTS)
    code, before = report(SELECT + ["template.yaml"], tmp_path)
    assert code == 1 and len(before) == 2

    written = run(SELECT + ["template.yaml", "--write-baseline", "baseline.json"], tmp_path)
    assert written.exit_code == 0
    assert "wrote 2 finding(s)" in written.stderr
    text = (tmp_path / "baseline.json").read_text()
    document = json.loads(text)
    assert document["version"] == 1
    assert [e["resource"] for e in document["findings"]] == ["Queue", "Topic"]  # sorted
    assert all("line" not in e for e in document["findings"])

    assert report(SELECT + ["template.yaml", "--baseline", "baseline.json"], tmp_path) == (0, [])

    # writing again gives the same bytes
    run(SELECT + ["template.yaml", "--write-baseline", "baseline.json"], tmp_path)
    assert (tmp_path / "baseline.json").read_text() == text


def test_moved_resources_keep_their_fingerprints(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(TWO_DEFECTS)
    run(SELECT + ["template.yaml", "--write-baseline", "baseline.json"], tmp_path)
    template.write_text(MOVED)
    assert report(SELECT + ["template.yaml"], tmp_path)[0] == 1  # the findings are still there...
    assert report(SELECT + ["template.yaml", "--baseline", "baseline.json"], tmp_path) == (0, [])  # ...and accepted


def test_only_the_new_defect_is_reported(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(TWO_DEFECTS)
    run(SELECT + ["template.yaml", "--write-baseline", "baseline.json"], tmp_path)
    template.write_text(NEW_DEFECT)
    code, found = report(SELECT + ["template.yaml", "--baseline", "baseline.json"], tmp_path)
    assert code == 1
    assert found == [("LL0003", "Alarm", 20)]


def test_fixed_finding_disappears_and_does_not_hide_others(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(TWO_DEFECTS)
    run(SELECT + ["template.yaml", "--write-baseline", "baseline.json"], tmp_path)
    # Topic fixed; a new Topic defect elsewhere in the same resource is new
    template.write_text(TWO_DEFECTS.replace("KmsMasterKeyId: !Ref MissingKey", "TopicName: !Ref MissingName"))
    code, found = report(SELECT + ["template.yaml", "--baseline", "baseline.json"], tmp_path)
    assert (code, found) == (1, [("LL0003", "Topic", 11)])


def sub_template(count):
    names = "-".join("${Missing%d}" % i for i in range(count))
    return f"Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub \"{names}\"\n"


def test_baseline_counts_identical_fingerprints(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(sub_template(2))
    run(SELECT + ["template.yaml", "--write-baseline", "baseline.json"], tmp_path)
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert [e["count"] for e in entries] == [2]
    template.write_text(sub_template(3))
    code, found = report(SELECT + ["template.yaml", "--baseline", "baseline.json"], tmp_path)
    assert (code, found) == (1, [("LL0003", "Topic", 5)])


def test_baseline_works_from_another_folder(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "template.yaml").write_text(TWO_DEFECTS)
    run(SELECT + ["infra/template.yaml", "--write-baseline", "baseline.json"], tmp_path)
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert {e["file"] for e in entries} == {"infra/template.yaml"}
    # the same files seen from inside infra/: names differ, fingerprints do not
    assert report(SELECT + ["template.yaml", "--baseline", "../baseline.json"], tmp_path / "infra") == (0, [])


def test_config_baseline_key_is_relative_to_the_config_file(tmp_path):
    (tmp_path / "template.yaml").write_text(TWO_DEFECTS)
    (tmp_path / "lint").mkdir()
    run(SELECT + ["template.yaml", "--write-baseline", "lint/accepted.json"], tmp_path)
    (tmp_path / "lint" / "config.yaml").write_text("baseline: accepted.json\n")
    assert report(SELECT + ["template.yaml", "--config", "lint/config.yaml"], tmp_path) == (0, [])


@pytest.mark.parametrize("content, expected", [
    (None, "not found"),
    ("{not json", "cannot read baseline"),
    ('{"version": 99, "findings": []}', "not a version 1"),
    ('{"version": 1, "findings": [{"file": "x"}]}', "entry 0 is malformed"),
])
def test_unreadable_baseline_is_a_usage_error(tmp_path, content, expected):
    (tmp_path / "template.yaml").write_text(TWO_DEFECTS)
    if content is not None:
        (tmp_path / "baseline.json").write_text(content)
    result = run(SELECT + ["template.yaml", "--baseline", "baseline.json"], tmp_path)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def finding(rule="LL1001", file="t.yaml", resource="Fn", path=("Resources", "Fn"), line=3, member=None):
    return Finding(file=file, line=line, column=1, rule=rule, severity=Severity.ERROR, message="m",
                   resource=resource, path=path, artifact=Artifact("code.zip", member) if member else None)


def test_fingerprint_ignores_line_and_message_but_not_identity(tmp_path):
    root = str(tmp_path)
    base = baseline.fingerprint(finding(), root)
    assert baseline.fingerprint(finding(line=99), root) == base
    assert baseline.fingerprint(finding(rule="LL1002"), root) != base
    assert baseline.fingerprint(finding(file="u.yaml"), root) != base
    assert baseline.fingerprint(finding(resource="Other"), root) != base
    assert baseline.fingerprint(finding(path=("Resources", "Fn", "Properties")), root) != base
    assert baseline.fingerprint(finding(member="a.py"), root) != baseline.fingerprint(finding(member="b.py"), root)


KEYS = st.sampled_from([("LL1001", "Fn"), ("LL1001", "Other"), ("LL2002", "Fn"), ("LL0003", None)])


@pytest.mark.slow
@given(before=st.lists(KEYS, max_size=8), now=st.lists(KEYS, max_size=8))
def test_new_findings_are_the_multiset_difference(tmp_path_factory, before, now):
    folder = tmp_path_factory.mktemp("baseline")
    baseline_file = str(folder / "baseline.json")
    baseline.write([finding(rule=r, resource=res, line=i) for i, (r, res) in enumerate(before)], baseline_file)
    current = [finding(rule=r, resource=res, line=100 + i) for i, (r, res) in enumerate(now)]
    new = baseline.new_findings(current, baseline_file)
    expected = Counter(now) - Counter(before)
    assert Counter((f.rule, f.resource) for f in new) == expected
    # the new ones keep their original order
    assert [f.line for f in new] == sorted(f.line for f in new)


PACKAGE_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""


def package_project(root):
    (root / "infra" / "src" / "__pycache__").mkdir(parents=True)
    (root / "infra" / "template.yaml").write_text(PACKAGE_TEMPLATE)
    (root / "infra" / "src" / "app.py").write_text("def handler(event, context):\n    return 1\n")
    (root / "infra" / "src" / ".DS_Store").write_bytes(b"\0" * 16)
    (root / "infra" / "src" / "__pycache__" / "app.cpython-312.pyc").write_bytes(b"\0" * 16)


PACKAGE_SELECT = ["--select", "LL1011", "--fail-level", "info"]


@pytest.mark.parametrize("writer, reader", [("", "infra"), ("infra", ""), ("infra", "infra/src")])
def test_package_findings_stay_accepted_from_another_folder(tmp_path, writer, reader):
    package_project(tmp_path)
    (tmp_path / "lint").mkdir()
    baseline_file = str(tmp_path / "lint" / "baseline.json")
    template = str(tmp_path / "infra" / "template.yaml")
    code, found = report(PACKAGE_SELECT + [os.path.relpath(template, tmp_path / writer)], tmp_path / writer)
    assert code == 1 and found  # the dead weight is found before it is accepted
    run(PACKAGE_SELECT + [template, "--write-baseline", baseline_file], tmp_path / writer)
    entries = json.loads((tmp_path / "lint" / "baseline.json").read_text())["findings"]
    assert entries and all(entry["member"].startswith("../infra/src!") for entry in entries)
    assert report(PACKAGE_SELECT + [template, "--baseline", baseline_file], tmp_path / reader) == (0, [])


@pytest.mark.parametrize("option", [["--format", "sarif"], ["-f", "json"], ["--output", "report.txt"], ["-o", "r.sarif"]])
def test_write_baseline_refuses_a_report_option_instead_of_ignoring_it(tmp_path, option):
    (tmp_path / "template.yaml").write_text(TWO_DEFECTS)
    result = run(SELECT + ["template.yaml", "--write-baseline", "baseline.json", *option], tmp_path)
    assert result.exit_code == 2
    assert "--write-baseline cannot be combined with --" + ("format" if option[0] in ("-f", "--format") else "output") in result.stderr
    assert not (tmp_path / "baseline.json").exists() and not (tmp_path / option[1]).exists()


def test_a_known_origin_name_keys_the_fingerprint_not_the_logical_id(tmp_path):
    """CDK regenerates logical IDs (OrdersFnC7735A71 -> OrdersFn0123ABCD); the construct path stays."""
    from lambdalint.findings import Finding, Origin, Severity

    first = Finding(file="lib/stack.ts", line=3, column=5, rule="LL1004", severity=Severity.ERROR, message="m",
                    resource="OrdersFnC7735A71", path=("Resources", "OrdersFnC7735A71"),
                    origin=Origin("cdk", "HandlerStack/OrdersFn"))
    renamed = first.replace(resource="OrdersFn0123ABCD", path=("Resources", "OrdersFn0123ABCD"), line=9)
    root = str(tmp_path)
    assert baseline.fingerprint(first, root).resource == "HandlerStack/OrdersFn"
    assert baseline.fingerprint(renamed, root) == baseline.fingerprint(first, root)
    assert baseline.fingerprint(first.replace(origin=None), root).resource == "OrdersFnC7735A71"
