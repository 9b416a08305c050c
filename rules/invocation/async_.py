"""LL6 asynchronous invocation: where failed events go, the invoke config's ranges, S3 notifications."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.events import ASYNC, async_configs, bucket_of, event_sources, failure_destination, sources_of
from lambdalint.registry import rule

ASYNC_RETAIN = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html"
ASYNC_CONFIG_API = "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html"
S3_NOTIFICATIONS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html"


@rule(id="LL6006", name="async-without-failure-destination", severity=Severity.WARNING,
      summary="Asynchronously invoked function with no dead-letter queue or on-failure destination",
      source=ASYNC_RETAIN)


def check_async_failure_destination(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a function invoked asynchronously by a source in the template (S3 notification, SNS,
    EventBridge rule, schedule, CloudWatch Logs: a SAM `CloudWatchLogs` event or an
    `AWS::Logs::SubscriptionFilter` whose `DestinationArn` is the function, IoT) that has neither
    a dead-letter queue nor an on-failure destination. Functions invoked only synchronously (API
    Gateway) or through event source mappings are not concerned.

    ## Why is this bad?
    After the retries of asynchronous invocation, Lambda discards the event: a failure leaves
    no trace to inspect or replay.

    ## Example
    ```yaml
    Resizer:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}
    ```
    Use instead:
    ```yaml
    Resizer:
      Type: AWS::Serverless::Function
      Properties:
        EventInvokeConfig:
          DestinationConfig:
            OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}
        Events:
          Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}
    ```
    """
    for function in model.functions:
        asynchronous = [source for source in sources_of(model, function) if source.mode == ASYNC]
        if not asynchronous or failure_destination(model, function) is not False:
            continue
        kinds = ", ".join(sorted({source.kind for source in asynchronous}))
        yield function.hit(f"function {function.logical_id} is invoked asynchronously ({kinds}) but has no "
                           f"dead-letter queue or on-failure destination: failed events are dropped")


@rule(id="LL6007", name="async-invoke-config-range", severity=Severity.ERROR,
      summary="Async invoke config MaximumRetryAttempts or MaximumEventAgeInSeconds out of range",
      source=ASYNC_CONFIG_API)


def check_async_config_range(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks `MaximumRetryAttempts` (0-2) and `MaximumEventAgeInSeconds` (60-21600) of an
    `AWS::Lambda::EventInvokeConfig` or a SAM function's `EventInvokeConfig`.

    ## Why is this bad?
    Lambda rejects values outside these ranges and the deployment fails.

    ## Example
    ```yaml
    InvokeConfig:
      Type: AWS::Lambda::EventInvokeConfig
      Properties:
        FunctionName: !Ref Worker
        Qualifier: $LATEST
        MaximumRetryAttempts: 5
    ```
    Use instead:
    ```yaml
    InvokeConfig:
      Type: AWS::Lambda::EventInvokeConfig
      Properties:
        FunctionName: !Ref Worker
        Qualifier: $LATEST
        MaximumRetryAttempts: 2
    ```
    """
    ranges = (
        ("MaximumRetryAttempts", "async_maximum_retry_attempts_min", "async_maximum_retry_attempts_max"),
        ("MaximumEventAgeInSeconds", "async_maximum_event_age_s_min", "async_maximum_event_age_s_max"),
    )
    for config in async_configs(model):
        for key, low_name, high_name in ranges:
            number = config.integer(key)
            low, high = model.limit(low_name), model.limit(high_name)
            if isinstance(number, int) and not low <= number <= high:
                yield config.hit(f"{key} {number} is outside {low}-{high}", key)


@rule(id="LL6014", name="s3-trigger-unversioned-bucket", severity=Severity.INFO,
      summary="S3-triggered function on an unversioned bucket may miss simultaneous writes", source=S3_NOTIFICATIONS)


def check_s3_versioning(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports an S3 notification to a function from a bucket of the template without versioning.

    ## Why is this bad?
    When two writes to the same key of an unversioned bucket happen at the same time, S3 may
    send a single event notification: the function misses one of them. Versioning makes S3
    send one notification per successful write.

    ## Example
    ```yaml
    Uploads:
      Type: AWS::S3::Bucket
    ```
    Use instead:
    ```yaml
    Uploads:
      Type: AWS::S3::Bucket
      Properties:
        VersioningConfiguration:
          Status: Enabled
    ```
    """
    for source in event_sources(model, "s3"):
        bucket = bucket_of(model, source)
        if bucket is None or bucket.versioned is not False:
            continue  # not a bucket of the template, versioned, or a condition decides
        yield source.source_hit(f"bucket {bucket.logical_id} notifies {source.function.logical_id} but is not "
                                f"versioned: simultaneous writes to one key may send a single notification")
