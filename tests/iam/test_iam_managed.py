"""AWS managed policy lookup and its data file (lambdalint.iam.managed)."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from lambdalint.iam.managed import (
    all_managed_policies,
    lookup_managed_policy,
    managed_permissions,
    managed_policy_suffix,
)
from lambdalint.iam.policy import Permissions
from repo_paths import REPO

DATA_FILE = str(REPO / "lambdalint" / "data" / "managed_policies.json")

def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


ROWS = json.loads(_read(DATA_FILE))["policies"]
REQUIRED = [
    "service-role/AWSLambdaBasicExecutionRole", "service-role/AWSLambdaVPCAccessExecutionRole",
    "service-role/AWSLambdaKinesisExecutionRole", "service-role/AWSLambdaDynamoDBExecutionRole",
    "service-role/AWSLambdaSQSQueueExecutionRole", "service-role/AWSLambdaMSKExecutionRole",
    "AWSXRayDaemonWriteAccess", "AWSXrayWriteOnlyAccess", "AWSLambdaExecute", "service-role/AWSLambdaRole",
    "AWSLambda_FullAccess", "AdministratorAccess", "PowerUserAccess", "AmazonS3FullAccess",
    "AmazonS3ReadOnlyAccess", "AmazonDynamoDBFullAccess", "AmazonSQSFullAccess", "AmazonSNSFullAccess",
    "CloudWatchLogsFullAccess", "AmazonKinesisFullAccess", "service-role/AWSLambdaENIManagementAccess",
]


@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_every_row_has_an_aws_source_url_and_date(row):
    url = urlparse(row["source"])
    assert url.scheme == "https" and url.hostname == "docs.aws.amazon.com"
    assert url.path == "/aws-managed-policy/latest/reference/%s.html" % row["name"]
    assert row["checked"] == "2026-11-23"
    assert row["arn_suffix"].rsplit("/", 1)[-1] == row["name"]
    assert row["statements"], row["name"]


def test_data_file_is_indented_for_humans():
    text = _read(DATA_FILE)
    assert text == json.dumps(json.loads(text), indent=2) + "\n"


def test_required_policies_are_listed_and_parse_fully():
    suffixes = {p.arn_suffix for p in all_managed_policies()}
    assert set(REQUIRED) <= suffixes
    for policy in all_managed_policies():
        assert not any(s.unknown for s in policy.statements), policy.name


def test_vpc_access_role_grants_logs_and_enis():
    p = managed_permissions("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")
    assert p.allows("logs:CreateLogStream") is True
    assert p.allows_all(["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                         "ec2:DeleteNetworkInterface"]) is True


def test_basic_execution_role_does_not_grant_sqs():
    p = managed_permissions("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert p.allows("sqs:ReceiveMessage") is False
    assert p.allows_all(["logs:CreateLogStream", "logs:PutLogEvents"]) is True


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
        {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]},
        "AWSLambdaBasicExecutionRole",  # SAM short name
        "service-role/AWSLambdaBasicExecutionRole",
    ],
)
def test_managed_policy_reference_spellings(value):
    policy = lookup_managed_policy(value)
    assert policy is not None and policy.arn_suffix == "service-role/AWSLambdaBasicExecutionRole"


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::123456789012:policy/MyCustomerPolicy",  # customer managed
        "arn:aws:iam::aws:policy/SomeFuturePolicyWeDoNotList",
        {"Ref": "PolicyArnParameter"},
        {"Fn::ImportValue": "SharedPolicy"},
        None,
        17,
    ],
)
def test_unknown_or_customer_policy_is_unknown_never_denied(value):
    p = managed_permissions(value)
    assert p.incomplete
    assert p.allows("sqs:ReceiveMessage") is None
    assert p.allows("logs:PutLogEvents") is None


def test_suffix_parsing():
    assert managed_policy_suffix("arn:aws:iam::aws:policy/AdministratorAccess") == "AdministratorAccess"
    assert managed_policy_suffix("arn:aws:iam::123456789012:policy/Mine") is None
    assert managed_policy_suffix("not an arn with spaces") is None


def test_admin_and_full_access_policies_are_wildcard_grants():
    admin = managed_permissions("arn:aws:iam::aws:policy/AdministratorAccess")
    assert [g.kind for g in admin.wildcard_grants()] == ["admin-policy"]
    power = managed_permissions("arn:aws:iam::aws:policy/PowerUserAccess")
    assert "admin-policy" in {g.kind for g in power.wildcard_grants()}
    assert power.allows("iam:CreateRole") is False and power.allows("s3:GetObject") is True
    s3 = managed_permissions("AmazonS3FullAccess")
    assert ("service-wildcard", "s3:*") in {(g.kind, g.action) for g in s3.wildcard_grants()}
    assert managed_permissions("AWSLambdaBasicExecutionRole").wildcard_grants() == ()


def test_lambda_execute_resources_are_partition_literal():
    p = managed_permissions("arn:aws:iam::aws:policy/AWSLambdaExecute")
    assert p.allows("s3:GetObject", "arn:aws:s3:::bucket/key") is True
    assert p.allows("s3:DeleteObject") is False
    # a partition placeholder cannot be compared with the literal `aws`: unknown, never denied
    assert p.allows("s3:GetObject", {"Fn::Sub": "arn:${AWS::Partition}:s3:::b/k"}) is None


def test_permissions_combine_managed_and_inline():
    role = Permissions.combine([
        managed_permissions("AWSLambdaBasicExecutionRole"),
        Permissions.from_document({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage",
                                                  "Resource": {"Fn::GetAtt": ["Dlq", "Arn"]}}]}),
    ])
    assert role.allows("sqs:SendMessage", {"Fn::GetAtt": ["Dlq", "Arn"]}) is True
    assert role.allows("sns:Publish") is False
