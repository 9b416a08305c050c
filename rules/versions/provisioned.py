"""LL3: provisioned concurrency and the qualifiers it and function URLs attach to."""

from __future__ import annotations

from typing import Any, Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model import versions as v
from lambdalint.model.values import UNKNOWN, as_int
from lambdalint.registry import rule

PROVISIONED_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html"


def _provisioned(model: TemplateModel, value: Any) -> Any:
    config = model.resolve(value)
    if not isinstance(config, dict):
        return UNKNOWN
    return as_int(model.resolve(config.get("ProvisionedConcurrentExecutions")))


@rule(
    id="LL3007",
    name="provisioned-above-reserved",
    severity=Severity.ERROR,
    summary="Provisioned concurrency above the function's reserved concurrency",
    source=PROVISIONED_DOC,
)
def check_provisioned_above_reserved(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Compares the provisioned concurrency of each alias and version of a function (and a SAM
    function's `ProvisionedConcurrencyConfig`) with the function's `ReservedConcurrentExecutions`.

    ## Why is this bad?
    Provisioned concurrency comes out of the function's reserved concurrency when it has one;
    Lambda refuses a provisioned amount larger than the reserved one, and the deployment fails.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live
        ReservedConcurrentExecutions: 5
        ProvisionedConcurrencyConfig:
          ProvisionedConcurrentExecutions: 10
    ```
    Use instead: reserve at least as much as you provision, or drop the reservation.
    """
    for function in model.functions:
        reserved = as_int(function.value("ReservedConcurrentExecutions"))
        if reserved is UNKNOWN:
            continue
        if function.is_sam and function.has("ProvisionedConcurrencyConfig"):
            amount = _provisioned(model, function.get("ProvisionedConcurrencyConfig"))
            if amount is not UNKNOWN and amount > reserved:
                yield function.hit(f"provisioned concurrency {amount} of {function.logical_id} is above its "
                                   f"reserved concurrency {reserved}",
                                   "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions")
        for resource in v.provisioned_qualifiers(model, function):
            amount = _provisioned(model, resource.get("ProvisionedConcurrencyConfig"))
            if amount is not UNKNOWN and amount > reserved:
                yield resource.hit(f"provisioned concurrency {amount} of {resource.logical_id} is above the "
                                   f"reserved concurrency {reserved} of function {function.logical_id}",
                                   "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions")


@rule(
    id="LL3008",
    name="qualifier-invalid-for-feature",
    severity=Severity.ERROR,
    summary="Provisioned concurrency on $LATEST, or a function URL qualified with a version number",
    source=PROVISIONED_DOC,
)
def check_qualifiers(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds provisioned concurrency configured on an alias that points to `$LATEST`, and
    `AWS::Lambda::Url` resources whose `Qualifier` is a version (a number or a version resource).

    ## Why is this bad?
    Provisioned concurrency can only be allocated to a published version or an alias of one.
    A function URL can only be attached to `$LATEST` or an alias, never to a version number.
    Lambda rejects both, and the deployment fails.

    ## Example
    ```yaml
    Url:
      Type: AWS::Lambda::Url
      Properties:
        TargetFunctionArn: !Ref Worker
        Qualifier: !GetAtt WorkerVersion.Version
        AuthType: AWS_IAM
    ```
    Use instead: `Qualifier: live` with an `AWS::Lambda::Alias` named `live`.
    """
    for alias in v.aliases(model):
        if alias.version.kind == v.LATEST_KIND and "ProvisionedConcurrencyConfig" in alias.resource.properties:
            yield alias.resource.hit(f"alias {alias.logical_id} has provisioned concurrency but points to "
                                     f"$LATEST", "ProvisionedConcurrencyConfig")
    for url in v.qualified_urls(model):
        target = v.classify(model, url.get("Qualifier"))
        if target.kind in (v.VERSION, v.NUMBER):
            yield url.hit(f"function URL {url.logical_id} is qualified with {target.description}; a URL needs "
                          f"an alias or $LATEST", "Qualifier")
