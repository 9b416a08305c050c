"""LL6 API Gateway: a function that runs longer than the API waits for it (`integration_timeout`)."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.model import UNKNOWN, TemplateModel
from lambdalint.model.events import EventSource, sources_of
from lambdalint.model.integrations import integration_timeout
from lambdalint.model.values import as_int
from lambdalint.registry import rule

APIGW_LIMITS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"


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
        for source in sources_of(model, function):
            limit = integration_timeout(model, source)
            if limit is None or limit is UNKNOWN:
                continue
            if tightest is None or limit < tightest[0]:
                tightest = (limit, source)
        if tightest is not None and timeout > tightest[0]:
            limit, source = tightest
            yield function.hit(f"function {function.logical_id} may run {timeout}s but {source.name} "
                               f"({source.kind}) times out after {limit:g}s: clients get 504", "Timeout")
