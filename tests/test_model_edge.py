"""Lambda@Edge associations: which function, which qualifier, which trigger; LL7005 package size."""

from __future__ import annotations

import os
import textwrap
import zipfile

import pytest

from lambdalint.loading import load_text
from lambdalint.model import TemplateModel
from lambdalint.model.edge import edge_associations, edge_functions
from lambdalint.model.function_refs import ALIAS, LATEST, UNKNOWN_QUALIFIER, UNQUALIFIED, VERSION

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Arn: {{Type: String}}
Resources:
  Sam:
    Type: AWS::Serverless::Function
    Properties: {{Runtime: nodejs20.x, Handler: i.h, CodeUri: {code}, AutoPublishAlias: live}}
  Plain:
    Type: AWS::Lambda::Function
    Properties: {{Runtime: nodejs20.x, Handler: i.h, Role: arn:aws:iam::1:role/r, Code: {{S3Bucket: b, S3Key: k}}}}
  PlainVersion:
    Type: AWS::Lambda::Version
    Properties: {{FunctionName: !Ref Plain}}
  PlainAlias:
    Type: AWS::Lambda::Alias
    Properties: {{FunctionName: !Ref Plain, FunctionVersion: !GetAtt PlainVersion.Version, Name: live}}
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          LambdaFunctionAssociations:
            - {{EventType: {event}, LambdaFunctionARN: {arn}}}
"""


def model_of(arn: str, event: str = "viewer-request", code: str = "s3://b/k.zip", base_dir=None) -> TemplateModel:
    text = TEMPLATE.format(arn=arn, event=event, code=code)
    return TemplateModel(load_text(textwrap.dedent(text), "t.yaml"), base_dir=base_dir)


@pytest.mark.parametrize("arn, function, qualifier", [
    ("!Ref Sam.Version", "Sam", VERSION),
    ("!GetAtt Sam.Version.FunctionArn", "Sam", VERSION),
    ("!Ref Sam.Alias", "Sam", ALIAS),
    ("!GetAtt Sam.Arn", "Sam", UNQUALIFIED),
    ("!Ref PlainVersion", "Plain", VERSION),
    ("!Ref PlainAlias", "Plain", ALIAS),
    ('!Sub "${Plain.Arn}:7"', "Plain", VERSION),
    ('!Sub "${Plain.Arn}:$LATEST"', "Plain", LATEST),
    ('!Sub "${Plain.Arn}:live"', "Plain", ALIAS),
    ('!Sub "${Plain.Arn}:${PlainVersion.Version}"', "Plain", VERSION),
    ('!Join [":", [!GetAtt Plain.Arn, !GetAtt PlainVersion.Version]]', "Plain", VERSION),
    ('!Sub "${Plain.Arn}:${Arn}"', "Plain", UNKNOWN_QUALIFIER),
    ("arn:aws:lambda:us-east-1:123456789012:function:elsewhere:3", None, VERSION),
    ("arn:aws:lambda:us-east-1:123456789012:function:elsewhere", None, UNQUALIFIED),
])
def test_association_targets(arn, function, qualifier):
    association, = edge_associations(model_of(arn))
    assert association.target.qualifier == qualifier
    assert (association.function.logical_id if association.function else None) == function
    assert association.path[-3:] == ("DefaultCacheBehavior", "LambdaFunctionAssociations", 0)


def test_unreadable_arn_has_no_target():
    association, = edge_associations(model_of("!Ref Arn"))
    assert association.target is None and association.function is None


@pytest.mark.parametrize("event, viewer, origin", [
    ("viewer-request", True, False), ("viewer-response", True, False),
    ("origin-request", False, True), ("origin-response", False, True), ("!Ref Arn", False, False),
])
def test_trigger_kind(event, viewer, origin):
    association, = edge_associations(model_of("!Ref Sam.Version", event=event))
    assert (association.is_viewer, association.is_origin) == (viewer, origin)


def test_edge_functions_index():
    model = model_of("!Ref PlainVersion")
    assert list(edge_functions(model)) == ["Plain"]


def _zip(path, size: int) -> None:
    # stored, random-looking bytes: the zip is as large as its content
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("index.js", os.urandom(size))


@pytest.mark.parametrize("size, event, reported", [
    (1024 * 1024 + 4096, "viewer-request", True),
    (900 * 1024, "viewer-request", False),
    (1024 * 1024 + 4096, "origin-request", False),
])
def test_package_size_check(tmp_path, size, event, reported):
    from lambdalint_rules.edge.restrictions import check_package_size

    _zip(tmp_path / "edge.zip", size)
    model = model_of("!Ref Sam.Version", event=event, code="edge.zip", base_dir=str(tmp_path))
    hits = list(check_package_size(model))
    assert bool(hits) == reported
    if reported:
        assert hits[0].path == ("Resources", "Sam", "Properties", "CodeUri")
        assert "1 MB" in hits[0].message


def test_package_size_ignores_folders(tmp_path):
    from lambdalint_rules.edge.restrictions import check_package_size

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.js").write_bytes(os.urandom(2 * 1024 * 1024))
    model = model_of("!Ref Sam.Version", code="src", base_dir=str(tmp_path))
    assert list(check_package_size(model)) == []
