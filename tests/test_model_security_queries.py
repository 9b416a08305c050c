"""The model's answers to the security rules: roles once with their functions, trust policies,
environment keys, resource policies and function URLs."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from lambdalint.model import UNKNOWN
from lambdalint.model.kms import environment_key
from lambdalint.model.permissions import function_urls, permissions, source_arn_service
from lambdalint.model.roles import distinct_roles, trust_allows_lambda
from sample_templates import model_of


def function(name: str, extra: str = "Role: !GetAtt Shared.Arn") -> str:
    return f"""
      {name}:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          Code: {{S3Bucket: b, S3Key: k.zip}}
          {extra}"""


ROLE = """
      Shared:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument:
            Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
"""


def test_distinct_roles_lists_each_known_role_once_with_every_function_using_it():
    model = model_of("Resources:" + function("A") + function("B") + function("C", "Role: arn:aws:iam::1:role/r")
                     + ROLE)
    found = [(role.key, [f.logical_id for f in functions]) for role, functions in distinct_roles(model)]
    assert found == [("Shared", ["A", "B"])]  # C's role is not in the template: unknown, left out


@pytest.mark.parametrize("principal, expected", [
    ({"Service": "lambda.amazonaws.com"}, True),
    ({"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, True),
    ("*", True),
    ({"AWS": "*"}, True),
    ({"Service": "ec2.amazonaws.com"}, False),
    ({"AWS": "arn:aws:iam::123456789012:root"}, False),
    ({"Service": "${ServicePrincipal}"}, None),  # a substitution could name lambda
    ({"Service": {"Ref": "Principal"}}, None),
    ("lambda.amazonaws.com", None),  # not a principal mapping: unreadable
])
def test_trust_allows_lambda(principal, expected):
    document = {"Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}
    assert trust_allows_lambda(document) is expected
    assert trust_allows_lambda(json.dumps(document)) is expected  # a JSON string reads the same


def test_a_deny_never_trusts_and_an_unreadable_effect_leaves_it_open():
    deny = {"Statement": [{"Effect": "Deny", "Principal": {"Service": "lambda.amazonaws.com"}}]}
    odd = {"Statement": [{"Effect": {"Ref": "Effect"}, "Principal": {"Service": "lambda.amazonaws.com"}}]}
    assert trust_allows_lambda(deny) is False
    assert trust_allows_lambda(odd) is None
    assert trust_allows_lambda({"Fn::If": ["C", {}, {}]}) is None
    assert trust_allows_lambda("{not json") is None


@given(st.lists(st.sampled_from(["ec2", "ecs-tasks", "states", "lambda", "edgelambda"]), min_size=1, max_size=4))
def test_trust_is_decided_by_a_lambda_service_among_the_principals(services):
    document = {"Statement": [{"Effect": "Allow", "Principal": {"Service": [f"{s}.amazonaws.com" for s in services]}}]}
    assert trust_allows_lambda(document) is ("lambda" in services)


def test_the_role_of_a_sam_function_without_a_trust_policy_trusts_lambda():
    model = model_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k.zip}
    """)
    ((role, _),) = distinct_roles(model)
    assert role.key == "FnRole" and role.trusts_lambda() is True


KEY = """
      Key:
        Type: AWS::KMS::Key
        Properties:
          KeyPolicy:
            Statement:
              - Effect: Allow
                Principal: {AWS: %s}
                Action: kms:*
                Resource: "*"
"""


@pytest.mark.parametrize("principal, direct", [
    ('!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"', False),
    ("'123456789012'", False),
    ("!GetAtt Shared.Arn", True),  # names the role itself
    ("'*'", True),
    ("arn:aws:iam::123456789012:role/other", True),  # perhaps the role, by ARN
])
def test_environment_key_and_whether_its_policy_grants_the_role_directly(principal, direct):
    model = model_of("Resources:" + function("Fn", "Role: !GetAtt Shared.Arn\n          KmsKeyArn: !GetAtt Key.Arn")
                     + ROLE + KEY % principal)
    key = environment_key(model, model.function("Fn"))
    assert key.logical_id == "Key" and key.arn == {"Fn::GetAtt": ["Key", "Arn"]}
    assert key.may_grant_directly("Shared") is direct


@pytest.mark.parametrize("kms_key_arn", ["", "KmsKeyArn: !Ref Key", "KmsKeyArn: arn:aws:kms:eu-west-1:1:key/x",
                                         "KmsKeyArn: !GetAtt Shared.Arn"])
