"""The model's answers to what the LL6 rules ask: polled sources, queues, parameters as
integers, notifying buckets, streams, API integration timeouts and ways back to a trigger."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from lambdalint.model import UNKNOWN, TemplateModel
from lambdalint.model.events import async_configs, bucket_of, event_sources, poll_sources, queue_sources, stream_of
from lambdalint.model.integrations import integration_timeout, streams_response
from lambdalint.model.recursion import may_invoke_itself, write_back
from lambdalint.model.roles import execution_role
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


def by_name(model: TemplateModel):
    return {source.path[-1] if source.path[0] != "Resources" or len(source.path) > 2 else source.path[1]: source
            for source in event_sources(model)}


MIXED = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Q: {Type: AWS::SQS::Queue}
  S: {Type: AWS::Kinesis::Stream}
  T: {Type: AWS::SNS::Topic}
  B: {Type: AWS::S3::Bucket}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
        Clicks: {Type: Kinesis, Properties: {Stream: !GetAtt S.Arn, StartingPosition: LATEST}}
        Fanned: {Type: SNS, Properties: {Topic: !Ref T, SqsSubscription: true}}
        Pushed: {Type: SNS, Properties: {Topic: !Ref T}}
        Upload: {Type: S3, Properties: {Bucket: !Ref B, Events: s3:ObjectCreated:*}}
"""


def test_poll_sources_are_the_polled_ones_of_the_kinds_asked():
    model = model_of(MIXED)
    assert [(s.kind, s.path[-1]) for s in poll_sources(model)] == [
        ("sqs", "Jobs"), ("kinesis", "Clicks"), ("sns", "Fanned")]
    assert [s.path[-1] for s in poll_sources(model, "kinesis", "sqs")] == ["Jobs", "Clicks"]
    assert poll_sources(model, "s3") == []


def test_queue_sources_read_a_queue_the_template_declares_or_sam_generates():
    model = model_of(MIXED)
    assert [s.path[-1] for s in queue_sources(model)] == ["Jobs", "Fanned"]


MAPPING = """
Parameters:
  Unknown: {{Type: Number}}
Resources:
  Q: {{Type: AWS::SQS::Queue}}
{function}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt Q.Arn{extra}}}
"""


@given(st.integers(min_value=-10**6, max_value=10**6), st.booleans())
def test_a_parameter_reads_as_the_integer_written(number, quoted):
    written = f"'{number}'" if quoted else str(number)
    model = model_of(MAPPING.format(function=FUNCTION, extra=f", BatchSize: {written}"))
    assert event_sources(model)[0].integer("BatchSize") == number


@pytest.mark.parametrize("extra, expected", [
    ("", None),  # absent
    (", BatchSize: !Ref Unknown", UNKNOWN),
    (", BatchSize: ten", UNKNOWN),
    (", BatchSize: true", UNKNOWN),
    (", BatchSize: 2.5", UNKNOWN),
    (", BatchSize: !Ref AWS::NoValue", None),
])
def test_a_parameter_that_is_absent_is_none_and_one_unreadable_is_unknown(extra, expected):
    model = model_of(MAPPING.format(function=FUNCTION, extra=extra))
    assert event_sources(model)[0].integer("BatchSize") is expected


def test_async_config_parameters_read_as_integers():
    model = model_of(f"""
Resources:
{FUNCTION}
  Config:
    Type: AWS::Lambda::EventInvokeConfig
    Properties: {{FunctionName: !Ref Fn, Qualifier: $LATEST, MaximumRetryAttempts: '2', MaximumEventAgeInSeconds: x}}
""")
    config, = async_configs(model)
    assert config.integer("MaximumRetryAttempts") == 2
    assert config.integer("MaximumEventAgeInSeconds") is UNKNOWN
    assert config.integer("DestinationConfig") is None


BUCKET = """
Parameters:
  Flag: {{Type: String, AllowedValues: ['true', 'false']}}
Conditions:
  On: !Equals [!Ref Flag, 'true']
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      {properties}
      NotificationConfiguration:
        LambdaConfigurations: [{{Event: s3:ObjectCreated:*, Function: !GetAtt Fn.Arn}}]
{function}
"""


