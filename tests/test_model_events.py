"""Each way of declaring an event source yields the right EventSource."""

from __future__ import annotations

import textwrap

import pytest

from lambdalint.findings import Hit
from lambdalint.loading import load_text
from lambdalint.model import UNKNOWN, TemplateModel
from lambdalint.model.events import (
    ASYNC, POLL, SYNC, UnboundMapping, async_configs, event_sources, failure_destination, mapping_sources, queue_hit,
    queue_of, queue_readers, recommended_visibility, sources_of, stream_of,
)
from lambdalint.settings import Settings
from sample_templates import model_of

FUNCTION = """
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k.zip}
"""


def only(model: TemplateModel):
    sources = event_sources(model)
    assert len(sources) == 1, sources
    return sources[0]


SAM_CASES = [
    ("SQS", "Queue: !GetAtt Q.Arn", "sqs", POLL),
    ("Kinesis", "Stream: !GetAtt Q.Arn", "kinesis", POLL),
    ("DynamoDB", "Stream: !GetAtt Q.StreamArn", "dynamodb", POLL),
    ("MSK", "Stream: arn:aws:kafka:us-east-1:1:cluster/c/x", "msk", POLL),
    ("MQ", "Broker: arn:aws:mq:us-east-1:1:broker:b", "mq", POLL),
    ("SelfManagedKafka", "Topics: [t]", "kafka", POLL),
    ("DocumentDB", "Cluster: arn:aws:rds:us-east-1:1:cluster:c", "documentdb", POLL),
    ("S3", "Bucket: !Ref Q", "s3", ASYNC),
    ("SNS", "Topic: !Ref Q", "sns", ASYNC),
    ("EventBridgeRule", "Pattern: {source: [x]}", "eventbridge", ASYNC),
    ("CloudWatchEvent", "Pattern: {source: [x]}", "eventbridge", ASYNC),
    ("Schedule", "Schedule: rate(1 hour)", "schedule", ASYNC),
    ("ScheduleV2", "ScheduleExpression: rate(1 hour)", "schedule", ASYNC),
    ("Api", "{Path: /x, Method: get}", "api", SYNC),
    ("HttpApi", "{Path: /x, Method: get}", "httpapi", SYNC),
]


@pytest.mark.parametrize("event_type, properties, kind, mode", SAM_CASES, ids=[c[0] for c in SAM_CASES])
def test_sam_event_types(event_type, properties, kind, mode):
    props = properties if properties.startswith("{") else "{" + properties + "}"
    model = model_of(f"""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Q:
            Type: AWS::SQS::Queue
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
              Events:
                E:
                  Type: {event_type}
                  Properties: {props}
    """)
    source = only(model)
    assert (source.kind, source.mode) == (kind, mode)
    assert source.function.logical_id == "Fn"
    assert source.path == ("Resources", "Fn", "Properties", "Events", "E")
    assert source.declared_by == f"SAM {event_type} event"


def _sns_subscription_model(subscription: str, topic_properties: str = "{}"):
    return model_of(f"""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties: {topic_properties}
          Own:
            Type: AWS::SQS::Queue
            Properties: {{VisibilityTimeout: 120, RedrivePolicy: {{deadLetterTargetArn: x, maxReceiveCount: 3}}}}
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
              Events:
                Notes: {{Type: SNS, Properties: {{Topic: !Ref Topic, SqsSubscription: {subscription}}}}}
    """)


def test_sqs_subscription_true_reads_the_queue_sam_generates():
    model = _sns_subscription_model("true")
    queue = queue_of(model, only(model))
    assert queue.generated and queue.logical_id == "FnNotesQueue"  # SAM's name: function + event + Queue
    assert (queue.visibility_timeout, queue.fifo, queue.redrive) == (30, False, False)


def test_the_generated_queue_is_fifo_for_a_fifo_topic():
    model = _sns_subscription_model("true", "{FifoTopic: true, TopicName: t.fifo}")
    assert queue_of(model, only(model)).fifo is True


