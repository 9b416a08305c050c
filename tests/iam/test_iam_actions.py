"""Which IAM actions exist (lambdalint.iam.actions over data/iam_actions.json), and the model's
list of the actions execution-role policies write (lambdalint.model.role_actions)."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.iam.actions import action_exists, closest_action, known_actions
from lambdalint.model.role_actions import execution_role_actions
from sample_templates import model_of


@pytest.mark.parametrize("action, exists", [
    ("s3:GetObject", True),
    ("S3:GETOBJECT", True),  # IAM ignores case
    ("s3:ListBuckets", False),
    ("ec2:TerminateInstance", False),
    ("ec2:TerminateInstances", True),
    ("s3:Get*", True),
    ("s3:?etObject", True),
    ("s3:Lsit*", False),
    ("s3:*", True),
    ("s3:GetObject?", False),  # `?` is exactly one character
    ("s3:Get.bject", False),  # a dot is a dot, not any character
    ("brandnewservice:DoThing", None),  # a service the data does not list
    ("*", None),
    ("*:GetObject", None),
    ("s3", None),
    ("s3:", None),
])
def test_action_exists(action, exists):
    assert action_exists(action) is exists


@given(st.sampled_from(sorted(known_actions())), st.data())
def test_every_listed_action_exists_in_any_letter_case(service, data):
    action = data.draw(st.sampled_from(sorted(known_actions()[service])))
    assert action_exists(f"{service}:{action.upper()}") is True
    assert action_exists(f"{service.upper()}:{action}") is True
    assert action_exists(f"{service}:{action[:1]}*") is True


def test_closest_action_keeps_the_written_letter_case():
    assert closest_action("s3:ListBuckets") == "s3:ListBucket"
    assert closest_action("ec2:TerminateInstance") == "ec2:TerminateInstances"
    assert closest_action("s3:Xyzzy") is None
    assert closest_action("brandnewservice:DoThing") is None


ROLE_FUNCTION = """
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: b, S3Key: k.zip}
      Role: !GetAtt Role.Arn
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Code: {S3Bucket: b, S3Key: k.zip}
      Role: !GetAtt Second.Arn
"""


def test_actions_of_execution_roles_with_their_paths():
    model = model_of("""
        Parameters:
          Known: {Type: String, Default: "sqs:SendMessage"}
          Open: {Type: String}
        Conditions:
          C: !Equals [a, b]
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              ManagedPolicyArns: [!Ref Managed]
              Policies:
                - PolicyName: p
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Action: [s3:GetObject, !Ref Known, !Ref Open, !If [C, s3:PutObject, !Ref AWS::NoValue]]
                        Resource: "*"
                      - {Effect: Allow, NotAction: s3:Nothing, Resource: "*"}
          Second:
            Type: AWS::IAM::Role
            Properties: {}
          Managed:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Statement: {Effect: Deny, Action: kms:Decrypt, Resource: "*"}
          Shared:
            Type: AWS::IAM::Policy
            Properties:
              Roles: [!Ref Role, !Ref Second]
              PolicyDocument:
                Statement: [{Effect: Allow, Action: logs:PutLogEvents, Resource: "*"}]
          Unused:
            Type: AWS::IAM::Role
            Properties:
              Policies:
                - PolicyName: p
                  PolicyDocument: {Statement: [{Effect: Allow, Action: ec2:Nothing, Resource: "*"}]}
    """ + textwrap.indent(ROLE_FUNCTION, "        "))
    found = [(w.path, w.action, w.effect, w.owner) for w in execution_role_actions(model)]
    document = ("Resources", "Role", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0, "Action")
    assert found == [
        (document + (0,), "s3:GetObject", "Allow", "Role"),
        (document + (1,), "sqs:SendMessage", "Allow", "Role"),
        (document + (3, "Fn::If", 1), "s3:PutObject", "Allow", "Role"),
        (("Resources", "Managed", "Properties", "PolicyDocument", "Statement", "Action"), "kms:Decrypt", "Deny",
         "Managed"),
        (("Resources", "Shared", "Properties", "PolicyDocument", "Statement", 0, "Action"), "logs:PutLogEvents",
         "Allow", "Shared"),  # attached to two execution roles: listed once
    ]


def test_sam_function_inline_statements_and_policies_naming_its_role():
    model = model_of("""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
              Policies:
                - AmazonS3ReadOnlyAccess
                - S3ReadPolicy: {BucketName: b}
                - Statement: [{Effect: Allow, Action: sns:Publish, Resource: "*"}]
          Single:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
              Policies: {Statement: {Effect: Allow, Action: [sqs:SendMessage], Resource: "*"}}
          Attached:
            Type: AWS::IAM::RolePolicy
            Properties:
              RoleName: !Ref FnRole
              PolicyName: p
              PolicyDocument: {Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "*"}]}
    """)
    found = [(w.path, w.action, w.owner) for w in execution_role_actions(model)]
    assert found == [
        (("Resources", "Fn", "Properties", "Policies", 2, "Statement", 0, "Action"), "sns:Publish", "Fn"),
        (("Resources", "Attached", "Properties", "PolicyDocument", "Statement", 0, "Action"), "s3:Get*", "Attached"),
        (("Resources", "Single", "Properties", "Policies", "Statement", "Action", 0), "sqs:SendMessage", "Single"),
    ]


def test_the_action_table_is_read_only_when_a_role_policy_names_actions():
    """Half a megabyte of JSON: a template without role statements must not pay for it."""
    from lambdalint.api import lint_text

    function = textwrap.dedent("""
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
              Policies: [AWSLambdaBasicExecutionRole]
    """)
    known_actions.cache_clear()
    assert [f.rule for f in lint_text(function, "t.yaml") if f.rule == "LL5017"] == []
    assert known_actions.cache_info().currsize == 0
    with_statement = function.replace("[AWSLambdaBasicExecutionRole]",
                                      "[{Statement: [{Effect: Allow, Action: s3:ListBuckets, Resource: '*'}]}]")
    assert [f.rule for f in lint_text(with_statement, "t.yaml") if f.rule == "LL5017"] == ["LL5017"]
    assert known_actions.cache_info().currsize == 1