@pytest.mark.parametrize("properties, versioned, name", [
    ("Tags: []", False, None),
    ("VersioningConfiguration: {Status: Enabled}", True, None),
    ("VersioningConfiguration: {Status: Suspended}", False, None),
    ("VersioningConfiguration: {Status: !If [On, Enabled, Suspended]}", UNKNOWN, None),
    ("BucketName: uploads", False, "uploads"),
    ("BucketName: !Sub 'uploads-${AWS::AccountId}'", False, None),
])
def test_the_notifying_bucket_says_whether_it_is_versioned_and_its_name(properties, versioned, name):
    model = model_of(BUCKET.format(properties=properties, function=FUNCTION))
    bucket = bucket_of(model, event_sources(model)[0])
    assert (bucket.logical_id, bucket.versioned, bucket.name) == ("B", versioned, name)


def test_only_an_s3_source_on_a_bucket_of_the_template_has_a_bucket():
    model = model_of(MIXED.replace("Bucket: !Ref B", "Bucket: !Ref Q"))  # a queue is no bucket
    assert [bucket_of(model, s) for s in event_sources(model)] == [None] * 5
    model = model_of(MIXED)
    assert [s.path[-1] for s in event_sources(model) if bucket_of(model, s) is not None] == ["Upload"]


def test_a_stream_says_whether_it_is_a_kinesis_data_stream():
    model = model_of(f"""
Resources:
  S: {{Type: AWS::Kinesis::Stream}}
  C: {{Type: AWS::Kinesis::StreamConsumer, Properties: {{StreamARN: !GetAtt S.Arn, ConsumerName: c}}}}
  Table: {{Type: AWS::DynamoDB::Table, Properties: {{StreamSpecification: {{StreamViewType: KEYS_ONLY}}}}}}
{FUNCTION}
  Direct:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt S.Arn, StartingPosition: LATEST}}
  FanOut:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt C.ConsumerARN, StartingPosition: LATEST}}
  Changes:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn, EventSourceArn: !GetAtt Table.StreamArn, StartingPosition: LATEST}}
""")
    streams = {s.resource: stream_of(model, s) for s in event_sources(model)}
    assert {name: (stream.logical_id, stream.is_kinesis_stream) for name, stream in streams.items()} == {
        "Direct": ("S", True), "FanOut": ("S", True), "Changes": ("Table", False)}


API = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Millis: {{Type: Number}}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Get: {{Type: {event_type}, Properties: {{Path: /x, Method: get}}}}
        Jobs: {{Type: Schedule, Properties: {{Schedule: rate(1 hour)}}}}
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      HttpMethod: GET
      Integration:
        Type: AWS_PROXY
        Uri: !Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/{path}
        {integration}
  Rest: {{Type: AWS::ApiGateway::RestApi, Properties: {{Name: r}}}}
"""


def _timeouts(event_type="Api", integration="PassthroughBehavior: WHEN_NO_MATCH", path="2015-03-31/functions/${Fn.Arn}/invocations"):
    model = model_of(API.format(event_type=event_type, integration=integration, path=path))
    return {name: integration_timeout(model, source) for name, source in by_name(model).items()}


def test_integration_timeouts_default_per_kind_of_api_and_none_for_other_sources():
    assert _timeouts() == {"Get": 29, "Jobs": None, "Integration": 29}
    assert _timeouts(event_type="HttpApi")["Get"] == 30


@pytest.mark.parametrize("integration, expected", [
    ("TimeoutInMillis: 5000", 5.0),
    ("TimeoutInMillis: '12500'", 12.5),
    ("TimeoutInMillis: !Ref Millis", UNKNOWN),
    ("ResponseTransferMode: STREAM", None),
    ("ResponseTransferMode: BUFFERED", 29),
])
def test_integration_timeout_of_a_method(integration, expected):
    assert _timeouts(integration=integration)["Integration"] == expected


def test_a_response_streaming_uri_streams():
    model = model_of(API.format(event_type="Api", integration="", path="2015-03-31/functions/${Fn.Arn}/invocations"))
    method = by_name(model)["Integration"]
    streaming = "arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/${Fn.Arn}/response-streaming-invocations"
    assert not streams_response(method)
    for key in ("Uri", "uri"):
        assert streams_response(method.replace(parameters={key: {"Fn::Sub": streaming}}))


def test_a_sam_event_on_an_api_whose_body_defines_the_integration_is_left_to_the_body():
    model = model_of("""
