"""LL5 security: the execution role itself - assumable by Lambda, one per function, able to log,
without wildcard grants, naming actions that exist.

A missing permission is reported only when the IAM layer is sure (`allows(...) is False`);
an unknown answer (a policy we cannot see, a condition, an intrinsic) says nothing.
"""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.role_actions import unknown_actions
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


@rule(
    id="LL5017",
    name="role-unknown-iam-action",
    severity=Severity.WARNING,
    summary="Execution-role policy names an IAM action that does not exist: it grants nothing",
    source="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
)
def check_unknown_actions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports an `Action` of an execution role's policy that names no IAM action of its service:
    `s3:ListBuckets` (the action is `s3:ListBucket`, or `s3:ListAllMyBuckets`),
    `ec2:TerminateInstance` (`ec2:TerminateInstances`). A wildcard counts when it matches no
    action (`s3:Lsit*`). The policies read are those the template writes for the role: inline
    `Policies`, its `AWS::IAM::Policy` / `ManagedPolicy` / `RolePolicy` resources, and the
    inline statements of a SAM function's `Policies`; each `Fn::If` branch is read. Actions
    are compared ignoring case, as IAM does, with the table of AWS's Service Authorization
    Reference that cfn-lint ships (compiled into `lambdalint/data/iam_actions.json`, with the
    cfn-lint version it came from). Nothing is said about a service the table does not list
    (a service newer than the data), a value lambdalint cannot know (a `Ref` to a parameter
    without a default, a `Sub` of an attribute), or `NotAction`.

    The message suggests the action probably meant when one is close (in the letter case
    written; IAM ignores case either way).

    ## Why is this bad?
    IAM accepts the policy, so the deploy succeeds; but the misspelt action grants nothing,
    and the call it was written for fails with AccessDenied unless another action of the
    policy allows it. Several API names are no IAM actions of their own (batch APIs such as
    `sqs:SendMessageBatch`, S3's `CopyObject` and `HeadObject`, Bedrock's `Converse`): the
    Service Authorization Reference names the actions that authorise each call.

    ## Example
    ```yaml
    Policies:
      - PolicyName: list
        PolicyDocument:
          Statement:
            - {Effect: Allow, Action: s3:ListBuckets, Resource: !GetAtt Bucket.Arn}
    ```
    Use instead: `Action: s3:ListBucket`.
    """
    for written, suggestion in unknown_actions(model):
        service = written.action.partition(":")[0]
        wildcard = "*" in written.action or "?" in written.action
        what = "matches no IAM action" if wildcard else "is not an IAM action"
        effect = "denies" if written.effect == "Deny" else "grants"
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        yield Hit(written.path, f"{written.action!r} {what} of {service}: it {effect} nothing{hint}", written.owner)
