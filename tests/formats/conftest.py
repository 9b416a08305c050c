"""A small hand-built report shared by the format tests (and its golden files)."""

from __future__ import annotations

import pytest

from lambdalint.findings import Artifact, Finding, Report, Severity
from lambdalint.registry import Registry, rule


@rule(
    id="LL1004",
    name="handler-file-missing",
    severity=Severity.ERROR,
    summary="Handler file not found in the package or its layers",
    source="https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html",
)
def handler_missing(model):
    """
    ## What it does
    Checks that the file named by `Handler` is in the deployment package.

    ## Why is this bad?
    The function fails on every invocation with `Runtime.ImportModuleError`.

    ## Example
    ```yaml
    Handler: app.handler   # but the zip holds src/app.py
    ```
    Use instead: `Handler: src/app.handler`.
    """
    return iter(())


@rule(
    id="LL6001",
    name="sqs-visibility-below-timeout",
    severity=Severity.ERROR,
    summary="SQS visibility timeout shorter than the function timeout",
    source="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
)
def sqs_visibility(model):
    """
    ## What it does
    Compares the queue's `VisibilityTimeout` with the function's `Timeout`.

    ## Why is this bad?
    Lambda refuses the event source mapping at deploy time.

    ## Example
    `VisibilityTimeout: 10` with `Timeout: 30`. Use instead: `VisibilityTimeout: 180`.
    """
    return iter(())


@rule(
    id="LL8001",
    name="tracing-disabled",
    severity=Severity.INFO,
    summary="Active tracing is off",
    source="https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
    opt_in=True,
)
def tracing(model):
    """
    ## What it does
    Reports functions without `Tracing: Active`.

    ## Why is this bad?
    Without traces, slow downstream calls are hard to find.

    ## Example
    `Tracing: PassThrough`. Use instead: `Tracing: Active`.
    """
    return iter(())


# Every character a format must escape or strip, in one message.
HOSTILE_MESSAGE = "queue 100% full: a,b\nfake.yaml:1:1: LL0000 error: <&> \x1b[2Jdone"


def sample_findings():
    return (
        Finding(file="api/template.yaml", line=3, column=1, rule="LL8001", severity=Severity.INFO,
                message="function Api has no active tracing", resource=None,
                path=("Globals", "Function", "Tracing")),
        Finding(file="api/template.yaml", line=12, column=7, rule="LL6001", severity=Severity.ERROR,
                message=HOSTILE_MESSAGE, resource="SlowWorker",
                path=("Resources", "SlowWorker", "Properties", "Timeout")),
        Finding(file="stacks/worker v2,final.yaml", line=8, column=5, rule="LL1004", severity=Severity.WARNING,
                message="handler file app.py not found", resource="Worker",
                path=("Resources", "Worker", "Properties", "Handler"),
                artifact=Artifact(package="build/worker.zip", member="src/app.py")),
    )


@pytest.fixture
def report() -> Report:
    return Report(findings=sample_findings(), files=2)


@pytest.fixture
def registry() -> Registry:
    return Registry([handler_missing, sqs_visibility, tracing])


@pytest.fixture
def empty_report() -> Report:
    return Report(findings=(), files=0)