def test_no_environment_key_unless_the_function_names_a_template_key_by_its_arn(kms_key_arn):
    model = model_of("Resources:" + function("Fn", "Role: !GetAtt Shared.Arn\n          " + kms_key_arn)
                     + ROLE + KEY % "'*'")
    assert environment_key(model, model.function("Fn")) is None


def test_permissions_with_their_resolved_action_and_source_arn_service():
    model = model_of("""
    Parameters:
      Action: {Type: String, Default: "lambda:*"}
    Resources:
      Bucket: {Type: AWS::S3::Bucket}
      Topic: {Type: AWS::SNS::Topic}
      FromBucket:
        Type: AWS::Lambda::Permission
        Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: s3.amazonaws.com,
                     SourceArn: !GetAtt Bucket.Arn}
      FromTopic:
        Type: AWS::Lambda::Permission
        Properties: {Action: !Ref Action, FunctionName: f, Principal: sns.amazonaws.com, SourceArn: !Ref Topic}
      FromApi:
        Type: AWS::Lambda::Permission
        Properties: {FunctionName: f, Principal: apigateway.amazonaws.com, EventSourceToken: abc,
                     SourceArn: !Sub "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:api/*"}
      FromBucketName:
        Type: AWS::Lambda::Permission
        Properties: {FunctionName: f, Principal: s3.amazonaws.com, SourceArn: !Ref Bucket}
    """)
    found = {p.logical_id: (p.action, p.service, source_arn_service(model, p), p.written("EventSourceToken"))
             for p in permissions(model)}
    assert found == {
        "FromBucket": ("lambda:InvokeFunction", "s3", "s3", None),
        "FromTopic": ("lambda:*", "sns", "sns", None),
        "FromApi": (None, "apigateway", "execute-api", "abc"),
        "FromBucketName": (None, "s3", None, None),  # Ref of a bucket is its name, no ARN
    }


def test_function_urls_resolve_auth_type_and_cors():
    model = model_of("""
    Transform: AWS::Serverless-2016-10-31
    Parameters:
      Auth: {Type: String, Default: NONE}
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          CodeUri: s3://b/k.zip
          FunctionUrlConfig:
            AuthType: !Ref Auth
            Cors: {AllowOrigins: ["*"], AllowCredentials: true}
      Url:
        Type: AWS::Lambda::Url
        Properties: {TargetFunctionArn: !GetAtt Fn.Arn}
    """)
    found = {url.logical_id: (url.auth_type, url.cors("AllowOrigins"), url.cors("AllowCredentials"))
             for url in function_urls(model)}
    assert found == {"Url": (UNKNOWN, None, None), "Fn": ("NONE", ["*"], True)}


@pytest.mark.parametrize("principal, kind, service", [
    ("s3.amazonaws.com", "service", "s3"),
    ("s3.amazonaws.com.cn", "service", "s3"),
    ("logs.eu-west-1.amazonaws.com", "service", "logs"),  # the regional form: the service, not the region
    ("delivery.logs.amazonaws.com", "service", "delivery.logs"),
    ("!Sub logs.${AWS::Region}.amazonaws.com", "service", "logs"),
    ('!Sub "logs.${AWS::Region}.${AWS::URLSuffix}"', "service", "logs"),
    ('!Join ["", ["logs.", !Ref "AWS::Region", ".amazonaws.com"]]', "service", "logs"),
    ("!Join [., [sns, !Ref AWS::URLSuffix]]", "service", "sns"),
    ('!Sub "${Svc}.amazonaws.com"', "service", "events"),  # a parameter with a default is resolved
    ('!Sub "${Open}.amazonaws.com"', "unknown", None),  # one without a default is not guessed
    ('!Sub "${Open}.${AWS::Region}.amazonaws.com"', "unknown", None),
    ("!If [C, s3.amazonaws.com, sns.amazonaws.com]", "unknown", None),
    ("'123456789012'", "account", None),
    ("'*'", "everyone", None),
])
def test_permission_principal_is_read_through_sub_and_join(principal, kind, service):
    model = model_of(f"""
    Parameters:
      Svc: {{Type: String, Default: events}}
      Open: {{Type: String}}
    Conditions:
      C: !Equals [!Ref Open, x]
    Resources:
      Permission:
        Type: AWS::Lambda::Permission
        Properties:
          Action: lambda:InvokeFunction
          FunctionName: f
          Principal: {principal}
    """)
    permission, = permissions(model)
    assert (permission.principal_kind, permission.service) == (kind, service)
