"""LL6 SQS: the queue a function reads, against the function's timeout and Lambda's batching rules.

The queue is an `AWS::SQS::Queue` of the template an event source reads, or the one SAM puts
between a topic and the function for an SNS event's `SqsSubscription` (`queue_of`).
"""

from __future__ import annotations

from typing import Iterator, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.model import UNKNOWN, TemplateModel
from lambdalint.model.events import (
    EventSource,
    Queue,
    mapping_sources,
    queue_hit,
    queue_of,
    queue_readers,
    recommended_visibility,
)
from lambdalint.model.values import as_int
from lambdalint.registry import rule

SQS_CONFIGURE = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"
ESM_API = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html"
SQS_ERRORS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html"


def _sqs_pairs(model: TemplateModel) -> Iterator[Tuple[EventSource, Queue, int, int]]:
    """(source, queue, visibility timeout, function timeout) for queue sources whose numbers are known."""
    for source, queue in queue_readers(model):
        timeout = as_int(source.function.effective_timeout)
        visibility = queue.visibility_timeout
        if timeout is UNKNOWN or visibility is UNKNOWN:
            continue
        yield source, queue, visibility, timeout


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
    for source, queue, visibility, timeout in _sqs_pairs(model):
        if visibility < timeout:
            yield queue_hit(
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
    for source, queue, visibility, timeout in _sqs_pairs(model):
        if visibility < timeout:
            continue  # LL6001 says it louder
        advice = recommended_visibility(model, source)
        if advice is not None and visibility < advice.seconds:
            window = f" + {advice.window}s batching window" if advice.window else ""
            yield queue_hit(
                source,
                f"{queue.label} has a visibility timeout of {visibility}s; AWS recommends at least "
                f"{advice.seconds}s ({advice.factor} x the {advice.timeout}s timeout of "
                f"{source.function.logical_id}{window})")


@rule(id="LL6004", name="sqs-batch-without-window", severity=Severity.ERROR,
      summary="SQS batch size over 10 without a batching window of at least one second", source=ESM_API)


def check_sqs_batch_window(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports an SQS event source with `BatchSize` above 10 and no
    `MaximumBatchingWindowInSeconds` of at least 1, also on an event source mapping whose
    function is not in the template (a literal name or ARN).

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
    for source in mapping_sources(model, "sqs"):
        queue = queue_of(model, source)
        if queue is not None and queue.fifo is not False:
            continue  # a FIFO queue caps the batch at 10 (LL6003); unknown: stay quiet
        batch = source.integer("BatchSize")
        window = source.integer("MaximumBatchingWindowInSeconds")
        if not isinstance(batch, int) or window is UNKNOWN or batch <= most:
            continue
        if window is None or window < 1:
            yield source.hit(f"BatchSize {batch} on an SQS source needs MaximumBatchingWindowInSeconds of at "
                             f"least 1", "BatchSize")


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
    for source, queue in queue_readers(model):
        if queue.redrive is False:
            fix = " (give SqsSubscription the QueueArn of a queue that has one)" if queue.generated else ""
            yield queue_hit(source, f"{queue.label} read by {source.function.logical_id} has no redrive "
                                     f"policy: a poison message is retried until it expires{fix}")