def test_sqs_subscription_with_a_queue_arn_reads_that_queue():
    model = _sns_subscription_model("{QueueArn: !GetAtt Own.Arn, QueueUrl: !Ref Own}")
    queue = queue_of(model, only(model))
    assert not queue.generated and queue.logical_id == "Own"
    assert (queue.visibility_timeout, queue.redrive) == (120, True)


def test_sqs_subscription_with_a_queue_from_elsewhere_is_unknown():
    model = _sns_subscription_model("{QueueArn: arn:aws:sqs:us-east-1:123456789012:q, QueueUrl: u}")
    assert queue_of(model, only(model)) is None


def test_sns_with_sqs_subscription_polls():
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
                E: {Type: SNS, Properties: {Topic: arn:aws:sns:us-east-1:1:t, SqsSubscription: true}}
    """)
    assert only(model).mode == POLL


@pytest.mark.parametrize("arn, kind", [
    ("!GetAtt Queue.Arn", "sqs"),
    ("!GetAtt Stream.Arn", "kinesis"),
    ("!GetAtt Table.StreamArn", "dynamodb"),
    ("!GetAtt Table.Arn", "unknown"),  # a table's own ARN is no stream
    ("arn:aws:sqs:us-east-1:1:q", "sqs"),
    ("!Sub arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/s", "kinesis"),
    ("arn:aws:kafka:us-east-1:1:cluster/c/x", "msk"),
    ("!ImportValue somewhere", "unknown"),
])
def test_event_source_mapping_kind(arn, kind):
    model = model_of(_esm_template(arn))
    source = only(model)
    assert (source.kind, source.mode, source.declared_by) == (kind, POLL, "AWS::Lambda::EventSourceMapping")
    assert source.value("BatchSize") == 5
    assert source.hit("m", "BatchSize").path == ("Resources", "Mapping", "Properties", "BatchSize")


def _esm_template(arn: str) -> str:
    return f"""
Resources:
  Queue: {{Type: AWS::SQS::Queue}}
  Stream: {{Type: AWS::Kinesis::Stream}}
  Table: {{Type: AWS::DynamoDB::Table}}
{FUNCTION}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: {arn}
      BatchSize: 5
"""


@pytest.mark.parametrize("function_name", [
    "!Ref Fn", "!GetAtt Fn.Arn", "!Sub ${Fn.Arn}", "!Ref Live",
    "!Sub arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}",
])
def test_mapping_function_spellings(function_name):
    model = model_of(f"""
Resources:
{FUNCTION}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {{FunctionName: !Ref Fn, FunctionVersion: "1", Name: live}}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: {function_name}
      EventSourceArn: arn:aws:sqs:us-east-1:1:q
""")
    assert only(model).function.logical_id == "Fn"


def test_mapping_to_a_function_outside_the_template_is_not_a_source():
    model = model_of(f"""
Resources:
{FUNCTION}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: some-other-function
      EventSourceArn: arn:aws:sqs:us-east-1:1:q
""")
    assert event_sources(model) == []
    # ... but the mapping rules still judge its own parameters
    mapping, = mapping_sources(model)
    assert isinstance(mapping, UnboundMapping)
    assert (mapping.kind, mapping.mode, mapping.name, mapping.resource) == \
        ("sqs", POLL, "event source mapping Mapping", "Mapping")
    assert mapping_sources(model, "kinesis") == []
    assert queue_of(model, mapping) is None  # the queue is not in the template


def test_mapping_sources_are_the_poll_sources_and_the_unbound_mappings():
    model = model_of(f"""
Resources:
{FUNCTION}
  Stream:
    Type: AWS::Kinesis::Stream
  Bound:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt Stream.Arn}}
  Unbound:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !ImportValue elsewhere, EventSourceArn: !GetAtt Stream.Arn}}
