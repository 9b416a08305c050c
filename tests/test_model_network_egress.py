"""Which AWS APIs a VPC function's grants say it calls (LL4003's question to the network model):
not the extra services of a broad managed policy, not connections that stay in the VPC."""

from __future__ import annotations

import textwrap

import pytest

from lambdalint.loading import load_text
from lambdalint.model import TemplateModel, roles
from lambdalint.model.network import api_services_reached

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: s3://b/k.zip
      Policies: {policies}
  VpcSearch:
    Type: AWS::OpenSearchService::Domain
    Properties:
      VPCOptions: {{SubnetIds: [subnet-1]}}
  PublicSearch:
    Type: AWS::OpenSearchService::Domain
    Properties: {{}}
"""


def services(policies: str) -> list:
    model = TemplateModel(load_text(textwrap.dedent(TEMPLATE.format(policies=policies)), "t.yaml"))
    return api_services_reached(model, roles.execution_role(model, model.function("Fn")))


def statement(action: str, resource: str = '"*"') -> str:
    return f'[{{Statement: [{{Effect: Allow, Action: "{action}", Resource: {resource}}}]}}]'


@pytest.mark.parametrize("policy, expected", [
    ("AmazonS3ReadOnlyAccess", ["s3"]),  # not s3-object-lambda, which it also grants
    ("AmazonS3FullAccess", ["s3"]),
    ("AmazonDynamoDBFullAccess", ["dynamodb"]),
    ("AmazonSQSFullAccess", ["sqs"]),
    ("AmazonS3ObjectLambdaExecutionRolePolicy", ["s3-object-lambda"]),
    ("AWSLambdaBasicExecutionRole", []),
])
def test_a_managed_policy_counts_for_the_service_it_is_named_for(policy, expected):
    assert services(f"[{policy}]") == expected


@pytest.mark.parametrize("action", ["rds-db:connect", "elasticache:Connect", "memorydb:Connect", "elasticache:*",
                                    "kafka-cluster:Connect", "kafka-cluster:*", "neptune-db:ReadDataViaQuery",
                                    "dax:GetItem", "dax:*"])
def test_connections_that_stay_in_the_vpc_reach_no_public_api(action):
    assert services(statement(action)) == []


@pytest.mark.parametrize("action, service", [("elasticache:DescribeCacheClusters", "elasticache"),
                                             ("kafka:GetBootstrapBrokers", "kafka"), ("dax:DescribeClusters", "dax"),
                                             ("rds-data:ExecuteStatement", "rds-data"), ("rds:DescribeDBClusters", "rds")])
def test_control_planes_are_public_apis(action, service):
    assert services(statement(action)) == [service]


@pytest.mark.parametrize("action, resource, expected", [
    ("es:ESHttpPost", '!Sub "${VpcSearch.Arn}/*"', []),
    ("es:ESHttp*", '!Sub "${VpcSearch.DomainArn}/*"', []),
    ("es:ESHttpPost", '!Sub "${PublicSearch.Arn}/*"', ["es"]),
    ("es:ESHttpPost", '[!Sub "${PublicSearch.Arn}/*", !Sub "${VpcSearch.Arn}/*"]', []),
    ("es:ESHttpGet", '"arn:aws:es:eu-west-1:123456789012:domain/elsewhere/*"', []),  # unknown domain: say nothing
    ("es:DescribeDomain", '"*"', ["es"]),
])
def test_opensearch_http_calls_count_only_for_domains_known_to_be_public(action, resource, expected):
    assert services(statement(action, resource)) == expected
