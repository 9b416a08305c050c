"""LL8: tracing and logs - X-Ray tracing, log retention, log levels and their format."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import UNKNOWN, TemplateModel
from lambdalint.model.logs import function_log_group
from lambdalint.registry import rule

TRACING = "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html"
LOG_GROUPS = "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html"
LOG_LEVELS = "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html"


@rule(id="LL8001", name="tracing-not-active", severity=Severity.INFO,
      summary="X-Ray tracing not active", source=TRACING, opt_in=True)
def check_tracing(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports functions whose tracing mode is not `Active` (SAM `Tracing`, CloudFormation
    `TracingConfig.Mode`). Opt-in policy rule.

    ## Why is this bad?
    Without active tracing Lambda samples no requests for X-Ray, so a slow or failing call
    across services leaves no trace to follow.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.12
    ```
    Use instead:
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.12
        Tracing: Active
    ```
    """
    for function in model.functions:
        mode = function.tracing_mode
        if mode is UNKNOWN or mode == "Active":
            continue
        keys = ("Tracing",) if function.is_sam else ("TracingConfig", "Mode")
        if mode is None:
            yield function.hit(f"function {function.logical_id} has no active tracing")
        else:
            yield function.hit(f"function {function.logical_id} has tracing mode {mode}, not Active", *keys)


@rule(id="LL8002", name="log-group-without-retention", severity=Severity.INFO,
      summary="No log group with a retention period for the function", source=LOG_GROUPS)
def check_log_retention(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Looks for the log group the function writes to in the template: an `AWS::Logs::LogGroup`
    named `/aws/lambda/<function name>` (literal, `!Sub` or `!Join`), the group named by
    `LoggingConfig.LogGroup`, or a CDK `Custom::LogRetention`, and checks that it sets
    `RetentionInDays`. CDK's own LogRetention provider function is not reported: its code
    sets a one-day retention on its own group.

    Retention set by code is respected too: a custom resource that names the function's log
    group (or the function itself, outside its `ServiceToken`) and a retention (its own
    `RetentionInDays`, CDK's `AwsCustomResource` calling `putRetentionPolicy`), and the function
    behind a `Custom::LogRetention`'s `ServiceToken`. The template cannot show what such code
    does, so nothing is reported for those functions.

    ## Why is this bad?
    The group Lambda creates on first invocation keeps its logs forever: storage costs grow
    without end and old personal data is never deleted.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.12
    ```
    Use instead:
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.12
    WorkerLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        LogGroupName: !Sub /aws/lambda/${Worker}
        RetentionInDays: 30
    ```
    """
    for function in model.functions:
        found = function_log_group(model, function)
        if found.unknown:
            continue
        if found.group is None:
            yield function.hit(f"no log group with a retention period for function {function.logical_id}: "
                               f"its logs are kept forever")
        elif found.retention is None:
            yield found.group.hit(f"log group {found.group.logical_id} of function {function.logical_id} has no "
                                  f"RetentionInDays: its logs are kept forever", "RetentionInDays")


@rule(id="LL8003", name="log-level-needs-json", severity=Severity.ERROR,
      summary="ApplicationLogLevel or SystemLogLevel with the Text log format", source=LOG_LEVELS)
def check_log_levels(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports `LoggingConfig.ApplicationLogLevel` or `SystemLogLevel` on a function whose
    `LogFormat` is `Text` (the default when unset).

    ## Why is this bad?
    Log-level filtering works only with the JSON log format; Lambda rejects the
    configuration.

    ## Example
    ```yaml
    LoggingConfig:
      ApplicationLogLevel: INFO
    ```
    Use instead:
    ```yaml
    LoggingConfig:
      LogFormat: JSON
      ApplicationLogLevel: INFO
    ```
    """
    for function in model.functions:
        if not isinstance(function.get("LoggingConfig"), dict):
            continue
        log_format = function.value("LoggingConfig", "LogFormat", default="Text")
        if log_format != "Text":
            continue
        for key in ("ApplicationLogLevel", "SystemLogLevel"):
            if function.value("LoggingConfig", key) is not None:
                yield function.hit(f"{key} needs LogFormat JSON; function {function.logical_id} logs as Text",
                                   "LoggingConfig", key)
