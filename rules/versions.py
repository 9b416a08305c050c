"""LL3: versions, aliases and deployment - what an alias routes to, provisioned concurrency, publishing."""

from __future__ import annotations

from typing import Any, Iterator, List

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.template import Function
from lambdalint.model.values import UNKNOWN, as_int, is_intrinsic
from lambdalint.model import versions as v
from lambdalint.registry import rule

ALIASES_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html"
ROUTING_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html"
VERSION_DOC = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-version.html"
PROVISIONED_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html"
CODEDEPLOY_ROLE_DOC = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCodeDeployRoleForLambda.html"


def _describe(target: v.VersionTarget) -> str:
    if target.kind in (v.VERSION, v.ALIAS):
        return f"{target.kind} {target.resource}"
    return target.literal or target.kind


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
            yield alias.resource.hit(f"alias {alias.logical_id} points to {_describe(alias.version)}, "
                                     f"not to a version", "FunctionVersion")
        for weight in alias.weights:
            if weight.target.kind in (v.ALIAS, v.NAME):
                yield Hit(weight.path, f"alias {alias.logical_id} routes traffic to {_describe(weight.target)}, "
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
                                       f"version {_describe(weight.target)}", alias.logical_id)


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


@rule(
    id="LL3005",
    name="version-never-republished",
    severity=Severity.WARNING,
    summary="AWS::Lambda::Version with a fixed logical ID is not published again when the code changes",
    source=VERSION_DOC,
)
def check_static_version(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds `AWS::Lambda::Version` resources of a function of the template whose logical ID carries
    no content hash and whose properties are all literal, so nothing about them changes between
    deployments. Versions generated by SAM `AutoPublishAlias` or CDK `currentVersion` carry a hash
    in their logical ID and are not reported.

    ## Why is this bad?
    CloudFormation creates the version once. When the function's code changes, the resource is
    unchanged, so no new version is published and aliases keep serving the old code.

    ## Example
    ```yaml
    WorkerVersion:
      Type: AWS::Lambda::Version
      Properties:
        FunctionName: !Ref Worker
    ```
    Use instead (SAM):
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live
    ```
    """
    for version in v.versions(model):
        if v.version_function(model, version) is None or v.has_hashed_logical_id(version.logical_id):
            continue
        if version.condition or any(_may_change(value) for key, value in version.properties.items()
                                    if key != "FunctionName"):
            continue  # a parameter-driven description or CodeSha256 replaces the version on change
        yield version.hit(f"version {version.logical_id} has a fixed logical ID and literal properties: "
                          f"CloudFormation will not publish a new version when the code changes")


def _may_change(value: Any) -> bool:
    if is_intrinsic(value):
        return True
    if isinstance(value, dict):
        return any(_may_change(item) for item in value.values())
    if isinstance(value, list):
        return any(_may_change(item) for item in value)
    return False


@rule(
    id="LL3006",
    name="sam-deployment-without-alias",
    severity=Severity.ERROR,
    summary="SAM DeploymentPreference or ProvisionedConcurrencyConfig without AutoPublishAlias",
    source="https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-deploymentpreference.html",
)
def check_sam_needs_alias(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds SAM functions (Globals included) with an enabled `DeploymentPreference` or a
    `ProvisionedConcurrencyConfig` but no `AutoPublishAlias`.

    ## Why is this bad?
    Both act on the alias SAM publishes; without `AutoPublishAlias` the SAM transform fails
    ("'DeploymentPreference' requires AutoPublishAlias property to be specified").

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        DeploymentPreference:
          Type: Canary10Percent5Minutes
    ```
    Use instead:
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live
        DeploymentPreference:
          Type: Canary10Percent5Minutes
    ```
    """
    for function in model.functions:
        if not function.is_sam or function.has("AutoPublishAlias"):
            continue
        if function.has("DeploymentPreference"):
            enabled = model.resolve(function.get("DeploymentPreference", "Enabled", default=True))
            if enabled is not False and enabled not in ("false", "False"):
                yield function.hit(f"function {function.logical_id} has a DeploymentPreference but no "
                                   f"AutoPublishAlias: the SAM transform fails", "DeploymentPreference")
        if function.has("ProvisionedConcurrencyConfig"):
            yield function.hit(f"function {function.logical_id} has ProvisionedConcurrencyConfig but no "
                               f"AutoPublishAlias: the SAM transform fails", "ProvisionedConcurrencyConfig")


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
        for resource in _qualifiers_of(model, function):
            amount = _provisioned(model, resource.get("ProvisionedConcurrencyConfig"))
            if amount is not UNKNOWN and amount > reserved:
                yield resource.hit(f"provisioned concurrency {amount} of {resource.logical_id} is above the "
                                   f"reserved concurrency {reserved} of function {function.logical_id}",
                                   "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions")


def _qualifiers_of(model: TemplateModel, function: Function) -> List[Any]:
    found = []
    for resource in model.by_type(v.ALIAS_TYPE, v.VERSION_TYPE):
        if "ProvisionedConcurrencyConfig" not in resource.properties:
            continue
        owner = model.referenced_function(resource.get("FunctionName"))
        if owner is function:
            found.append(resource)
    return found


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
    for url in model.by_type("AWS::Lambda::Url"):
        if "Qualifier" not in url.properties:
            continue
        target = v.classify(model, url.get("Qualifier"))
        if target.kind in (v.VERSION, v.NUMBER):
            yield url.hit(f"function URL {url.logical_id} is qualified with {_describe(target)}; a URL needs "
                          f"an alias or $LATEST", "Qualifier")


@rule(
    id="LL3009",
    name="codedeploy-hook-not-invocable",
    severity=Severity.ERROR,
    summary="CodeDeploy hook function CodeDeploy cannot invoke, or whose role cannot report the hook status",
    source=CODEDEPLOY_ROLE_DOC,
)
def check_codedeploy_hooks(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For SAM `DeploymentPreference.Hooks` (`PreTraffic`, `PostTraffic`) naming a function of the
    template: when the default CodeDeploy role is used (no `DeploymentPreference.Role`), the hook
    function's `FunctionName` must start with `CodeDeployHook_`; and the hook's execution role must
    allow `codedeploy:PutLifecycleEventHookExecutionStatus`.

    ## Why is this bad?
    The role SAM creates for CodeDeploy uses `AWSCodeDeployRoleForLambda`, which may invoke only
    functions named `CodeDeployHook_*`. A hook CodeDeploy cannot invoke, or that cannot report its
    result, makes every deployment fail or hang until it times out and rolls back.

    ## Example
    ```yaml
    PreTrafficHook:
      Type: AWS::Serverless::Function
      Properties:
        FunctionName: pre-traffic-check       # not CodeDeployHook_*
    ```
    Use instead:
    ```yaml
    PreTrafficHook:
      Type: AWS::Serverless::Function
      Properties:
        FunctionName: CodeDeployHook_preTrafficCheck
        Policies:
          - Statement:
              - Effect: Allow
                Action: codedeploy:PutLifecycleEventHookExecutionStatus
                Resource: "*"
    ```
    """
    from lambdalint.model import roles

    for function in model.functions:
        if not function.is_sam:
            continue
        preference = model.resolve(function.get("DeploymentPreference"))
        if not isinstance(preference, dict):
            continue
        hooks = model.resolve(preference.get("Hooks"))
        if not isinstance(hooks, dict):
            continue
        default_role = "Role" not in preference
        for phase in ("PreTraffic", "PostTraffic"):
            if phase not in hooks:
                continue
            hook = model.referenced_function(hooks[phase])
            if hook is None:
                continue
            where = ("DeploymentPreference", "Hooks", phase)
            if default_role:
                name = hook.name if hook.has("FunctionName") else None
                if name is None or (isinstance(name, str) and not name.startswith("CodeDeployHook_")):
                    shown = "a generated name" if name is None else repr(name)
                    yield function.hit(f"{phase} hook {hook.logical_id} has {shown}: the default CodeDeploy "
                                       f"role may only invoke functions named CodeDeployHook_*", *where)
            role = roles.execution_role(model, hook)
            if role is not None and role.permissions.allows(
                    "codedeploy:PutLifecycleEventHookExecutionStatus") is False:
                yield function.hit(f"{phase} hook {hook.logical_id}'s role cannot call "
                                   f"codedeploy:PutLifecycleEventHookExecutionStatus", *where)