Transform: AWS::Serverless-2016-10-31
Resources:
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        paths:
          /x:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                timeoutInMillis: 10000
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref Rest, Path: /x, Method: get}}
""")
    found = sorted((source.declared_by, integration_timeout(model, source)) for source in event_sources(model))
    assert found == [("AWS::Serverless::Api", 10.0), ("SAM Api event", None)]


LOOP = """
Transform: AWS::Serverless-2016-10-31
Resources:
  B: {{Type: AWS::S3::Bucket, Properties: {{BucketName: images}}}}
  Q: {{Type: AWS::SQS::Queue}}
  T: {{Type: AWS::SNS::Topic}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Policies: {policies}
      Events:
        Upload: {{Type: S3, Properties: {{Bucket: !Ref B, Events: s3:ObjectCreated:*{s3}}}}}
        Jobs: {{Type: SQS, Properties: {{Queue: !GetAtt Q.Arn{sqs}}}}}
        News: {{Type: SNS, Properties: {{Topic: !Ref T{sns}}}}}
"""


def _write_backs(policies="[]", s3="", sqs="", sns=""):
    model = model_of(LOOP.format(policies=policies, s3=s3, sqs=sqs, sns=sns))
    return model, {name: write_back(model, source) for name, source in by_name(model).items()}


def test_write_back_names_the_trigger_and_the_action_that_would_fire_it_again():
    _, found = _write_backs()
    assert {name: (loop.what, loop.action) for name, loop in found.items()} == {
        "Upload": ("bucket B", "s3:PutObject"), "Jobs": ("queue Q", "sqs:SendMessage"),
        "News": ("topic T", "sns:Publish")}
    assert set(found["Upload"].forms.forms) == {
        "${B.Arn}/*", "arn:${AWS::Partition}:s3:::${B}/*", "arn:aws:s3:::${B}/*",
        "arn:aws:s3:::images/*", "arn:${AWS::Partition}:s3:::images/*"}
    assert found["News"].forms.forms == ("${T}", "${T.TopicArn}")


@pytest.mark.parametrize("filters", [
    {"s3": ", Filter: {S3Key: {Rules: [{Name: prefix, Value: incoming/}]}}"},
    {"s3": ", Filter: {S3Key: {Rules: !Ref AWS::StackName}}"},  # unreadable: could be a filter
    {"sqs": ", FilterCriteria: {Filters: [{Pattern: '{}'}]}"},
    {"sns": ", FilterPolicy: {kind: [new]}"},
])
def test_a_filter_keeps_the_output_out_so_there_is_no_write_back(filters):
    _, found = _write_backs(**filters)
    assert [name for name, loop in found.items() if loop is None] == [
        {"s3": "Upload", "sqs": "Jobs", "sns": "News"}[next(iter(filters))]]


@pytest.mark.parametrize("resource, expected", [
    ("!GetAtt Fn.Arn", True),
    ("[!Sub '${Fn.Arn}:*', !GetAtt Fn.Arn]", True),
    ("!Sub '${Fn.Arn}:*'", False),  # versions and aliases only, not the function itself
    ("'*'", False),  # a grant on every function says nothing about this one
    ("arn:aws:lambda:us-east-1:123456789012:function:other", False),
])
def test_may_invoke_itself_only_by_a_statement_that_names_the_function(resource, expected):
    statement = f"{{Effect: Allow, Action: lambda:InvokeFunction, Resource: {resource}}}"
    model, _ = _write_backs(policies=f"[{{Statement: [{statement}]}}]")
    function = model.function("Fn")
    assert may_invoke_itself(execution_role(model, function), function) is expected
