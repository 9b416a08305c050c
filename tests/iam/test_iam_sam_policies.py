"""SAM `Policies` and policy template expansion (lambdalint.iam.sam_policies)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from lambdalint.iam import sam_policies
from lambdalint.iam.policy import ResourceForms
from lambdalint.iam.sam_policies import (
    expand_policy_template,
    policy_templates_path,
    sam_policies_permissions,
)

needs_samtranslator = pytest.mark.skipif(
    importlib.util.find_spec("samtranslator") is None, reason="aws-sam-translator not installed"
)

TABLE_ARN = {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}"}


@needs_samtranslator
def test_templates_located_without_importing_samtranslator():
    code = (
        "import sys\n"
        "from lambdalint.iam.sam_policies import policy_templates, policy_templates_path\n"
        "assert policy_templates_path() is not None\n"
        "assert 'DynamoDBReadPolicy' in policy_templates()\n"
        "assert not [m for m in sys.modules if m.startswith('samtranslator')], 'samtranslator was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@needs_samtranslator
def test_dynamodb_read_policy_grants_get_item_on_the_table():
    p = sam_policies_permissions([{"DynamoDBReadPolicy": {"TableName": {"Ref": "Table"}}}])
    assert p.allows("dynamodb:GetItem", TABLE_ARN) is True
    assert p.allows("dynamodb:GetItem", ResourceForms(({"Fn::GetAtt": ["Table", "Arn"]}, TABLE_ARN))) is True
    index = {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}/index/byDate"}
    assert p.allows("dynamodb:Query", index) is True
    assert p.allows("dynamodb:PutItem") is False  # read policy: no writes
    # another table spelled another way cannot be compared: unknown, never denied
    assert p.allows("dynamodb:GetItem", {"Fn::GetAtt": ["Other", "Arn"]}) is None


@needs_samtranslator
def test_sqs_poller_policy_grants_receive_message():
    p = sam_policies_permissions([{"SQSPollerPolicy": {"QueueName": {"Fn::GetAtt": ["Queue", "QueueName"]}}}])
    assert p.allows_all(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]) is True
    assert p.allows("sqs:SendMessage") is False


@needs_samtranslator
def test_s3_crud_policy_with_literal_bucket_name():
    p = sam_policies_permissions({"S3CrudPolicy": {"BucketName": "my-bucket"}})
    assert p.allows("s3:PutObject", {"Fn::Sub": "arn:${AWS::Partition}:s3:::my-bucket/photos/1.jpg"}) is True
    assert p.allows("s3:PutObject", {"Fn::Sub": "arn:${AWS::Partition}:s3:::other-bucket/x"}) is None
    assert p.allows("s3:DeleteBucket") is False


@needs_samtranslator
def test_template_without_parameters_and_missing_parameters():
    assert sam_policies_permissions([{"VPCAccessPolicy": {}}]).allows("ec2:CreateNetworkInterface") is True
    assert expand_policy_template("DynamoDBReadPolicy", {}) is None  # TableName missing
    assert sam_policies_permissions([{"DynamoDBReadPolicy": {}}]).allows("dynamodb:GetItem") is None
    assert sam_policies_permissions([{"NoSuchPolicyTemplate": {"X": 1}}]).allows("s3:GetObject") is None


@needs_samtranslator
def test_mixed_policies_list():
    p = sam_policies_permissions([
        "AWSLambdaBasicExecutionRole",
        {"Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "Topic"}}]},
        {"SQSPollerPolicy": {"QueueName": "jobs"}},
        {"Ref": "AWS::NoValue"},
    ])
    assert p.allows("logs:PutLogEvents") is True
    assert p.allows("sns:Publish", {"Ref": "Topic"}) is True
    assert p.allows("sqs:ReceiveMessage") is True
    assert p.allows("kinesis:GetRecords") is False


@needs_samtranslator
def test_fn_if_entries_are_possible_not_sure():
    p = sam_policies_permissions([
        {"Fn::If": ["UseQueue", {"SQSPollerPolicy": {"QueueName": "q"}}, {"Ref": "AWS::NoValue"}]},
    ])
    assert p.allows("sqs:ReceiveMessage") is None
    assert p.allows("s3:GetObject") is False


def test_customer_policy_arn_and_parameter_are_unknown():
    p = sam_policies_permissions(["arn:aws:iam::123456789012:policy/Mine", {"Ref": "ExtraPolicy"}])
    assert p.allows("sqs:ReceiveMessage") is None


def test_empty_policies_grant_nothing():
    assert sam_policies_permissions(None).allows("sqs:ReceiveMessage") is False
    assert sam_policies_permissions([]).allows("sqs:ReceiveMessage") is False


def test_without_samtranslator_templates_are_unknown(monkeypatch):
    monkeypatch.setattr(sam_policies, "policy_templates_path", lambda: None)
    sam_policies.policy_templates.cache_clear()
    try:
        p = sam_policies_permissions([{"DynamoDBReadPolicy": {"TableName": "t"}}, "AWSLambdaBasicExecutionRole"])
        assert p.allows("dynamodb:GetItem") is None
        assert p.allows("logs:PutLogEvents") is True
    finally:
        sam_policies.policy_templates.cache_clear()


def test_missing_package_gives_no_path(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert policy_templates_path() is None
