"""LL2: the numbers Lambda bounds - memory, timeout, /tmp, name and description lengths, and the
memory and timeout defaults a function runs with when it sets none."""

from __future__ import annotations

import re
from typing import Any, Iterator, List, Optional, Tuple

from lambdalint.findings import Hit, Severity, number_text
from lambdalint.model import UNKNOWN, Function, TemplateModel, events
from lambdalint.model.values import as_number
from lambdalint.registry import rule

QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
FUNCTION_RESOURCE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html"


def _managed_instances(function: Function) -> bool:
    """Lambda Managed Instances functions run on EC2 capacity with their own, larger limits."""
    return function.has("CapacityProviderConfig")


def _out_of_range(function: Function, keys: Tuple[str, ...], low: float, high: float) -> Iterator[Tuple[Any, float]]:
    """(raw candidate, number) for each possible value outside [low, high]; unknowns are skipped."""
    for candidate in function.candidates(*keys):
        number = as_number(candidate)
        if number is not UNKNOWN and not low <= number <= high:
            yield candidate, number


def _range_rule(model: TemplateModel, keys: Tuple[str, ...], low_name: str, high_name: str, what: str,
                unit: str, managed_high: Optional[str] = None) -> Iterator[Hit]:
    low = model.limit(low_name)
    for function in model.functions:
        high = model.limit(managed_high) if managed_high and _managed_instances(function) else model.limit(high_name)
        for _, number in _out_of_range(function, keys, low, high):
            yield function.hit(f"{what} {number_text(number)} {unit} is outside {low:g}-{high:g} {unit}", *keys)
            break


@rule(id="LL2001", name="memory-size-range", severity=Severity.ERROR,
      summary="MemorySize outside 128-10240 MB", source=QUOTAS)
