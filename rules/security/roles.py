"""LL5 security: the execution role itself - assumable by Lambda, one per function, able to log,
without wildcard grants.

A missing permission is reported only when the IAM layer is sure (`allows(...) is False`);
an unknown answer (a policy we cannot see, a condition, an intrinsic) says nothing.
"""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.roles import distinct_roles
from lambdalint.registry import rule


@rule(
    id="LL5001",
    name="role-not-assumable-by-lambda",
    severity=Severity.ERROR,
    summary="Execution role's trust policy does not allow lambda.amazonaws.com",
    source="https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
)
def check_trust_policy(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the `AssumeRolePolicyDocument` of each execution role defined in the template (and
    a SAM function's `AssumeRolePolicyDocument`) and reports it when no Allow statement names
    the `lambda.amazonaws.com` service principal.

    ## Why is this bad?
    Lambda must assume the role to run the function. CloudFormation fails to create the
    function ("The role defined for the function cannot be assumed by Lambda").

    ## Example
    ```yaml
    WorkerRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {Service: ec2.amazonaws.com}
              Action: sts:AssumeRole
    ```
    Use instead: `Principal: {Service: lambda.amazonaws.com}`.
    """
    for role, functions in distinct_roles(model):
        if role.trusts_lambda() is False:
            names = ", ".join(f.logical_id for f in functions)
            yield role.hit(f"role {role.key} (used by {names}) cannot be assumed by lambda.amazonaws.com",
                           "AssumeRolePolicyDocument")


@rule(
    id="LL5002",
    name="role-shared-by-functions",
    severity=Severity.WARNING,
    summary="Execution role shared by several functions",
    source="https://docs.aws.amazon.com/lambda/latest/operatorguide/least-privilege.html",
)
def check_shared_role(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds `AWS::IAM::Role` resources that are the execution role of more than one function.

    ## Why is this bad?
    Every function gets the union of what all of them need, so a bug or a compromise in one
    reaches the data of all. One role per function keeps each to least privilege.

    ## Example
    ```yaml
    Reader:
      Type: AWS::Lambda::Function
      Properties: {Role: !GetAtt SharedRole.Arn}
    Writer:
      Type: AWS::Lambda::Function
      Properties: {Role: !GetAtt SharedRole.Arn}
    ```
    Use instead: a `ReaderRole` and a `WriterRole`, each with only what its function needs.
    """
    for role, functions in distinct_roles(model):
        if role.resource is not None and len(functions) > 1:
            names = ", ".join(f.logical_id for f in functions)
            yield role.hit(f"role {role.key} is the execution role of {len(functions)} functions ({names})")


@rule(
    id="LL5003",
    name="role-cannot-write-logs",
    severity=Severity.WARNING,
    summary="Execution role cannot write CloudWatch Logs",
    source="https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html",
)
def check_logs_permission(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports execution roles that surely lack `logs:CreateLogStream` or `logs:PutLogEvents`
    (granted by `AWSLambdaBasicExecutionRole`, `AWSLambdaVPCAccessExecutionRole` and others).

    ## Why is this bad?
    The function runs, but nothing it prints reaches CloudWatch Logs: errors go unseen.

    ## Example
    ```yaml
    WorkerRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: ...
        Policies:
          - PolicyName: data
            PolicyDocument:
              Statement:
                - {Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn}
    ```
    Use instead: add `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole` to
    `ManagedPolicyArns`.
    """
    for role, functions in distinct_roles(model):
        missing = [a for a in ("logs:CreateLogStream", "logs:PutLogEvents") if role.permissions.allows(a) is False]
        if missing:
            yield role.hit(f"role {role.key} cannot call {', '.join(missing)}: the logs of "
                           f"{', '.join(f.logical_id for f in functions)} are lost")


@rule(
    id="LL5004",
    name="role-wildcard-permissions",
    severity=Severity.WARNING,
    summary="Execution role allows all actions, service:* on *, or has an admin managed policy",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
)
def check_wildcards(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports execution roles with an unconditional Allow of `*` actions, `service:*` on every
    resource, `NotAction` on every resource, or `AdministratorAccess` / `PowerUserAccess`.

    ## Why is this bad?
    Any flaw in the function (an injection, a leaked dependency) gets all of these permissions.
    Grant the actions and resources the function uses.

    ## Example
    ```yaml
    Policies:
      - Statement:
          - {Effect: Allow, Action: "s3:*", Resource: "*"}
    ```
    Use instead:
    ```yaml
    Policies:
      - S3ReadPolicy: {BucketName: !Ref Bucket}
    ```
    """
    for role, _ in distinct_roles(model):
        grants = role.permissions.wildcard_grants()
        if not grants:
            continue
        shown = []
        for grant in grants:
            text = f"{grant.origin}" if grant.kind == "admin-policy" else (
                "NotAction on *" if grant.kind == "not-action" else f"{grant.action} on *")
            if text not in shown:
                shown.append(text)
        keys = ("Policies",) if role.resource is None else ()
        yield role.hit(f"role {role.key} grants broad permissions: {', '.join(shown[:4])}", *keys)
