"""LL7: what CloudFront needs to run a function - a numbered version to associate, and an
execution role edgelambda.amazonaws.com may assume."""

from __future__ import annotations

from typing import Any, Iterator, Optional

from lambdalint.findings import Hit, Severity
from lambdalint.model import UNKNOWN, TemplateModel
from lambdalint.model.function_refs import ALIAS, LATEST, UNQUALIFIED
from lambdalint.model.roles import ROLE_TYPE
from lambdalint.registry import rule

RESTRICTIONS = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html"
PERMISSIONS = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html"
EDGE_PRINCIPAL = "edgelambda.amazonaws.com"


@rule(id="LL7003", name="edge-association-not-version", severity=Severity.ERROR,
      summary="Lambda@Edge association not pointing to a numbered function version", source=RESTRICTIONS)
def check_numbered_version(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a `LambdaFunctionAssociations` entry whose `LambdaFunctionARN` is the function itself
    (`!GetAtt Fn.Arn`, meaning `$LATEST`), an explicit `$LATEST` or an alias.

    ## Why is this bad?
    CloudFront only accepts a numbered version of a function: the deployment fails.

    ## Example
    ```yaml
    LambdaFunctionAssociations:
      - EventType: viewer-request
        LambdaFunctionARN: !GetAtt Rewrite.Arn
    ```
    Use instead:
    ```yaml
    LambdaFunctionAssociations:
      - EventType: viewer-request
        LambdaFunctionARN: !Ref Rewrite.Version   # SAM AutoPublishAlias
    ```
    """
    names = {UNQUALIFIED: "the unqualified function ($LATEST)", LATEST: "$LATEST", ALIAS: "an alias"}
    for association in model.edge_associations():
        target = association.target
        if target is None or target.qualifier not in names:
            continue
        yield association.hit(f"LambdaFunctionARN points to {names[target.qualifier]}; CloudFront needs a "
                              f"numbered function version", "LambdaFunctionARN")


def _trusts_edge(model: TemplateModel, document: Any) -> Optional[bool]:
    """Whether a trust policy lets edgelambda.amazonaws.com assume the role; None when unreadable."""
    document = model.resolve_deep(document)
    if not isinstance(document, dict):
        return None
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    outcome: Optional[bool] = False
    for statement in statements:
        if not isinstance(statement, dict):
            return None
        principal = statement.get("Principal")
        if statement.get("Effect") != "Allow":
            continue
        if principal == "*" or principal is UNKNOWN:
            return None if principal is UNKNOWN else True
        if not isinstance(principal, dict):
            return None
        services = principal.get("Service", [])
        services = services if isinstance(services, list) else [services]
        if any(service is UNKNOWN or not isinstance(service, str) for service in services):
            outcome = None
        elif EDGE_PRINCIPAL in services:
            return True
    return outcome


@rule(id="LL7004", name="edge-role-trust", severity=Severity.ERROR,
      summary="Lambda@Edge execution role does not trust edgelambda.amazonaws.com", source=PERMISSIONS)
def check_role_trust(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that the execution role of a Lambda@Edge function (an `AWS::IAM::Role` of the
    template, or the role SAM generates from `AssumeRolePolicyDocument`) can be assumed by
    `edgelambda.amazonaws.com` as well as `lambda.amazonaws.com`.

    ## Why is this bad?
    CloudFront cannot replicate and run the function: associating it with the distribution
    fails.

    ## Example
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live
    ```
    Use instead:
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live
        AssumeRolePolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: sts:AssumeRole
              Principal:
                Service: [lambda.amazonaws.com, edgelambda.amazonaws.com]
    ```
    """
    for function, _ in model.edge_functions():
        if function.has("Role"):
            reference = model.referenced(function.get("Role"))
            role = model.resource(reference.target) if reference else None
            if role is None or role.type != ROLE_TYPE:
                continue
            if _trusts_edge(model, role.get("AssumeRolePolicyDocument")) is False:
                yield role.hit(f"role {role.logical_id} of Lambda@Edge function {function.logical_id} does not "
                               f"trust {EDGE_PRINCIPAL}", "AssumeRolePolicyDocument")
        elif function.is_sam:
            if not function.has("AssumeRolePolicyDocument"):
                yield function.hit(f"the role SAM generates for Lambda@Edge function {function.logical_id} trusts "
                                   f"only lambda.amazonaws.com: add {EDGE_PRINCIPAL} in AssumeRolePolicyDocument")
            elif _trusts_edge(model, function.get("AssumeRolePolicyDocument")) is False:
                yield function.hit(f"AssumeRolePolicyDocument of Lambda@Edge function {function.logical_id} does "
                                   f"not trust {EDGE_PRINCIPAL}", "AssumeRolePolicyDocument")
