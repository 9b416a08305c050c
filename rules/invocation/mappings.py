"""LL6 event source mappings: the parameters Lambda accepts for each kind of source."""

from __future__ import annotations

from typing import Any, Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.events import POLL_KINDS, STREAM_KINDS, PolledSource, mapping_sources, queue_of
from lambdalint.registry import rule

ESM_API = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html"

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


def _batch_size_max(model: TemplateModel, source: PolledSource) -> Any:
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


def _range_hits(model: TemplateModel, source: PolledSource) -> Iterator[Hit]:
    batch = source.integer("BatchSize")
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
        value = source.integer(key)
        low, high = model.limit(low_name), model.limit(high_name)
        if isinstance(value, int) and not low <= value <= high:
            yield source.hit(f"{key} {value} is outside {low}-{high}", key)
    age = source.integer("MaximumRecordAgeInSeconds")
    infinite = model.limit("esm_maximum_record_age_s_infinite")
    low, high = model.limit("esm_maximum_record_age_s_min"), model.limit("esm_maximum_record_age_s_max")
    if isinstance(age, int) and age != infinite and not low <= age <= high:
        yield source.hit(f"MaximumRecordAgeInSeconds {age} must be {infinite} or {low}-{high}",
                         "MaximumRecordAgeInSeconds")


def _setting_hits(source: PolledSource) -> Iterator[Hit]:
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


def _fifo_hits(model: TemplateModel, source: PolledSource) -> Iterator[Hit]:
    queue = queue_of(model, source)
    window = source.integer("MaximumBatchingWindowInSeconds")
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
    and a missing `StartingPosition` for a Kinesis or DynamoDB stream. A mapping is checked
    whether its `FunctionName` is a function of the template or not (a literal name or ARN, an
    import): what Lambda accepts for a mapping does not depend on the function.

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
    for source in mapping_sources(model):
        if source.kind == "unknown":
            continue
        yield from _range_hits(model, source)
        yield from _setting_hits(source)
        if source.kind == "sqs":
            yield from _fifo_hits(model, source)
        elif source.kind in STREAM_KINDS and not source.has("StartingPosition"):
            yield source.hit(f"{source.name} reads a {source.kind} stream but sets no StartingPosition")