def check_memory(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `MemorySize` (of the function, or inherited from SAM `Globals`) is within the
    range Lambda accepts: 128 MB to 10,240 MB on default compute. Functions on Lambda Managed
    Instances (`CapacityProviderConfig`) are checked against their own documented maximum.
    Every branch of an `Fn::If` is checked; values behind parameters without a default are skipped.

    ## Why is this bad?
    CloudFormation fails the create or update of the function ("Member must have value less
    than or equal to 10240"), rolling back the whole stack.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        MemorySize: 16384
    ```
    Use instead:
    ```yaml
        MemorySize: 10240
    ```
    """
    yield from _range_rule(model, ("MemorySize",), "memory_mb_min", "memory_mb_max", "MemorySize", "MB",
                           managed_high="managed_instances_memory_mb_max")


@rule(id="LL2002", name="timeout-range", severity=Severity.ERROR,
      summary="Timeout outside 1-900 s", source=QUOTAS)
def check_timeout(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `Timeout` is between 1 and 900 seconds (15 minutes), the range Lambda accepts on
    default compute; Lambda Managed Instances functions are checked against their own maximum.

    ## Why is this bad?
    A timeout above 900 s is refused at deploy time; 0 or a negative number too. Long work
    belongs in Step Functions or a container service, not one invocation.

    ## Example
    ```yaml
    Globals:
      Function:
        Timeout: 1800
    ```
    Use instead:
    ```yaml
        Timeout: 900
    ```
    """
    yield from _range_rule(model, ("Timeout",), "timeout_s_min", "timeout_s_max", "Timeout", "s",
                           managed_high="managed_instances_timeout_s_max")


@rule(id="LL2003", name="ephemeral-storage-range", severity=Severity.ERROR,
      summary="EphemeralStorage.Size outside 512-10240 MB", source=QUOTAS)
def check_ephemeral_storage(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `EphemeralStorage.Size` (the `/tmp` size) is between 512 and 10,240 MB.

    ## Why is this bad?
    Lambda refuses other sizes when the function is created or updated.

    ## Example
    ```yaml
    EphemeralStorage:
      Size: 256
    ```
    Use instead:
    ```yaml
    EphemeralStorage:
      Size: 512
    ```
    """
    yield from _range_rule(model, ("EphemeralStorage", "Size"), "ephemeral_storage_mb_min",
                           "ephemeral_storage_mb_max", "EphemeralStorage.Size", "MB")


@rule(id="LL2010", name="function-name-description", severity=Severity.ERROR,
      summary="Function name over 64 characters or with invalid characters; description over 256",
      source=FUNCTION_RESOURCE)
def check_name_and_description(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks a literal `FunctionName` (at most 64 characters of letters, digits, hyphens and
    underscores) and `Description` (at most 256 characters). Names built with `!Sub` from
    unresolvable parts are skipped.

    ## Why is this bad?
    CloudFormation fails to create the function; with stack-name-based names this often only
    shows in the environment with the longest stack name.

    ## Example
    ```yaml
    FunctionName: orders:process
    ```
    Use instead:
    ```yaml
    FunctionName: orders-process
    ```
    """
    longest = model.limit("function_name_length_max")
    name_pattern = re.compile(f"^(?:{model.limit('function_name_pattern')})$")
    longest_description = model.limit("description_length_max")
    for function in model.functions:
        name = function.name
        if isinstance(name, str):
            if len(name) > longest:
                yield function.hit(f"function name is {len(name)} characters, over {longest}", "FunctionName")
            elif not name_pattern.match(name):
                yield function.hit(f"function name {name!r} may only contain letters, digits, - and _", "FunctionName")
        description = function.value("Description")
        if isinstance(description, str) and len(description) > longest_description:
            yield function.hit(f"description is {len(description)} characters, over {longest_description}",
                               "Description")


# What a function's duration matters to: the queues and streams it polls, the API requests it answers.
_WAITING_KINDS = {"sqs": "SQS", "kinesis": "Kinesis", "dynamodb": "DynamoDB", "msk": "MSK", "kafka": "Kafka",
                  "mq": "MQ", "documentdb": "DocumentDB", "api": "API Gateway", "httpapi": "HTTP API",
                  "apigatewayv2": "API Gateway v2", "websocket": "WebSocket API"}


def _waiting_triggers(model: TemplateModel, function: Function) -> List[str]:
    """The queue, stream and API triggers of a function, as the event-source model sees them
    (SAM events, event source mappings, API Gateway integrations, OpenAPI bodies)."""
    labels = set()
    for source in events.sources_of(model, function):
        if source.kind in _WAITING_KINDS:
            labels.add(_WAITING_KINDS[source.kind])
        elif source.mode == events.POLL:
            labels.add("event source mapping")  # a mapping whose source we cannot name
    return sorted(labels)


@rule(id="LL2011", name="default-timeout-with-trigger", severity=Severity.WARNING,
      summary="Timeout left at the 3 s default on a function behind a queue, stream or API",
      source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html")
def check_default_timeout(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Warns when a function that processes a queue, a stream or API requests sets no `Timeout`
    (neither on the function nor in SAM `Globals`), so it runs with Lambda's 3-second default.
    Triggers are SAM events, event source mappings, and API Gateway methods, integrations and
    OpenAPI bodies that invoke the function.

    ## Why is this bad?
    Three seconds is rarely enough for a batch of messages or a call to a database; timeouts
    then show up as retries, duplicate processing and 5xx answers under load.

    ## Example
    ```yaml
    Consumer:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Queue:
            Type: SQS
            Properties: {Queue: !GetAtt Jobs.Arn}
    ```
    Use instead: set `Timeout` to what a batch needs (and keep the queue's visibility timeout
    at six times that).
    """
    for function in model.functions:
        if function.has("Timeout"):
            continue
        triggers = _waiting_triggers(model, function)
        if triggers:
            yield function.hit(f"no Timeout set: the function runs with the 3 s default behind "
                               f"{', '.join(triggers)}")


@rule(id="LL2014", name="memory-timeout-unset", severity=Severity.INFO,
      summary="MemorySize or Timeout not set (128 MB / 3 s defaults)", source=QUOTAS, opt_in=True)
def check_defaults_unset(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Notes functions without `MemorySize` or `Timeout` (after SAM `Globals`). Opt-in: select it
    with `--select LL2014`.

    ## Why is this bad?
    The defaults (128 MB, 3 s) are rarely what was meant: memory also sets the CPU share, and
    3 s is short for anything that calls another service.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
    ```
    Use instead: set both, chosen from measurements (AWS Lambda Power Tuning helps).
    """
    for function in model.functions:
        missing = [name for name in ("MemorySize", "Timeout") if not function.has(name)]
        if missing:
            yield function.hit(f"{' and '.join(missing)} not set: Lambda uses the default "
                               + " and ".join({"MemorySize": "128 MB", "Timeout": "3 s"}[m] for m in missing))
