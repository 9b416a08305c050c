"""LL3: what an alias routes to - another alias, $LATEST, or weights Lambda refuses."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model import versions as v
from lambdalint.registry import rule

ALIASES_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html"
ROUTING_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html"


@rule(
    id="LL3001",
    name="alias-points-to-alias",
    severity=Severity.ERROR,
    summary="Alias points to another alias instead of a version",
    source=ALIASES_DOC,
)
def check_alias_to_alias(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds `AWS::Lambda::Alias` resources whose `FunctionVersion` (or routing version) is another
    alias of the template (`!Ref OtherAlias`, an alias ARN, an alias name).

    ## Why is this bad?
    An alias must point to a published version (or `$LATEST`); Lambda rejects an alias as the
    target of another alias, so the stack fails to deploy.

    ## Example
    ```yaml
    Live:
      Type: AWS::Lambda::Alias
      Properties:
        FunctionName: !Ref Worker
        FunctionVersion: !Ref Staging      # another alias
        Name: live
    ```
    Use instead:
    ```yaml
    Live:
      Type: AWS::Lambda::Alias
      Properties:
        FunctionName: !Ref Worker
        FunctionVersion: !GetAtt WorkerVersion.Version
        Name: live
    ```
    """
    for alias in v.aliases(model):
        if alias.version.kind in (v.ALIAS, v.NAME):
            yield alias.resource.hit(f"alias {alias.logical_id} points to {alias.version.description}, "
                                     f"not to a version", "FunctionVersion")
        for weight in alias.weights:
            if weight.target.kind in (v.ALIAS, v.NAME):
                yield Hit(weight.path, f"alias {alias.logical_id} routes traffic to {weight.target.description}, "
                                       f"not to a version", alias.logical_id)


@rule(
    id="LL3002",
    name="alias-routing-invalid",
    severity=Severity.ERROR,
    summary="Alias routing has more than one additional version, a weight outside 0-1, or repeats the primary",
    source="https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html",
)
def check_alias_routing(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks `RoutingConfig.AdditionalVersionWeights` of an alias: at most one additional version,
    each weight between 0.0 and 1.0, and the additional version different from `FunctionVersion`.

    ## Why is this bad?
    An alias routes traffic between at most two versions, with the second one's share as a
    fraction. Lambda rejects any other routing, so the deployment fails.

    ## Example
    ```yaml
    Live:
      Type: AWS::Lambda::Alias
      Properties:
        FunctionName: !Ref Worker
        FunctionVersion: !GetAtt V2.Version
        Name: live
        RoutingConfig:
          AdditionalVersionWeights:
            - FunctionVersion: !GetAtt V2.Version   # same as primary
              FunctionWeight: 10                    # a percentage, not a fraction
    ```
    Use instead:
    ```yaml
        RoutingConfig:
          AdditionalVersionWeights:
            - FunctionVersion: !GetAtt V1.Version
              FunctionWeight: 0.1
    ```
    """
    most = model.limit("alias_routing_additional_versions_max")
    low, high = model.limit("alias_routing_weight_min"), model.limit("alias_routing_weight_max")
    for alias in v.aliases(model):
        if len(alias.weights) > most:
            yield alias.resource.hit(
                f"alias {alias.logical_id} routes to {len(alias.weights)} additional versions; an alias "
                f"can route to at most {most}", "RoutingConfig", "AdditionalVersionWeights")
        for index, weight in enumerate(alias.weights):
            if isinstance(weight.weight, (int, float)) and not low <= weight.weight <= high:
                yield alias.resource.hit(
                    f"alias {alias.logical_id} routing weight {weight.weight} is outside {low}-{high} "
                    f"(a fraction, not a percentage)",
                    "RoutingConfig", "AdditionalVersionWeights", index, "FunctionWeight")
            if weight.target.known and alias.version.known and weight.target.key == alias.version.key:
                yield Hit(weight.path, f"alias {alias.logical_id} routes additional traffic to its primary "
                                       f"version {weight.target.description}", alias.logical_id)


@rule(
    id="LL3003",
    name="alias-routing-latest",
    severity=Severity.ERROR,
    summary="Alias routing involves $LATEST",
    source=ROUTING_DOC,
)
def check_routing_latest(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds aliases with `RoutingConfig` whose primary or additional version is `$LATEST`.

    ## Why is this bad?
    Weighted aliases need two published versions: Lambda refuses routing configuration on an
    alias pointing to `$LATEST`, and `$LATEST` cannot be the additional version either.

    ## Example
    ```yaml
    Live:
      Type: AWS::Lambda::Alias
      Properties:
        FunctionName: !Ref Worker
        FunctionVersion: $LATEST
        Name: live
        RoutingConfig:
          AdditionalVersionWeights:
            - FunctionVersion: !GetAtt V1.Version
              FunctionWeight: 0.1
    ```
    Use instead: point `FunctionVersion` at a published version (`!GetAtt V2.Version`).
    """
    for alias in v.aliases(model):
        if not alias.weights:
            continue
        if alias.version.kind == v.LATEST_KIND:
            yield alias.resource.hit(f"alias {alias.logical_id} has routing configuration but points to "
                                     f"$LATEST; weighted aliases need published versions", "FunctionVersion")
        for weight in alias.weights:
            if weight.target.kind == v.LATEST_KIND:
                yield Hit(weight.path, f"alias {alias.logical_id} routes traffic to $LATEST; the additional "
                                       f"version must be a published version", alias.logical_id)


@rule(
    id="LL3004",
    name="alias-points-to-latest",
    severity=Severity.WARNING,
    summary="Alias points to $LATEST, which changes with every code update",
    source=ALIASES_DOC,
)
def check_alias_latest(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds aliases (without routing) whose `FunctionVersion` is `$LATEST`.

    ## Why is this bad?
    An alias exists to pin callers to a known version and to move them deliberately. An alias to
    `$LATEST` follows every code update immediately, so it gives none of that, and provisioned
    concurrency cannot be configured on it.

    ## Example
    ```yaml
    Live:
      Type: AWS::Lambda::Alias
      Properties:
        FunctionName: !Ref Worker
        FunctionVersion: $LATEST
        Name: live
    ```
    Use instead:
    ```yaml
        FunctionVersion: !GetAtt WorkerVersion.Version
    ```
    """
    for alias in v.aliases(model):
        if alias.version.kind == v.LATEST_KIND and not alias.weights:
            yield alias.resource.hit(f"alias {alias.logical_id} points to $LATEST: it follows every code "
                                     f"update instead of a published version", "FunctionVersion")
