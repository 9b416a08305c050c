"""Inputs the fuzzer (tests/test_fuzz_templates.py, tools/fuzz_campaign.py) once crashed a rule with.

Each is the shrunk example, kept as a plain test so the fix cannot regress even if the
fuzzer's strategies change. The property is the fuzzer's: no LL0007 from any rule.
"""

from __future__ import annotations

import datetime

from lambdalint.api import Linter
from lambdalint.config import Config

_LINTER = Linter(Config(select=("ALL",), today=datetime.date(2026, 11, 23)))


def internal_errors(text: str):
    return sorted(f.message for f in _LINTER.lint_text(text, "regression.yaml") if f.rule == "LL0007")


SAM_EVENT_TYPE_NOT_A_STRING = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: s3://b/k.zip
      Events:
        Listed:
          Type: [SQS]
          Properties: {Queue: !GetAtt Queue.Arn}
        Mapped:
          Type: {Ref: Kind}
  Queue:
    Type: AWS::SQS::Queue
"""


def test_sam_event_type_that_is_a_list_or_map_does_not_crash_the_role_model():
    """roles._event_documents looked the Type up in a dict: a list or map is unhashable (LL5001-5005, LL5014, LL6009)."""
    errors = internal_errors(SAM_EVENT_TYPE_NOT_A_STRING)
    assert not [e for e in errors if e.startswith(("rule LL5001", "rule LL5002", "rule LL5003", "rule LL5004",
                                                   "rule LL5014", "rule LL6009"))], errors


def test_sam_event_type_that_is_a_list_or_map_does_not_crash_event_source_permissions():
    """LL5005 looked the Type up in a dict."""
    assert not [e for e in internal_errors(SAM_EVENT_TYPE_NOT_A_STRING) if e.startswith("rule LL5005")]


def test_sam_event_type_that_is_a_list_or_map_does_not_crash_default_timeout():
    """LL2011 looked the Type up in a set."""
    assert internal_errors(SAM_EVENT_TYPE_NOT_A_STRING) == []


def test_edge_event_type_that_is_a_list_or_map_does_not_crash_edge_rules():
    """EdgeAssociation.is_viewer/is_origin looked a resolved EventType up in a set (LL7002, LL7005)."""
    text = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "exports.handler = async () => 1"}
  Version:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Fn}
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          LambdaFunctionAssociations:
            - EventType: [viewer-request]
              LambdaFunctionARN: !Ref Version
            - EventType: {origin: request}
              LambdaFunctionARN: !Ref Version
"""
    assert internal_errors(text) == []


def test_integer_too_large_for_a_float_is_reported_in_full():
    """`f"{number:g}"` raised OverflowError for a Timeout of 10**400 (LL2002) or EphemeralStorage.Size (LL2013)."""
    huge = 10 ** 400
    text = f"""\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: java21
      Handler: a.B::handle
      Role: arn:aws:iam::123456789012:role/r
      Code: {{S3Bucket: b, S3Key: k}}
      Timeout: {huge}
      EphemeralStorage: {{Size: {huge}}}
      SnapStart: {{ApplyOn: PublishedVersions}}
"""
    findings = _LINTER.lint_text(text, "huge.yaml")
    assert [f.message for f in findings if f.rule == "LL0007"] == []
    assert f"Timeout {huge} s is outside 1-900 s" in [f.message for f in findings if f.rule == "LL2002"]
    assert any(f.message.endswith(f"not {huge}") for f in findings)


def test_event_invoke_destination_type_behind_fn_if_does_not_crash_the_role_model():
    """roles._event_invoke_documents looked an `Fn::If` destination Type up in a dict (LL5001-5004, LL5014, LL6009)."""
    text = """\
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [a, a]
Resources:
  SamWorker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: s3://artifacts/worker.zip
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: !If [IsProd, SNS, !Ref AWS::NoValue]
            Destination: !Ref Alerts
  Alerts:
    Type: AWS::SNS::Topic
"""
    assert internal_errors(text) == []