""")
    found = [(type(s).__name__, s.resource, s.kind, s.source_id) for s in mapping_sources(model, "kinesis")]
    assert found == [("EventSource", "Bound", "kinesis", "Stream"), ("UnboundMapping", "Unbound", "kinesis", "Stream")]


def test_push_sources_in_plain_cloudformation():
    model = model_of(f"""
Resources:
{FUNCTION}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Fn.Arn
            Filter: {{S3Key: {{Rules: [{{Name: prefix, Value: incoming/}}]}}}}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - {{Protocol: lambda, Endpoint: !GetAtt Fn.Arn}}
        - {{Protocol: email, Endpoint: a@example.com}}
  Subscription:
    Type: AWS::SNS::Subscription
    Properties: {{Protocol: lambda, TopicArn: !Ref Topic, Endpoint: !GetAtt Fn.Arn}}
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets: [{{Id: t, Arn: !GetAtt Fn.Arn}}]
  Pattern:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {{source: [x]}}
      Targets: [{{Id: t, Arn: !GetAtt Fn.Arn}}]
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(1 hour)
      FlexibleTimeWindow: {{Mode: "OFF"}}
      Target: {{Arn: !GetAtt Fn.Arn, RoleArn: arn:aws:iam::1:role/r}}
""")
    found = sorted((s.declared_by, s.kind, s.mode, s.source_id) for s in event_sources(model))
    assert found == [
        ("AWS::Events::Rule", "eventbridge", ASYNC, "Pattern"),
        ("AWS::Events::Rule", "schedule", ASYNC, "Rule"),
        ("AWS::S3::Bucket", "s3", ASYNC, "Bucket"),
        ("AWS::SNS::Subscription", "sns", ASYNC, "Topic"),
        ("AWS::SNS::Topic", "sns", ASYNC, "Topic"),
        ("AWS::Scheduler::Schedule", "schedule", ASYNC, "Schedule"),
    ]
    s3 = next(s for s in event_sources(model) if s.kind == "s3")
    assert s3.path == ("Resources", "Bucket", "Properties", "NotificationConfiguration", "LambdaConfigurations", 0)
    assert s3.value("Filter", "S3Key", "Rules") == [{"Name": "prefix", "Value": "incoming/"}]


def test_log_subscription_filter_to_a_function_is_an_async_source():
    model = model_of(f"""
Resources:
{FUNCTION}
  Logs:
    Type: AWS::Logs::LogGroup
  ToFunction:
    Type: AWS::Logs::SubscriptionFilter
    Properties: {{DestinationArn: !GetAtt Fn.Arn, FilterPattern: "", LogGroupName: !Ref Logs}}
  Stream:
    Type: AWS::Kinesis::Stream
  ToStream:
    Type: AWS::Logs::SubscriptionFilter
    Properties: {{DestinationArn: !GetAtt Stream.Arn, FilterPattern: "", LogGroupName: !Ref Logs}}
  ToOtherFunction:
    Type: AWS::Logs::SubscriptionFilter
    Properties:
      DestinationArn: arn:aws:lambda:us-east-1:123456789012:function:elsewhere
      FilterPattern: ""
      LogGroupName: /aws/lambda/x
""")
    source = only(model)
    assert (source.declared_by, source.kind, source.mode, source.source_id) == \
        ("AWS::Logs::SubscriptionFilter", "logs", ASYNC, "Logs")
    assert source.path == ("Resources", "ToFunction")
    assert source.source_hit("x").path == ("Resources", "ToFunction", "Properties", "LogGroupName")


def test_api_gateway_integrations():
    model = model_of(f"""
