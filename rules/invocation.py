"""LL6: invocation - event sources, async invocation, API timeouts, concurrency, recursion."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.model import UNKNOWN, Function, TemplateModel
from lambdalint.model.events import (
    ASYNC, POLL, POLL_KINDS, STREAM_KINDS, EventSource, async_configs, event_sources, failure_destination,
    queue_of, reads_queue, sources_of, stream_of,
)
from lambdalint.model.values import as_int
from lambdalint.registry import rule

SQS_CONFIGURE = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"
ESM_API = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html"
STREAM_ERRORS = "https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-errors.html"
ASYNC_RETAIN = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html"
ASYNC_CONFIG_API = "https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html"
APIGW_LIMITS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"
RECURSION = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html"
CONCURRENCY = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html"
SQS_ERRORS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html"
S3_NOTIFICATIONS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html"
KINESIS_FAN_OUT = "https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html"


def _poll_sources(model: TemplateModel, *kinds: str) -> Iterator[EventSource]:
    for source in event_sources(model):
        if source.mode == POLL and (not kinds or source.kind in kinds):
            yield source


def _integer(source: EventSource, *keys: str) -> Any:
    """A parameter as an int; None when absent, UNKNOWN when not a known integer."""
    value = source.value(*keys)
    return None if value is None else as_int(value)


# --------------------------------------------------------------------------- SQS visibility

def _queue_sources(model: TemplateModel) -> Iterator[EventSource]:
    """Sources that read an SQS queue: SQS sources and SAM SNS events with SqsSubscription."""
    return (source for source in event_sources(model) if reads_queue(source))


def _queue_hit(source: EventSource, message: str) -> Hit:
    """A finding about the queue a source reads, at the setting that names it."""
    return source.hit(message, "SqsSubscription") if source.kind == "sns" else source.source_hit(message)


def _sqs_pairs(model: TemplateModel) -> Iterator[Tuple[EventSource, int, int]]:
    """(source, visibility timeout, function timeout) for queue sources whose numbers are known."""
    for source in _queue_sources(model):
        queue = queue_of(model, source)
        if queue is None:
            continue
        timeout = as_int(source.function.effective_timeout)
        visibility = queue.visibility_timeout
        if timeout is UNKNOWN or visibility is UNKNOWN:
            continue
        yield source, visibility, timeout


@rule(id="LL6001", name="sqs-visibility-below-timeout", severity=Severity.ERROR,
      summary="SQS visibility timeout shorter than the function timeout", source=SQS_CONFIGURE)
def check_visibility_below_timeout(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Compares the visibility timeout of an SQS queue (30 s when unset) with the timeout of the
    function an event source reads it into. The queue of a SAM SNS event's `SqsSubscription`
    counts too: the one its `QueueArn` names, or for `SqsSubscription: true` the queue SAM
    creates, which has no properties and so a 30 s visibility timeout.

    ## Why is this bad?
    Lambda refuses to create the event source mapping when the function timeout exceeds the
    queue's visibility timeout: the deployment fails.

    ## Example
    ```yaml
    Queue:
      Type: AWS::SQS::Queue          # visibility timeout 30 s
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 60
        Events:
          Jobs: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}
    ```
    Use instead:
    ```yaml
    Queue:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 360
    ```
    """
    for source, visibility, timeout in _sqs_pairs(model):
        if visibility < timeout:
            queue = queue_of(model, source)
            yield _queue_hit(
                source,
                f"{queue.label} has a visibility timeout of {visibility}s, shorter than the "
                f"{timeout}s timeout of function {source.function.logical_id}: Lambda refuses the mapping")


@rule(id="LL6002", name="sqs-visibility-below-recommended", severity=Severity.WARNING,
      summary="SQS visibility timeout below six times the function timeout plus the batching window",
      source=SQS_CONFIGURE)
