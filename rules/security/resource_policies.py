"""LL5 security: who may invoke the function - `AWS::Lambda::Permission` resources and function URLs."""

from __future__ import annotations

from typing import Iterator, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.permissions import (
    EVERYONE,
    SERVICE,
    SOURCE_ARN_SERVICES,
    Permission,
    cases,
    function_urls,
    permissions,
    source_arn_service,
)
from lambdalint.registry import rule


@rule(
    id="LL5008",
    name="permission-public-invoke",
    severity=Severity.ERROR,
    summary="AWS::Lambda::Permission for principal * without a condition",
    source="https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
)
def check_public_permission(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds `AWS::Lambda::Permission` resources with `Principal: "*"` and none of `SourceArn`,
    `SourceAccount` or `PrincipalOrgID`. Public function URL permissions
    (`FunctionUrlAuthType: NONE`, `InvokedViaFunctionUrl: true`) are left to LL5010.

    ## Why is this bad?
    Anyone with an AWS account can invoke the function and run up its cost or reach its data.

    ## Example
    ```yaml
    Invoke:
      Type: AWS::Lambda::Permission
      Properties:
        Action: lambda:InvokeFunction
        FunctionName: !Ref Worker
        Principal: "*"
    ```
    Use instead: name the principal (`Principal: 123456789012` or a service) and a `SourceArn`.
    """
    for permission in permissions(model):
        if permission.principal_kind != EVERYONE:
            continue
        if any(permission.has(key) for key in ("SourceArn", "SourceAccount", "PrincipalOrgID", "FunctionUrlAuthType",
                                                "InvokedViaFunctionUrl")):
            continue
        yield permission.hit(f"permission {permission.logical_id} lets anyone invoke the function", "Principal")


@rule(
    id="LL5009",
    name="permission-confused-deputy",
    severity=Severity.WARNING,
    summary="Service principal permission without SourceArn (S3: without SourceArn and SourceAccount), "
            "or a SourceArn of another service",
    source="https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
)
def check_confused_deputy(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks `AWS::Lambda::Permission` resources for a service principal (`s3.amazonaws.com`,
    `sns.amazonaws.com`, ..., also when written with `Fn::Sub` or `Fn::Join`, such as
    `logs.${AWS::Region}.amazonaws.com`): they need a `SourceArn` naming the resource that
    invokes the function, and the `SourceArn` must belong to the principal's service. For S3
    both are needed, `SourceArn` and `SourceAccount`: a `SourceAccount` alone (the shape the
    SAM transform gives the permissions of S3 events) lets any bucket of that account invoke
    the function, and a `SourceArn` alone does not say whose bucket it is. A permission with a
    `PrincipalOrgID` and no `SourceArn` is not reported: it holds for the accounts of one
    organization, not for any account.

    Each `Fn::If` branch is judged (a branch choosing `AWS::NoValue` leaves the property unset),
    with the branches of one condition taken together across `Principal`, `SourceArn` and
    `SourceAccount`, and the resource's own `Condition` taken as true. A finding of one branch
    names it ("when condition IsProd is false"); when several conditions decide, only what holds
    in every combination is reported, since some combinations may never deploy.

    ## Why is this bad?
    Without `SourceArn` any resource of that service, in any account, can make the service
    invoke the function (the confused deputy problem). S3 bucket ARNs carry no account ID and
    bucket names are global: a bucket can be deleted and its name taken by another account, so
    AWS asks for `SourceAccount` together with `SourceArn`
    (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html). A `SourceArn` of
    another service never matches, so the intended trigger is refused.

    ## Example
    ```yaml
    Invoke:
      Type: AWS::Lambda::Permission
      Properties:
        Action: lambda:InvokeFunction
        FunctionName: !Ref Worker
        Principal: s3.amazonaws.com
        SourceAccount: !Ref AWS::AccountId
    ```
    Use instead: add `SourceArn` with the bucket's ARN. When the bucket's notification must
    wait for the permission (`DependsOn`), `!GetAtt Bucket.Arn` would be a circular
    dependency: name the bucket and write its ARN as text (`!Sub arn:${AWS::Partition}:s3:::${BucketName}`).
    """
    for permission in permissions(model):
        variants, decisive = cases(model, permission)
        judged = [list(_deputy_problems(model, variant)) for variant in variants]
        seen = set()
        for variant, problems in zip(variants, judged):
            for key, message in problems:
                everywhere = all((key, message) in other for other in judged)
                if (key, message) in seen or not (everywhere or decisive):
                    continue  # several conditions: this combination may never deploy
                seen.add((key, message))
                yield permission.hit(message if everywhere else f"{message} ({variant.when})", key)


def _deputy_problems(model: TemplateModel, permission: Permission) -> Iterator[Tuple[str, str]]:
    """(property, message) for what LL5009 finds in one permission (or one case of its conditions)."""
    if permission.principal_kind != SERVICE:
        return
    if not permission.has("SourceArn") and permission.has("PrincipalOrgID"):
        # aws:PrincipalOrgID is in a request's context only when its principal is an account of an
        # organization (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid):
        # not "any resource in any account", whatever a service principal's call then matches
        return
    if not permission.has("SourceArn"):
        if permission.service == "s3" and permission.has("SourceAccount"):
            yield "Principal", (f"permission {permission.logical_id} for {permission.principal} has a SourceAccount "
                                f"but no SourceArn: any bucket of that account can invoke the function")
        else:
            yield "Principal", (f"permission {permission.logical_id} for {permission.principal} has no SourceArn: "
                                f"any {permission.service} resource in any account can invoke the function")
        return
    if permission.service == "s3" and not permission.has("SourceAccount"):
        yield "SourceArn", (f"permission {permission.logical_id} for s3.amazonaws.com has no SourceAccount: "
                            f"bucket ARNs carry no account ID")
    allowed = SOURCE_ARN_SERVICES.get(permission.service or "")
    service = source_arn_service(model, permission)
    if allowed and service and service not in allowed:
        yield "SourceArn", (f"SourceArn is a {service} ARN but the principal is {permission.principal}: "
                            f"the permission never matches")


@rule(
    id="LL5010",
    name="function-url-public",
    severity=Severity.WARNING,
    summary="Function URL with AuthType NONE, or CORS allowing any origin with credentials",
    source="https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
)
def check_function_urls(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports function URLs (`AWS::Lambda::Url`, SAM `FunctionUrlConfig`) with `AuthType: NONE`,
    and URL CORS settings that combine `AllowOrigins: ['*']` with `AllowCredentials: true`.
    Suppress it on the resource (`Metadata: {lambdalint: {ignore: [LL5010]}}`) for an intended
    public endpoint.

    ## Why is this bad?
    A URL with `AuthType: NONE` can be called by anyone on the internet. Credentials with a
    wildcard origin let any web site make authenticated calls on a user's behalf.

    ## Example
    ```yaml
    Url:
      Type: AWS::Lambda::Url
      Properties:
        TargetFunctionArn: !Ref Worker
        AuthType: NONE
    ```
    Use instead: `AuthType: AWS_IAM` (with signed requests), or keep `NONE` deliberately and
    suppress the finding for this resource.
    """
    for url in function_urls(model):
        if url.auth_type == "NONE":
            yield url.hit(f"function URL of {url.logical_id} has AuthType NONE: anyone on the internet can "
                          f"invoke it", "AuthType")
        origins, credentials = url.cors("AllowOrigins"), url.cors("AllowCredentials")
        if isinstance(origins, list) and "*" in origins and credentials in (True, "true", "True"):
            yield url.hit(f"function URL of {url.logical_id} allows credentials from any origin",
                          "Cors", "AllowCredentials")


@rule(
    id="LL5016",
    name="permission-beyond-invoke",
    severity=Severity.WARNING,
    summary="AWS::Lambda::Permission granting more than invoke",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html",
)
def check_permission_action(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds `AWS::Lambda::Permission` resources whose `Action` has a wildcard or is not an invoke
    action (`lambda:Invoke...`), for example `lambda:*` or `lambda:UpdateFunctionCode`.

    ## Why is this bad?
    The principal can then change the function's code or configuration, not just call it.

    ## Example
    ```yaml
    Invoke:
      Type: AWS::Lambda::Permission
      Properties:
        Action: "lambda:*"
        FunctionName: !Ref Worker
        Principal: events.amazonaws.com
    ```
    Use instead: `Action: lambda:InvokeFunction`.
    """
    for permission in permissions(model):
        action = permission.action
        if isinstance(action, str) and ("*" in action or not action.lower().startswith("lambda:invoke")):
            yield permission.hit(f"permission {permission.logical_id} grants {action}, more than invoke", "Action")
