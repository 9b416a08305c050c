"""What an execution role must allow: the sources Lambda polls with it, the destinations it sends to."""

from __future__ import annotations

import pytest

from lambdalint.model.events import event_sources
from lambdalint.model.required_permissions import (
    POLLER_READ_ACTIONS, destinations, poller_read_actions, polled_sources,
)
from sample_templates import model_of

def mapping_template(source_type: str, arn: str) -> str:
    return f"""
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          Role: arn:aws:iam::123456789012:role/r
          Code: {{S3Bucket: b, S3Key: k.zip}}
      Source:
        Type: {source_type}
      Esm:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          FunctionName: !Ref Fn
          EventSourceArn: {arn}
    """


@pytest.mark.parametrize("source_type, arn, kind", [
    ("AWS::SQS::Queue", "!GetAtt Source.Arn", "sqs"),
    ("AWS::Kinesis::Stream", "!GetAtt Source.Arn", "kinesis"),
    ("AWS::DynamoDB::Table", "!GetAtt Source.StreamArn", "dynamodb"),
    ("AWS::DynamoDB::GlobalTable", "!GetAtt Source.StreamArn", "dynamodb"),
    ("AWS::SQS::Queue", "arn:aws:sqs:eu-west-1:123456789012:jobs", "sqs"),
    ("AWS::SQS::Queue", "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2024-01-01T00:00:00.000", "dynamodb"),
])
def test_a_polled_source_needs_the_read_actions_of_its_kind(source_type, arn, kind):
    model = model_of(mapping_template(source_type, arn))
    (source,) = event_sources(model)
    assert poller_read_actions(source) == POLLER_READ_ACTIONS[kind]
    assert polled_sources(model) == [(source, POLLER_READ_ACTIONS[kind])]


@pytest.mark.parametrize("source_type, arn", [
    ("AWS::DynamoDB::Table", "!GetAtt Source.Arn"),        # the table, not its stream
    ("AWS::DynamoDB::GlobalTable", "!GetAtt Source.Arn"),
    ("AWS::SQS::Queue", "!Ref Source"),                      # the queue URL
    ("AWS::Kinesis::StreamConsumer", "!GetAtt Source.ConsumerARN"),  # other actions, not modelled
    ("AWS::SQS::Queue", "arn:aws:dynamodb:eu-west-1:123456789012:table/t"),
    ("AWS::SQS::Queue", "!ImportValue queue-arn"),
])
def test_a_source_we_cannot_name_as_a_polled_arn_needs_nothing(source_type, arn):
    model = model_of(mapping_template(source_type, arn))
    (source,) = event_sources(model)
    assert poller_read_actions(source) == ()
    assert polled_sources(model) == []


def test_a_sam_event_needs_the_actions_only_when_its_source_is_of_its_kind():
    model = model_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          CodeUri: s3://b/k.zip
          Events:
            Jobs: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}
            Wrong: {Type: SQS, Properties: {Queue: !GetAtt Stream.Arn}}
            Push: {Type: SNS, Properties: {Topic: !Ref Topic}}
      Queue: {Type: AWS::SQS::Queue}
      Stream: {Type: AWS::Kinesis::Stream}
      Topic: {Type: AWS::SNS::Topic}
    """)
    assert [(source.name, actions) for source, actions in polled_sources(model)] == [
        ("event Jobs of Fn", POLLER_READ_ACTIONS["sqs"])]


def test_destinations_of_every_kind_with_the_action_sending_there_takes():
    model = model_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          CodeUri: s3://b/k.zip
          DeadLetterQueue: {Type: SNS, TargetArn: !Ref Topic}
          EventInvokeConfig:
            DestinationConfig:
              OnSuccess: {Type: Lambda, Destination: !GetAtt Other.Arn}
      Other:
        Type: AWS::Lambda::Function
        Properties:
          DeadLetterConfig: {TargetArn: !GetAtt Queue.Arn}
      Invoke:
        Type: AWS::Lambda::EventInvokeConfig
        Properties:
          FunctionName: !Ref Other
          Qualifier: $LATEST
          DestinationConfig: {OnFailure: {Destination: !GetAtt Bus.Arn}}
      Esm:
        Type: AWS::Lambda::EventSourceMapping
        Properties:
          FunctionName: !Ref Other
          EventSourceArn: !GetAtt Stream.Arn
          DestinationConfig: {OnFailure: {Destination: !GetAtt Queue.QueueName}}
      Queue: {Type: AWS::SQS::Queue}
      Topic: {Type: AWS::SNS::Topic}
      Bus: {Type: AWS::Events::EventBus}
      Stream: {Type: AWS::Kinesis::Stream}
    """)
    found = sorted((d.function.logical_id, d.path[3:], d.resource, d.action) for d in destinations(model))
    assert found == [
        ("Fn", ("DeadLetterQueue", "TargetArn"), "Fn", "sns:Publish"),
        ("Fn", ("EventInvokeConfig", "DestinationConfig", "OnSuccess", "Destination"), "Fn",
         "lambda:InvokeFunction"),
        ("Other", ("DeadLetterConfig", "TargetArn"), "Other", "sqs:SendMessage"),
        ("Other", ("DestinationConfig", "OnFailure", "Destination"), "Esm", None),  # a queue's name: no ARN
        ("Other", ("DestinationConfig", "OnFailure", "Destination"), "Invoke", "events:PutEvents"),
    ]
