"""LL5 security: the execution role allows what the template wires to the function - reading its
polled event sources, writing traces, decrypting its environment, sending to its destinations.

A missing permission is reported only when the IAM layer is sure (`allows(...) is False`);
an unknown answer (a policy we cannot see, a condition, an intrinsic) says nothing.
"""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.kms import environment_key
from lambdalint.model.required_permissions import destinations, polled_sources
from lambdalint.model.roles import execution_role
from lambdalint.registry import rule


@rule(
    id="LL5005",
    name="role-cannot-read-event-source",
    severity=Severity.ERROR,
    summary="Event source mapping whose source the execution role cannot read",
    source="https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions",
)
def check_event_source_permissions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For each event source mapping (`AWS::Lambda::EventSourceMapping`, SAM `SQS`, `Kinesis` and
    `DynamoDB` events) checks that the function's execution role allows the read actions on the
    source: `sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes` for SQS,
    `GetRecords` and `GetShardIterator` for Kinesis and DynamoDB streams. SAM-generated roles get
    these from the poller policy SAM attaches.

    ## Why is this bad?
    Lambda validates the role when it creates the mapping; the deployment fails ("The provided
    execution role does not have permissions to call ReceiveMessage on SQS").

    ## Example
    ```yaml
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref Worker
        EventSourceArn: !GetAtt Queue.Arn   # WorkerRole has only AWSLambdaBasicExecutionRole
    ```
    Use instead: add `arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole` (or the
    three actions on the queue) to the role.
    """
    for source, actions in polled_sources(model):
        role = execution_role(model, source.function)
        if role is None:
            continue
        missing = [a for a in actions if role.permissions.allows(a, source.source) is False]
        if missing:
            yield source.source_hit(f"role {role.key} of {source.function.logical_id} cannot call "
                                    f"{', '.join(missing)} on this {source.kind} source")


@rule(
    id="LL5006",
    name="tracing-without-xray-permission",
    severity=Severity.WARNING,
    summary="Active tracing without X-Ray write permission",
    source="https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
)
def check_xray_permission(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds functions with `TracingConfig.Mode: Active` (SAM `Tracing: Active`) whose execution
    role surely lacks `xray:PutTraceSegments` or `xray:PutTelemetryRecords`.

    ## Why is this bad?
    Lambda cannot send the traces: tracing is on, costs are paid, and no trace arrives.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt WorkerRole.Arn     # only AWSLambdaBasicExecutionRole
        TracingConfig: {Mode: Active}
    ```
    Use instead: add `arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess` to the role.
    """
    for function in model.functions:
        if function.tracing_mode != "Active":
            continue
        role = execution_role(model, function)
        if role is None:
            continue
        missing = [a for a in ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
                   if role.permissions.allows(a) is False]
        if missing:
            key = ("Tracing",) if function.is_sam else ("TracingConfig", "Mode")
            yield function.hit(f"tracing is Active but role {role.key} cannot call {', '.join(missing)}", *key)


@rule(
    id="LL5007",
    name="kms-key-without-decrypt",
    severity=Severity.WARNING,
    summary="KmsKeyArn on the function without kms:Decrypt for the role",
    source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
)
def check_kms_decrypt(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For a function whose `KmsKeyArn` names an `AWS::KMS::Key` of the template, whose key policy
    grants only the account (so IAM policies decide), reports an execution role that surely lacks
    `kms:Decrypt` on that key.

    ## Why is this bad?
    Lambda decrypts the environment variables with the function's role on each cold start; without
    `kms:Decrypt` every invocation fails with `KMSAccessDeniedException`.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        KmsKeyArn: !GetAtt EnvKey.Arn
        Role: !GetAtt WorkerRole.Arn     # no kms:Decrypt
    ```
    Use instead: allow `kms:Decrypt` on `!GetAtt EnvKey.Arn` in `WorkerRole`.
    """
    for function in model.functions:
        key = environment_key(model, function)
        if key is None:
            continue
        role = execution_role(model, function)
        if role is None or key.may_grant_directly(role.key):
            continue
        if role.permissions.allows("kms:Decrypt", key.arn) is False:
            yield function.hit(f"role {role.key} cannot kms:Decrypt with key {key.logical_id}: the function "
                               f"cannot read its environment variables", "KmsKeyArn")


@rule(
    id="LL5014",
    name="role-cannot-write-destination",
    severity=Severity.WARNING,
    summary="DLQ or destination target the execution role cannot write to",
    source="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
)
def check_destination_permissions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For dead-letter queues (`DeadLetterConfig`, SAM `DeadLetterQueue`) and destinations
    (`AWS::Lambda::EventInvokeConfig`, SAM `EventInvokeConfig`, event source mapping
    `DestinationConfig`) naming an SQS queue, SNS topic, function or event bus, checks that the
    execution role allows `sqs:SendMessage`, `sns:Publish`, `lambda:InvokeFunction` or
    `events:PutEvents` on it.

    ## Why is this bad?
    Lambda sends failed (or successful) events there with the function's role. Without the
    permission the records are dropped, exactly when you need them.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt WorkerRole.Arn        # no sqs:SendMessage
        DeadLetterConfig:
          TargetArn: !GetAtt DeadLetters.Arn
    ```
    Use instead: allow `sqs:SendMessage` on `!GetAtt DeadLetters.Arn` in `WorkerRole`.
    """
    for destination in destinations(model):
        if destination.action is None:
            continue
        role = execution_role(model, destination.function)
        if role is None:
            continue
        if role.permissions.allows(destination.action, destination.target) is False:
            yield destination.hit(f"role {role.key} of {destination.function.logical_id} cannot call "
                                  f"{destination.action} on this destination")
