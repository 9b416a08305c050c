"""Questions rules in more than one module ask the model: runtimes, VPC attachment, Lambda@Edge,
published versions, provisioned concurrency, function URLs, and how numbers are shown."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, strategies as st

from lambdalint.findings import number_text
from lambdalint.model import versions as v
from sample_templates import model_of


def test_runtimes_lists_every_branch_and_leaves_unknowns_out():
    model = model_of("""
        Parameters: {Free: {Type: String}}
        Conditions: {New: !Equals [a, b]}
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Runtime: !If [New, python3.13, !Ref Free]}
          Plain:
            Type: AWS::Lambda::Function
            Properties: {Runtime: nodejs22.x}
    """)
    assert model.function("Fn").runtimes == ["python3.13"]
    assert model.function("Plain").runtimes == ["nodejs22.x"]


def test_network_is_none_without_a_vpc_config_and_says_when_attached():
    model = model_of("""
        Resources:
          Plain: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.13}}
          Empty:
            Type: AWS::Lambda::Function
            Properties: {VpcConfig: {SubnetIds: [], SecurityGroupIds: []}}
          Attached:
            Type: AWS::Lambda::Function
            Properties: {VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}}
    """)
    assert model.function("Plain").network is None
    assert model.function("Empty").network.attached is False
    assert model.function("Attached").network.attached is True


def test_network_model_loads_only_for_a_function_with_a_vpc_config(monkeypatch):
    monkeypatch.delitem(sys.modules, "lambdalint.model.network", raising=False)
    model = model_of("""
        Resources:
          Plain: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.13}}
    """)
    assert model.function("Plain").network is None
    assert "lambdalint.model.network" not in sys.modules


EDGE = """
    Resources:
      Rewrite:
        Type: AWS::Serverless::Function
        Properties: {Runtime: nodejs22.x, Handler: i.h, CodeUri: s3://b/k.zip, AutoPublishAlias: live}
      Other:
        Type: AWS::Serverless::Function
        Properties: {Runtime: nodejs22.x, Handler: i.h, CodeUri: s3://b/k.zip}
      Cdn:
        Type: AWS::CloudFront::Distribution
        Properties:
          DistributionConfig:
            DefaultCacheBehavior:
              LambdaFunctionAssociations:
                - {EventType: viewer-request, LambdaFunctionARN: !Ref Rewrite.Version}
"""


def test_edge_functions_pair_each_function_with_its_associations():
    model = model_of(EDGE)
    [(function, associations)] = model.edge_functions()
    assert function.logical_id == "Rewrite"
    assert [a.event_type for a in associations] == ["viewer-request"]
    assert [a.function.logical_id for a in model.edge_associations()] == ["Rewrite"]


def test_edge_queries_are_empty_without_a_distribution(monkeypatch):
    monkeypatch.delitem(sys.modules, "lambdalint.model.edge", raising=False)
    model = model_of("""
        Resources:
          Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.13}}
    """)
    assert model.edge_functions() == [] and model.edge_associations() == []
    assert "lambdalint.model.edge" not in sys.modules


VERSIONS = """
    Resources:
      Sam:
        Type: AWS::Serverless::Function
        Properties: {Runtime: python3.13, Handler: a.h, CodeUri: s3://b/k.zip, AutoPublishAlias: live}
      Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.13}}
      Lonely: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.13}}
      FnVersion:
        Type: AWS::Lambda::Version
        Properties:
          FunctionName: !Ref Fn
          ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 2}
      FnAlias:
        Type: AWS::Lambda::Alias
        Properties:
          FunctionName: !Ref Fn
          FunctionVersion: !GetAtt FnVersion.Version
          Name: live
          ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 1}
      PlainAlias:
        Type: AWS::Lambda::Alias
        Properties: {FunctionName: !Ref Fn, FunctionVersion: "1", Name: plain}
      Url:
        Type: AWS::Lambda::Url
        Properties: {TargetFunctionArn: !Ref Fn, AuthType: NONE, Qualifier: live}
      BareUrl:
        Type: AWS::Lambda::Url
        Properties: {TargetFunctionArn: !Ref Lonely, AuthType: NONE}
"""


def test_publishes_versions():
    model = model_of(VERSIONS)
    assert v.publishes_versions(model, model.function("Sam"))  # AutoPublishAlias
    assert v.publishes_versions(model, model.function("Fn"))  # an AWS::Lambda::Version of it
    assert not v.publishes_versions(model, model.function("Lonely"))


def test_a_version_of_an_unreadable_function_might_be_anyones():
    model = model_of("""
        Parameters: {Name: {Type: String}}
        Resources:
          Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.13}}
          V: {Type: AWS::Lambda::Version, Properties: {FunctionName: !Ref Name}}
    """)
    assert v.publishes_versions(model, model.function("Fn"))


def test_provisioned_qualifiers_and_qualified_urls():
    model = model_of(VERSIONS)
    assert sorted(r.logical_id for r in v.provisioned_qualifiers(model, model.function("Fn"))) == ["FnAlias", "FnVersion"]
    assert v.provisioned_qualifiers(model, model.function("Lonely")) == []
    assert [url.logical_id for url in v.qualified_urls(model)] == ["Url"]


@pytest.mark.parametrize("target, text", [
    (v.VersionTarget(v.VERSION, resource="FnVersion"), "version FnVersion"),
    (v.VersionTarget(v.ALIAS, resource="FnAlias"), "alias FnAlias"),
    (v.VersionTarget(v.LATEST_KIND, literal="$LATEST"), "$LATEST"),
    (v.VersionTarget(v.NUMBER, literal="3"), "3"),
    (v.UNKNOWN_TARGET, "unknown"),
])
def test_version_target_description(target, text):
    assert target.description == text


@given(st.integers(min_value=-999_999, max_value=999_999))
def test_number_text_shows_integers_of_up_to_six_digits_plainly(number):
    assert number_text(number) == str(number)


def test_number_text():
    assert number_text(0.5) == "0.5" and number_text(1536.0) == "1536" and number_text(16_000_000) == "1.6e+07"
    assert number_text(10**400) == str(10**400)  # too large for a float: shown in full
