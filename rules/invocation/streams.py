"""LL6 streams: Kinesis and DynamoDB stream sources, their failure handling and their readers."""

from __future__ import annotations

from typing import Dict, Iterator, List

from lambdalint.findings import Hit, Severity
from lambdalint.model import UNKNOWN, TemplateModel
from lambdalint.model.events import STREAM_KINDS, EventSource, poll_sources, stream_of
from lambdalint.registry import rule

STREAM_ERRORS = "https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-errors.html"
KINESIS_FAN_OUT = "https://docs.aws.amazon.com/streams/latest/dev/enhanced-consumers.html"


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
    for source in poll_sources(model, *STREAM_KINDS):
        bisect = source.value("BisectBatchOnFunctionError")
        retries = source.integer("MaximumRetryAttempts")
        age = source.integer("MaximumRecordAgeInSeconds")
        on_failure = source.value("DestinationConfig", "OnFailure")
        if UNKNOWN in (bisect, retries, age) or on_failure is UNKNOWN:
            continue
        if bisect in (True, "true", "True") or on_failure is not None:
            continue
        if isinstance(retries, int) and retries >= 0 or isinstance(age, int) and age >= 0:
            continue
        yield source.hit(f"{source.name} ({source.kind} stream) has no failure handling: a failing record is "
                         f"retried until it expires and blocks its shard")


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
    for source in poll_sources(model, "kinesis"):
        stream = stream_of(model, source)
        if stream is not None and stream.consumer is None and stream.is_kinesis_stream:
            shared.setdefault(stream.logical_id, []).append(source)
    for stream_id, sources in shared.items():
        for source in sources[2:]:
            yield source.source_hit(f"{len(sources)} event sources share Kinesis stream {stream_id} without "
                                    f"enhanced fan-out: each shard's read throughput is split between them")