def check_visibility_recommended(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that an SQS queue read by a function has a visibility timeout of at least six times
    the function timeout plus the mapping's `MaximumBatchingWindowInSeconds`, as AWS recommends.

    ## Why is this bad?
    With a shorter visibility timeout, messages of a batch that is retried after throttling or
    an error become visible again while still being processed and are handled twice.

    ## Example
    ```yaml
    Queue:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 60
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 30
        Events:
          Jobs: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}
    ```
    Use instead:
    ```yaml
    Queue:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 180
    ```
    """
    factor = model.limit("sqs_visibility_timeout_function_timeout_factor")
    for source, visibility, timeout in _sqs_pairs(model):
        if visibility < timeout:
            continue  # LL6001 says it louder
        window = _integer(source, "MaximumBatchingWindowInSeconds")
        if window is UNKNOWN:
            continue
        wanted = factor * timeout + (window or 0)
        if visibility < wanted:
            queue = queue_of(model, source)
            yield _queue_hit(
                source,
                f"{queue.label} has a visibility timeout of {visibility}s; AWS recommends at least "
                f"{wanted}s ({factor} x the {timeout}s timeout of {source.function.logical_id}"
                f"{f' + {window}s batching window' if window else ''})")


# --------------------------------------------------------------------------- mapping parameters

# Settings Lambda accepts only for some kinds of source (AWS CLI create-event-source-mapping:
# https://docs.aws.amazon.com/cli/latest/reference/lambda/create-event-source-mapping.html):
# ParallelizationFactor and tumbling windows for Kinesis and DynamoDB streams; the error
# handling settings for those and for Kafka (MSK, self-managed); no StartingPosition on SQS.
_WITH_ERROR_HANDLING = STREAM_KINDS | {"msk", "kafka"}
_SETTING_KINDS = (
    ("ParallelizationFactor", STREAM_KINDS),
    ("TumblingWindowInSeconds", STREAM_KINDS),
    ("MaximumRetryAttempts", _WITH_ERROR_HANDLING),
    ("MaximumRecordAgeInSeconds", _WITH_ERROR_HANDLING),
    ("StartingPosition", POLL_KINDS - {"sqs"}),
)
_SOURCE_NAMES = {"sqs": "an SQS", "kinesis": "a Kinesis", "dynamodb": "a DynamoDB", "msk": "an MSK",
                 "kafka": "a self-managed Kafka", "mq": "an Amazon MQ", "documentdb": "a DocumentDB"}


def _batch_size_max(model: TemplateModel, source: EventSource) -> Any:
    if source.kind == "sqs":
        queue = queue_of(model, source)
        fifo = queue.fifo if queue is not None else False
        if fifo is True:
            return model.limit("esm_batch_size_max_sqs_fifo"), "FIFO queue"
        return model.limit("esm_batch_size_max_sqs_standard"), "SQS"
    try:
        return model.limit(f"esm_batch_size_max_{source.kind}"), source.kind
    except KeyError:
        return None, source.kind


def _range_hits(model: TemplateModel, source: EventSource) -> Iterator[Hit]:
    batch = _integer(source, "BatchSize")
    high, label = _batch_size_max(model, source)
    low = model.limit("esm_batch_size_min")
    if isinstance(batch, int) and high is not None and not low <= batch <= high:
        yield source.hit(f"BatchSize {batch} is outside {low}-{high} for a {label} source", "BatchSize")
    ranges = (
        ("MaximumBatchingWindowInSeconds", "esm_batching_window_s_min", "esm_batching_window_s_max"),
        ("ParallelizationFactor", "esm_parallelization_factor_min", "esm_parallelization_factor_max"),
        ("MaximumRetryAttempts", "esm_maximum_retry_attempts_min", "esm_maximum_retry_attempts_max"),
        ("TumblingWindowInSeconds", "esm_tumbling_window_s_min", "esm_tumbling_window_s_max"),
    )
    for key, low_name, high_name in ranges:
        value = _integer(source, key)
        low, high = model.limit(low_name), model.limit(high_name)
        if isinstance(value, int) and not low <= value <= high:
            yield source.hit(f"{key} {value} is outside {low}-{high}", key)
    age = _integer(source, "MaximumRecordAgeInSeconds")
    infinite = model.limit("esm_maximum_record_age_s_infinite")
    low, high = model.limit("esm_maximum_record_age_s_min"), model.limit("esm_maximum_record_age_s_max")
    if isinstance(age, int) and age != infinite and not low <= age <= high:
        yield source.hit(f"MaximumRecordAgeInSeconds {age} must be {infinite} or {low}-{high}",
                         "MaximumRecordAgeInSeconds")


def _setting_hits(source: EventSource) -> Iterator[Hit]:
    """Settings the kind of source does not take."""
    name = _SOURCE_NAMES.get(source.kind, f"a {source.kind}")
    for key, kinds in _SETTING_KINDS:
        if source.kind not in kinds and source.has(key):
            yield source.hit(f"{key} is not supported for {name} event source", key)
    if source.kind in _WITH_ERROR_HANDLING:
        return
    if source.value("BisectBatchOnFunctionError") in (True, "true", "True"):
        yield source.hit(f"BisectBatchOnFunctionError is not supported for {name} event source",
                         "BisectBatchOnFunctionError")
    if source.has("DestinationConfig", "OnFailure"):
        hint = " (use the queue's redrive policy)" if source.kind in ("sqs", "mq") else ""
        yield source.hit(f"an on-failure destination is not supported for {name} event source{hint}",
                         "DestinationConfig", "OnFailure")


def _fifo_hits(model: TemplateModel, source: EventSource) -> Iterator[Hit]:
    queue = queue_of(model, source)
    window = _integer(source, "MaximumBatchingWindowInSeconds")
    if queue is not None and queue.fifo is True and isinstance(window, int) and window > 0:
        yield source.hit(f"MaximumBatchingWindowInSeconds is not supported for FIFO queue {queue.logical_id}",
                         "MaximumBatchingWindowInSeconds")


@rule(id="LL6003", name="event-source-parameter-range", severity=Severity.ERROR,
      summary="Event source mapping parameter out of range or not allowed for its source", source=ESM_API)
def check_mapping_parameters(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks the parameters of event source mappings (and SAM polling events) against the ranges
    Lambda accepts for the kind of source: `BatchSize` per source (at most 10 for a FIFO queue),
    `MaximumBatchingWindowInSeconds` 0-300 (none on FIFO queues), `ParallelizationFactor` 1-10,
    `MaximumRetryAttempts` -1 to 10000, `MaximumRecordAgeInSeconds` -1 or 60-604800,
    `TumblingWindowInSeconds` 0-900; settings the source does not take (`ParallelizationFactor`
    and `TumblingWindowInSeconds` outside Kinesis and DynamoDB streams, retries, record age,
    bisecting and on-failure destinations outside streams and Kafka, `StartingPosition` on SQS);
    and a missing `StartingPosition` for a Kinesis or DynamoDB stream.

    ## Why is this bad?
    Lambda rejects the mapping and the deployment fails.

    ## Example
    ```yaml
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref Worker
        EventSourceArn: !GetAtt Stream.Arn
        ParallelizationFactor: 20
    ```
    Use instead:
    ```yaml
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref Worker
        EventSourceArn: !GetAtt Stream.Arn
        StartingPosition: LATEST
        ParallelizationFactor: 10
    ```
    """
    for source in _poll_sources(model):
        if source.kind == "unknown":
            continue
        yield from _range_hits(model, source)
        yield from _setting_hits(source)
        if source.kind == "sqs":
            yield from _fifo_hits(model, source)
        elif source.kind in STREAM_KINDS and not source.has("StartingPosition"):
            yield source.hit(f"{source.name} reads a {source.kind} stream but sets no StartingPosition")


@rule(id="LL6004", name="sqs-batch-without-window", severity=Severity.ERROR,
      summary="SQS batch size over 10 without a batching window of at least one second", source=ESM_API)
def check_sqs_batch_window(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports an SQS event source with `BatchSize` above 10 and no
    `MaximumBatchingWindowInSeconds` of at least 1.

    ## Why is this bad?
    Lambda requires a batching window of at least one second for SQS batches larger than 10;
    the mapping is rejected.

    ## Example
    ```yaml
    Events:
      Jobs:
        Type: SQS
        Properties:
          Queue: !GetAtt Queue.Arn
          BatchSize: 100
    ```
    Use instead:
    ```yaml
    Events:
      Jobs:
        Type: SQS
        Properties:
          Queue: !GetAtt Queue.Arn
          BatchSize: 100
          MaximumBatchingWindowInSeconds: 5
    ```
    """
    most = model.limit("esm_sqs_batch_size_without_batching_window_max")
    for source in _poll_sources(model, "sqs"):
        queue = queue_of(model, source)
        if queue is not None and queue.fifo is not False:
            continue  # a FIFO queue caps the batch at 10 (LL6003); unknown: stay quiet
        batch = _integer(source, "BatchSize")
        window = _integer(source, "MaximumBatchingWindowInSeconds")
        if not isinstance(batch, int) or window is UNKNOWN or batch <= most:
            continue
        if window is None or window < 1:
            yield source.hit(f"BatchSize {batch} on an SQS source needs MaximumBatchingWindowInSeconds of at "
                             f"least 1", "BatchSize")


# --------------------------------------------------------------------------- failure handling

@rule(id="LL6005", name="stream-without-failure-handling", severity=Severity.WARNING,
      summary="Stream event source without bisect, bounded retries or an on-failure destination",
      source=STREAM_ERRORS)
def check_stream_failure_handling(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a Kinesis or DynamoDB stream event source with none of: `BisectBatchOnFunctionError`,
    a bounded `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`, or an on-failure
    destination.

    ## Why is this bad?
    By default Lambda retries a failing batch until its records expire (up to a week for
    Kinesis, a day for DynamoDB). One bad record blocks its shard the whole time, and the
    records behind it wait or are lost.

    ## Example
    ```yaml
    Events:
      Changes:
        Type: DynamoDB
        Properties:
          Stream: !GetAtt Table.StreamArn
          StartingPosition: LATEST
    ```
    Use instead:
    ```yaml
    Events:
      Changes:
        Type: DynamoDB
        Properties:
          Stream: !GetAtt Table.StreamArn
          StartingPosition: LATEST
          MaximumRetryAttempts: 3
          BisectBatchOnFunctionError: true
          DestinationConfig:
            OnFailure:
              Destination: !GetAtt FailedRecords.Arn
    ```
    """
    for source in _poll_sources(model, *STREAM_KINDS):
        bisect = source.value("BisectBatchOnFunctionError")
        retries = _integer(source, "MaximumRetryAttempts")
        age = _integer(source, "MaximumRecordAgeInSeconds")
        on_failure = source.value("DestinationConfig", "OnFailure")
        if UNKNOWN in (bisect, retries, age) or on_failure is UNKNOWN:
            continue
        if bisect in (True, "true", "True") or on_failure is not None:
            continue
        if isinstance(retries, int) and retries >= 0 or isinstance(age, int) and age >= 0:
            continue
        yield source.hit(f"{source.name} ({source.kind} stream) has no failure handling: a failing record is "
                         f"retried until it expires and blocks its shard")


@rule(id="LL6006", name="async-without-failure-destination", severity=Severity.WARNING,
      summary="Asynchronously invoked function with no dead-letter queue or on-failure destination",
      source=ASYNC_RETAIN)
def check_async_failure_destination(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a function invoked asynchronously by a source in the template (S3 notification, SNS,
    EventBridge rule, schedule, CloudWatch Logs, IoT) that has neither a dead-letter queue nor an
    on-failure destination. Functions invoked only synchronously (API Gateway) or through event
    source mappings are not concerned.

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
            value = config.value(key)
            number = None if value is None else as_int(value)
            low, high = model.limit(low_name), model.limit(high_name)
            if isinstance(number, int) and not low <= number <= high:
                yield config.hit(f"{key} {number} is outside {low}-{high}", key)


# --------------------------------------------------------------------------- API Gateway

def _streams_response(model: TemplateModel, source: EventSource) -> bool:
    """REST API response streaming (`ResponseTransferMode: STREAM`) allows integrations of up to 15 minutes."""
    for key in ("responseTransferMode", "ResponseTransferMode"):
        if source.has(key) and source.value(key) != "BUFFERED":
            return True
    from lambdalint.model.values import normalise_value

    uri = normalise_value(source.parameters.get("uri", source.parameters.get("Uri")))
    return isinstance(uri, str) and "response-streaming-invocations" in uri


def _integration_timeout(model: TemplateModel, source: EventSource, siblings: List[EventSource]) -> Any:
    """The integration timeout in seconds, or None when the source is not an API we know."""
    if source.declared_by.startswith("SAM") and source.source_id is not None and any(
        other.source_id == source.source_id and not other.declared_by.startswith("SAM") for other in siblings
    ):
        return None  # the API's OpenAPI body defines this integration: that entry decides
    if _streams_response(model, source):
        return None
    if source.kind == "api":
        default = model.limit("apigateway_rest_integration_timeout_s_default")
    elif source.kind == "httpapi":
        default = model.limit("apigateway_http_integration_timeout_s_max")
    else:
        return None
    key = "timeoutInMillis" if source.has("timeoutInMillis") else "TimeoutInMillis"
    millis = _integer(source, key)
    if millis is None:
        return default
    return UNKNOWN if millis is UNKNOWN else millis / 1000


@rule(id="LL6008", name="timeout-above-api-integration", severity=Severity.WARNING,
      summary="Function timeout above the API Gateway integration timeout", source=APIGW_LIMITS)
def check_api_timeout(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Compares the timeout of a function behind API Gateway with the integration timeout: the
    integration's `TimeoutInMillis` when set, else 29 s for a REST API (configurable through the
    `apigateway_rest_integration_timeout_s_default` limit, as regional APIs may raise it) and
    30 s for an HTTP API.

    ## Why is this bad?
    When the function runs longer than the integration timeout the client receives a 504 while
    the function keeps running (and is billed) to produce an answer nobody reads.

    ## Example
    ```yaml
    Api:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 60
        Events:
          Get: {Type: Api, Properties: {Path: /items, Method: get}}
    ```
    Use instead:
    ```yaml
    Api:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 25
        Events:
          Get: {Type: Api, Properties: {Path: /items, Method: get}}
    ```
    """
    for function in model.functions:
        timeout = as_int(function.effective_timeout)
        if timeout is UNKNOWN:
            continue
        tightest: Optional[Tuple[float, EventSource]] = None
        siblings = sources_of(model, function)
        for source in siblings:
            limit = _integration_timeout(model, source, siblings)
            if limit is None or limit is UNKNOWN:
                continue
            if tightest is None or limit < tightest[0]:
                tightest = (limit, source)
        if tightest is not None and timeout > tightest[0]:
            limit, source = tightest
            yield function.hit(f"function {function.logical_id} may run {timeout}s but {source.name} "
                               f"({source.kind}) times out after {limit:g}s: clients get 504", "Timeout")


# --------------------------------------------------------------------------- concurrency

def _reserved(function: Function) -> Any:
    value = function.value("ReservedConcurrentExecutions")
    return None if value is None else as_int(value)


@rule(id="LL6010", name="reserved-concurrency-zero", severity=Severity.WARNING,
      summary="ReservedConcurrentExecutions 0 throttles every invocation", source=CONCURRENCY)
def check_reserved_zero(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a function with `ReservedConcurrentExecutions: 0`.

    ## Why is this bad?
    A reserved concurrency of zero stops the function: every invocation is throttled. It is an
    emergency brake, not a setting to deploy by accident.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        ReservedConcurrentExecutions: 0
    ```
    Use instead:
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        ReservedConcurrentExecutions: 10
    ```
    """
    for function in model.functions:
        if _reserved(function) == 0:
            yield function.hit(f"function {function.logical_id} has ReservedConcurrentExecutions 0: every "
                               f"invocation is throttled", "ReservedConcurrentExecutions")


@rule(id="LL6011", name="reserved-concurrency-exhausts-account", severity=Severity.ERROR,
      summary="Reserved concurrency of the template leaves fewer than 100 unreserved executions",
      source=CONCURRENCY)
def check_reserved_total(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Adds up the reserved concurrency of every function in the template and compares it with the
    account concurrency limit (1000 by default; set `limits: {account_concurrency_default: N}`
    in the configuration for your account). Values in exclusive `Fn::If` branches are not added
    together (the smaller counts), and functions with a `Condition` are not counted.

    ## Why is this bad?
    Lambda keeps at least 100 executions unreserved for the functions without reservation; a
    reservation that would go below that fails to deploy.

    ## Example
    ```yaml
    Ingest:
      Type: AWS::Lambda::Function
      Properties:
        ReservedConcurrentExecutions: 600
    Report:
      Type: AWS::Lambda::Function
      Properties:
        ReservedConcurrentExecutions: 400
    ```
    Use instead:
    ```yaml
    Ingest:
      Type: AWS::Lambda::Function
      Properties:
        ReservedConcurrentExecutions: 500
    Report:
      Type: AWS::Lambda::Function
      Properties:
        ReservedConcurrentExecutions: 300
    ```
    """
    account = as_int(model.limit("account_concurrency_default"))
    keep = as_int(model.limit("unreserved_concurrency_min"))
    if not isinstance(account, int) or not isinstance(keep, int):
        return
    total = 0
    for function in model.functions:
        if function.resource.condition is not None:
            continue
        numbers = [as_int(c) for c in function.candidates("ReservedConcurrentExecutions")]
        if not numbers or any(not isinstance(n, int) for n in numbers):
            continue
        before, total = total, total + min(numbers)
        if account - before >= keep > account - total:
            yield function.hit(
                f"reserved concurrency of the template's functions reaches {total} here, leaving "
                f"{account - total} of the account's {account} unreserved (at least {keep} must stay "
                f"unreserved)", "ReservedConcurrentExecutions")


@rule(id="LL6013", name="no-reserved-concurrency", severity=Severity.INFO,
      summary="Function without reserved concurrency can take the account's whole pool", source=CONCURRENCY,
      opt_in=True)
def check_no_reserved(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports functions without `ReservedConcurrentExecutions` (opt-in policy rule).

    ## Why is this bad?
    Without a reservation, one busy function can use all of the account's concurrency and
    throttle every other function in the account and Region.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.12
    ```
    Use instead:
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.12
        ReservedConcurrentExecutions: 50
    ```
    """
    for function in model.functions:
        if not function.has("ReservedConcurrentExecutions"):
            yield function.hit(f"function {function.logical_id} has no reserved concurrency")


# --------------------------------------------------------------------------- queues, buckets, streams

@rule(id="LL6012", name="sqs-source-without-redrive", severity=Severity.WARNING,
      summary="SQS event source on a queue with no redrive policy", source=SQS_ERRORS)
def check_sqs_redrive(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports an SQS event source whose queue (defined in the template) has no `RedrivePolicy`;
    also a SAM SNS event with `SqsSubscription: true`, whose generated queue never has one.

    ## Why is this bad?
    A message the function cannot process comes back after every visibility timeout until the
    queue's retention period ends, costing invocations and hiding the failure. A dead-letter
    queue keeps it aside after a few attempts.

    ## Example
    ```yaml
    Queue:
      Type: AWS::SQS::Queue
    ```
    Use instead:
    ```yaml
    Queue:
      Type: AWS::SQS::Queue
      Properties:
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt DeadLetters.Arn
          maxReceiveCount: 5
    ```
    """
    for source in _queue_sources(model):
        queue = queue_of(model, source)
        if queue is not None and queue.redrive is False:
            fix = " (give SqsSubscription the QueueArn of a queue that has one)" if queue.generated else ""
            yield _queue_hit(source, f"{queue.label} read by {source.function.logical_id} has no redrive "
                                     f"policy: a poison message is retried until it expires{fix}")


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
        bucket = source.source_resource
        if bucket is None or bucket.type != "AWS::S3::Bucket":
            continue
        status = model.resolve(bucket.get("VersioningConfiguration", "Status")) \
            if bucket.get("VersioningConfiguration") is not None else None
        if status is UNKNOWN or status == "Enabled":
            continue
        yield source.source_hit(f"bucket {bucket.logical_id} notifies {source.function.logical_id} but is not "
                                f"versioned: simultaneous writes to one key may send a single notification")


@rule(id="LL6015", name="kinesis-shared-without-fan-out", severity=Severity.INFO,
      summary="More than two event source mappings on one Kinesis stream without enhanced fan-out",
      source=KINESIS_FAN_OUT)
def check_kinesis_fan_out(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Counts the functions reading one Kinesis stream of the template through shared-throughput
    consumers (not through an `AWS::Kinesis::StreamConsumer`) and reports from the third on.

    ## Why is this bad?
    Shared-throughput consumers split each shard's 2 MB/s read throughput and its five
    GetRecords calls per second: with more than two, every reader falls behind and sees
    throttling. Enhanced fan-out gives each consumer its own throughput.

    ## Example
    ```yaml
    Events:
      Stream: {Type: Kinesis, Properties: {Stream: !GetAtt Clicks.Arn, StartingPosition: LATEST}}
    ```
    Use instead:
    ```yaml
    Consumer:
      Type: AWS::Kinesis::StreamConsumer
      Properties: {StreamARN: !GetAtt Clicks.Arn, ConsumerName: reporter}
    # and in the function:
    Events:
      Stream: {Type: Kinesis, Properties: {Stream: !GetAtt Consumer.ConsumerARN, StartingPosition: LATEST}}
    ```
    """
    shared: Dict[str, List[EventSource]] = {}
    for source in _poll_sources(model, "kinesis"):
        stream = stream_of(model, source)
        if stream is not None and stream.consumer is None and stream.resource.type == "AWS::Kinesis::Stream":
            shared.setdefault(stream.resource.logical_id, []).append(source)
    for stream_id, sources in shared.items():
        for source in sources[2:]:
            yield source.source_hit(f"{len(sources)} event sources share Kinesis stream {stream_id} without "
                                    f"enhanced fan-out: each shard's read throughput is split between them")


# --------------------------------------------------------------------------- recursion

def _bucket_object_forms(model: TemplateModel, bucket_id: str) -> Any:
    """Spellings of "any object of bucket B" as policies write them."""
    from lambdalint.iam import ResourceForms

    forms = ["${%s.Arn}/*" % bucket_id]
    for partition in ("${AWS::Partition}", "aws"):
        forms.append("arn:%s:s3:::${%s}/*" % (partition, bucket_id))
    name = model.resolve(model.resources[bucket_id].get("BucketName"))
    if isinstance(name, str):
        forms.extend(("arn:aws:s3:::%s/*" % name, "arn:${AWS::Partition}:s3:::%s/*" % name))
    return ResourceForms(tuple(forms))


def _filtered(source: EventSource) -> Any:
    """True when the S3 notification has a prefix or suffix rule (output may be kept out), UNKNOWN if unreadable."""
    rules = source.value("Filter", "S3Key", "Rules")
    if rules is None:
        return False
    if not isinstance(rules, list):
        return UNKNOWN
    for entry in rules:
        if not isinstance(entry, dict):
            return UNKNOWN
        name, value = entry.get("Name"), entry.get("Value")
        if not isinstance(name, str) or not isinstance(value, str):
            return UNKNOWN
        if name.lower() in ("prefix", "suffix") and value:
            return True
    return False


def _names_function(permissions: Any, logical_id: str) -> bool:
    """An unconditional Allow of lambda:InvokeFunction on a resource that names the function itself."""
    from lambdalint.iam.policy import statement_applies

    tokens = ("${%s}" % logical_id, "${%s.Arn}" % logical_id)
    for statement in permissions.statements:
        if statement.effect != "Allow" or statement.conditional or not statement.resources:
            continue
        for item in statement.resources:
            if isinstance(item, str) and any(token in item for token in tokens) and \
                    statement_applies(statement, "lambda:InvokeFunction", item) is True:
                return True
    return False


def _loop(model: TemplateModel, source: EventSource) -> Optional[Tuple[str, str, Any]]:
    """(what, action, resource forms) when the source's resource is one the function could write back to."""
    from lambdalint.iam import ResourceForms

    resource = source.source_resource
    if resource is None:
        return None
    if source.kind == "s3" and resource.type == "AWS::S3::Bucket":
        if _filtered(source) is not False:
            return None
        return f"bucket {resource.logical_id}", "s3:PutObject", _bucket_object_forms(model, resource.logical_id)
    if source.kind == "sqs" and resource.type == "AWS::SQS::Queue" and not source.has("FilterCriteria"):
        return f"queue {resource.logical_id}", "sqs:SendMessage", ResourceForms(("${%s.Arn}" % resource.logical_id,))
    if source.kind == "sns" and resource.type == "AWS::SNS::Topic" and not source.has("FilterPolicy"):
        forms = ("${%s}" % resource.logical_id, "${%s.TopicArn}" % resource.logical_id)
        return f"topic {resource.logical_id}", "sns:Publish", ResourceForms(forms)
    return None


@rule(id="LL6009", name="recursive-invocation-loop", severity=Severity.WARNING,
      summary="Function may write to the bucket, queue or topic that triggers it", source=RECURSION)
def check_recursion(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a function triggered by an S3 bucket of the template whose execution role surely
    allows `s3:PutObject` on any object of that bucket while the notification has no prefix
    or suffix filter; the same for an SQS queue (`sqs:SendMessage`, no `FilterCriteria`) or
    SNS topic (`sns:Publish`, no `FilterPolicy`) that triggers it; and a function whose role
    may invoke the function itself by name (a grant on every function is not counted). Nothing is reported when a permission is only possible
    (conditions, unreadable policies, roles outside the template).

    ## Why is this bad?
    Every object (or message) the function writes triggers it again: a loop that runs up
    costs until Lambda's recursion detection or a quota stops it.

    ## Example
    ```yaml
    Resizer:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - S3CrudPolicy: {BucketName: !Ref Images}
        Events:
          Upload:
            Type: S3
            Properties: {Bucket: !Ref Images, Events: s3:ObjectCreated:*}
    ```
    Use instead:
    ```yaml
    Resizer:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - S3CrudPolicy: {BucketName: !Ref Images}
        Events:
          Upload:
            Type: S3
            Properties:
              Bucket: !Ref Images
              Events: s3:ObjectCreated:*
              Filter:
                S3Key:
                  Rules: [{Name: prefix, Value: incoming/}]   # and write to processed/
    ```
    """
    from lambdalint.iam import ResourceForms
    from lambdalint.model.roles import execution_role

    for function in model.functions:
        role = execution_role(model, function)
        if role is None:
            continue
        for source in sources_of(model, function):
            loop = _loop(model, source)
            if loop is None:
                continue
            what, action, forms = loop
            if role.permissions.allows(action, forms) is True:
                yield source.hit(f"recursive loop: {what} invokes {function.logical_id}, whose role may "
                                 f"{action} to it, and nothing keeps its own output from triggering it again")
        self_forms = ResourceForms(("${%s.Arn}" % function.logical_id,))
        # a grant on every function (lambda:* on *, admin policies) says nothing about this one
        if role.permissions.allows("lambda:InvokeFunction", self_forms) is True and \
                _names_function(role.permissions, function.logical_id):
            yield function.hit(f"recursive loop: the role of {function.logical_id} may lambda:InvokeFunction the "
                               f"function itself")