Resources:
{FUNCTION}
  Api: {{Type: AWS::ApiGateway::RestApi, Properties: {{Name: a}}}}
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn.Arn}}/invocations
  Mock:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      HttpMethod: GET
      Integration: {{Type: MOCK}}
  Http: {{Type: AWS::ApiGatewayV2::Api, Properties: {{Name: h, ProtocolType: HTTP}}}}
  Ws: {{Type: AWS::ApiGatewayV2::Api, Properties: {{Name: w, ProtocolType: WEBSOCKET}}}}
  HttpIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {{ApiId: !Ref Http, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Fn.Arn}}
  WsIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Ws
      IntegrationType: AWS_PROXY
      IntegrationUri: !Join ["", ["arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/", !GetAtt Fn.Arn, "/invocations"]]
  Body:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        paths:
          /x:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn.Arn}}/invocations
""")
    found = sorted((s.declared_by, s.kind, s.mode) for s in event_sources(model))
    assert found == [
        ("AWS::ApiGateway::Method", "api", SYNC),
        ("AWS::ApiGateway::RestApi", "api", SYNC),
        ("AWS::ApiGatewayV2::Integration", "httpapi", SYNC),
        ("AWS::ApiGatewayV2::Integration", "websocket", SYNC),
    ]


QUEUE_TEMPLATE = """
Parameters:
  Unknown: {{Type: Number}}
  Known: {{Type: Number, Default: 90}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {properties}
{function}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt Q.Arn}}
"""


@pytest.mark.parametrize("properties, visibility, fifo, redrive", [
    ("{}", 30, False, False),
    ("{VisibilityTimeout: 120}", 120, False, False),
    ("{VisibilityTimeout: '45'}", 45, False, False),
    ("{VisibilityTimeout: !Ref Unknown}", UNKNOWN, False, False),
    ("{VisibilityTimeout: !Ref Known}", 90, False, False),
    ("{FifoQueue: true}", 30, True, False),
    ("{QueueName: jobs.fifo}", 30, True, False),
    ("{QueueName: !Ref Unknown}", 30, UNKNOWN, False),
    ("{RedrivePolicy: {deadLetterTargetArn: x, maxReceiveCount: 3}}", 30, False, True),
    ("{RedrivePolicy: !If [C, {deadLetterTargetArn: x, maxReceiveCount: 3}, !Ref AWS::NoValue]}", 30, False, UNKNOWN),
])
def test_queue_facts(properties, visibility, fifo, redrive):
    model = model_of(QUEUE_TEMPLATE.format(properties=properties, function=FUNCTION))
    queue = queue_of(model, only(model))
    assert (queue.visibility_timeout, queue.fifo, queue.redrive) == (visibility, fifo, redrive)


READERS_TEMPLATE = """
Parameters:
  Unknown: {Type: Number}
Resources:
  Q: {Type: AWS::SQS::Queue}
  Fast:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.13, Handler: a.h, Role: r, Code: {S3Bucket: b, S3Key: k}, Timeout: 20}
  Slow:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.13, Handler: a.h, Role: r, Code: {S3Bucket: b, S3Key: k}, Timeout: 90}
  Guess:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: a.h
      Role: arn:aws:iam::1:role/r
      Code: {S3Bucket: b, S3Key: k}
      Timeout: !Ref Unknown
  FastMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Fast, EventSourceArn: !GetAtt Q.Arn, MaximumBatchingWindowInSeconds: 15}
  SlowMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Slow, EventSourceArn: !GetAtt Q.Arn}
  GuessMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Guess, EventSourceArn: !GetAtt Q.Arn}
  UnknownWindow:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Fast, EventSourceArn: !GetAtt Q.Arn, MaximumBatchingWindowInSeconds: !Ref Unknown}
  Elsewhere:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Slow, EventSourceArn: arn:aws:sqs:us-east-1:123456789012:other}
