"""LL6 concurrency: reserved concurrency of one function and of the whole template."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.values import as_int
from lambdalint.registry import rule

CONCURRENCY = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html"


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
        if as_int(function.value("ReservedConcurrentExecutions")) == 0:  # absent or unknown: UNKNOWN, never 0
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