"""


def test_queue_readers_pair_each_source_with_the_queue_of_this_template_it_reads():
    model = model_of(READERS_TEMPLATE)
    assert [(source.name, queue.logical_id) for source, queue in queue_readers(model)] == [
        ("event source mapping FastMapping", "Q"), ("event source mapping SlowMapping", "Q"),
        ("event source mapping GuessMapping", "Q"), ("event source mapping UnknownWindow", "Q")]  # not Elsewhere


def test_a_queue_hit_is_at_the_setting_naming_the_queue():
    model = model_of(READERS_TEMPLATE)
    source, _ = queue_readers(model)[0]
    assert queue_hit(source, "m") == Hit(("Resources", "FastMapping", "Properties", "EventSourceArn"), "m",
                                         "FastMapping")
    subscribed = _sns_subscription_model("true")
    assert queue_hit(only(subscribed), "m").path == ("Resources", "Fn", "Properties", "Events", "Notes",
                                                      "Properties", "SqsSubscription")


@pytest.mark.parametrize("limits, expected", [
    ({}, [(6, 20, 15, 135), (6, 90, 0, 540), None, None]),
    ({"sqs_visibility_timeout_function_timeout_factor": 2}, [(2, 20, 15, 55), (2, 90, 0, 180), None, None]),
])
def test_recommended_visibility_is_the_factor_times_the_timeout_plus_the_window(limits, expected):
    document = load_text(textwrap.dedent(READERS_TEMPLATE), "t.yaml")
    model = TemplateModel(document, Settings(limits=limits))
    advice = [recommended_visibility(model, source) for source, _ in queue_readers(model)]
    assert [None if need is None else (need.factor, need.timeout, need.window, need.seconds)
            for need in advice] == expected


def test_stream_through_enhanced_fan_out_consumer():
    model = model_of(f"""
Resources:
  S: {{Type: AWS::Kinesis::Stream}}
  C: {{Type: AWS::Kinesis::StreamConsumer, Properties: {{StreamARN: !GetAtt S.Arn, ConsumerName: c}}}}
{FUNCTION}
  Direct:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt S.Arn, StartingPosition: LATEST}}
  FanOut:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt C.ConsumerARN, StartingPosition: LATEST}}
""")
    streams = {s.resource: stream_of(model, s) for s in event_sources(model)}
    assert streams["Direct"].resource.logical_id == "S" and streams["Direct"].consumer is None
    assert streams["FanOut"].resource.logical_id == "S" and streams["FanOut"].consumer.logical_id == "C"


def test_async_configs_and_failure_destination():
    model = model_of("""
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function:
            EventInvokeConfig:
              MaximumRetryAttempts: 1
        Resources:
          Sam:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
          SamDlq:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
              DeadLetterQueue: {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:1:dlq}
          Plain:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Role: arn:aws:iam::1:role/r
              Code: {S3Bucket: b, S3Key: k.zip}
          Config:
            Type: AWS::Lambda::EventInvokeConfig
            Properties:
              FunctionName: !Ref Plain
              Qualifier: $LATEST
              DestinationConfig: {OnFailure: {Destination: arn:aws:sqs:us-east-1:1:failed}}
    """)
    sam, sam_dlq, plain = (model.function(name) for name in ("Sam", "SamDlq", "Plain"))
    assert [c.path for c in async_configs(model, sam)] == [("Globals", "Function", "EventInvokeConfig")]
    assert async_configs(model, plain)[0].declared_by == "AWS::Lambda::EventInvokeConfig"
    assert failure_destination(model, sam) is False
    assert failure_destination(model, sam_dlq) is True
    assert failure_destination(model, plain) is True


def test_sources_of_groups_by_function():
    model = model_of("""
        Transform: AWS::Serverless-2016-10-31
        Resources:
          A:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              CodeUri: s3://b/k.zip
              Events:
                One: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}
                Two: {Type: Api, Properties: {Path: /a, Method: get}}
          B:
            Type: AWS::Serverless::Function
            Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k.zip}
    """)
    assert [s.kind for s in sources_of(model, model.function("A"))] == ["schedule", "api"]
    assert sources_of(model, model.function("B")) == []
