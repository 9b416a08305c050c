"""LL5: IAM and security - execution roles, resource policies, function URLs, secrets, signing, keys.

A missing permission is reported only when the IAM layer is sure (`allows(...) is False`);
an unknown answer (a policy we cannot see, a condition, an intrinsic) says nothing.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterator, List, Optional, Set, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import TemplateModel
from lambdalint.model.template import Function, Resource
from lambdalint.model.values import is_intrinsic
from lambdalint.registry import rule

EXECUTION_ROLE_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"
RESOURCE_POLICY_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html"
URL_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"


def _roles():
    from lambdalint.model import roles

    return roles


def _distinct_roles(model: TemplateModel) -> Iterator[Tuple[Any, List[Function]]]:
    """Each known execution role once, with the functions that use it."""
    roles = _roles()
    seen: Set[str] = set()
    for function in model.functions:
        role = roles.execution_role(model, function)
        if role is None or role.key in seen:
            continue
        seen.add(role.key)
        yield role, roles.functions_by_role(model).get(role.key, [function])


# --------------------------------------------------------------------------- LL5001


def _principal_services(principal: Any) -> Optional[List[str]]:
    """Service principals of a trust statement; None when unreadable, ["*"] for everyone."""
    if principal == "*":
        return ["*"]
    if not isinstance(principal, dict):
        return None
    if principal.get("AWS") == "*":
        return ["*"]
    services = principal.get("Service")
    if services is None:
        return []
    values = services if isinstance(services, list) else [services]
    if any(not isinstance(value, str) for value in values):
        return None
    return values


def _trusts_lambda(document: Any) -> Optional[bool]:
    if isinstance(document, str):
        import json

        try:
            document = json.loads(document)
        except ValueError:
            return None
    if not isinstance(document, dict) or is_intrinsic(document):
        return None
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    unsure = False
    for statement in statements:
        if not isinstance(statement, dict) or is_intrinsic(statement):
            return None
        if statement.get("Effect") != "Allow":
            unsure |= not isinstance(statement.get("Effect"), str)
            continue
        services = _principal_services(statement.get("Principal"))
        if services is None:
            unsure = True
            continue
        for service in services:
            if service == "*" or service.startswith("lambda."):
                return True
            unsure |= "${" in service
    return None if unsure else False


@rule(
    id="LL5001",
    name="role-not-assumable-by-lambda",
    severity=Severity.ERROR,
    summary="Execution role's trust policy does not allow lambda.amazonaws.com",
    source=EXECUTION_ROLE_DOC,
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
    for role, functions in _distinct_roles(model):
        if role.resource is None and not role.function.has("AssumeRolePolicyDocument"):
            continue
        if _trusts_lambda(role.trust_policy) is False:
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
    for role, functions in _distinct_roles(model):
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
    for role, functions in _distinct_roles(model):
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
    for role, _ in _distinct_roles(model):
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


# --------------------------------------------------------------------------- LL5005: event sources

_ARN_SERVICE = lazy_pattern(r"^arn:(?:[a-z-]+|\$\{AWS::Partition\}):([a-z0-9-]+):")


@rule(
    id="LL5005",
    name="role-cannot-read-event-source",
    severity=Severity.ERROR,
    summary="Event source mapping whose source the execution role cannot read",
    source="https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions",
)
def check_event_source_permissions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For each event source mapping (`AWS::Lambda::EventSourceMapping`, SAM `SQS`, `Kinesis` and
    `DynamoDB` events) checks that the function's execution role allows the read actions on the
    source: `sqs:ReceiveMessage`, `sqs:DeleteMessage`, `sqs:GetQueueAttributes` for SQS,
    `GetRecords` and `GetShardIterator` for Kinesis and DynamoDB streams. SAM-generated roles get
    these from the poller policy SAM attaches.

    ## Why is this bad?
    Lambda validates the role when it creates the mapping; the deployment fails ("The provided
    execution role does not have permissions to call ReceiveMessage on SQS").

    ## Example
    ```yaml
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref Worker
        EventSourceArn: !GetAtt Queue.Arn   # WorkerRole has only AWSLambdaBasicExecutionRole
    ```
    Use instead: add `arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole` (or the
    three actions on the queue) to the role.
    """
    from lambdalint.model.required_permissions import polled_sources

    roles = _roles()
    for source, actions in polled_sources(model):
        role = roles.execution_role(model, source.function)
        if role is None:
            continue
        missing = [a for a in actions if role.permissions.allows(a, source.source) is False]
        if missing:
            yield source.source_hit(f"role {role.key} of {source.function.logical_id} cannot call "
                                    f"{', '.join(missing)} on this {source.kind} source")


@rule(
    id="LL5006",
    name="tracing-without-xray-permission",
    severity=Severity.WARNING,
    summary="Active tracing without X-Ray write permission",
    source="https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
)
def check_xray_permission(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds functions with `TracingConfig.Mode: Active` (SAM `Tracing: Active`) whose execution
    role surely lacks `xray:PutTraceSegments` or `xray:PutTelemetryRecords`.

    ## Why is this bad?
    Lambda cannot send the traces: tracing is on, costs are paid, and no trace arrives.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt WorkerRole.Arn     # only AWSLambdaBasicExecutionRole
        TracingConfig: {Mode: Active}
    ```
    Use instead: add `arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess` to the role.
    """
    roles = _roles()
    for function in model.functions:
        if function.tracing_mode != "Active":
            continue
        role = roles.execution_role(model, function)
        if role is None:
            continue
        missing = [a for a in ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
                   if role.permissions.allows(a) is False]
        if missing:
            key = ("Tracing",) if function.is_sam else ("TracingConfig", "Mode")
            yield function.hit(f"tracing is Active but role {role.key} cannot call {', '.join(missing)}", *key)


def _key_grants_directly(model: TemplateModel, key: Resource, role_key: str) -> bool:
    """A key policy that may name the role (or everyone) itself: IAM permissions are then not needed."""
    from lambdalint.model.values import normalise_value

    policy = key.get("KeyPolicy")
    if not isinstance(policy, dict) or is_intrinsic(policy):
        return True
    statements = policy.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict):
            return True
        principal = statement.get("Principal")
        if principal == "*":
            return True
        values = principal.get("AWS") if isinstance(principal, dict) else None
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            text = normalise_value(value)
            if text is None or text == "*" or role_key in text:
                return True
            if not (text.endswith(":root") or text in ("${AWS::AccountId}",) or text.isdigit()):
                return True  # another principal: it could be the role by ARN
    return False


@rule(
    id="LL5007",
    name="kms-key-without-decrypt",
    severity=Severity.WARNING,
    summary="KmsKeyArn on the function without kms:Decrypt for the role",
    source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
)
def check_kms_decrypt(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For a function whose `KmsKeyArn` names an `AWS::KMS::Key` of the template, whose key policy
    grants only the account (so IAM policies decide), reports an execution role that surely lacks
    `kms:Decrypt` on that key.

    ## Why is this bad?
    Lambda decrypts the environment variables with the function's role on each cold start; without
    `kms:Decrypt` every invocation fails with `KMSAccessDeniedException`.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        KmsKeyArn: !GetAtt EnvKey.Arn
        Role: !GetAtt WorkerRole.Arn     # no kms:Decrypt
    ```
    Use instead: allow `kms:Decrypt` on `!GetAtt EnvKey.Arn` in `WorkerRole`.
    """
    roles = _roles()
    for function in model.functions:
        if not function.has("KmsKeyArn"):
            continue
        raw = function.get("KmsKeyArn")
        reference = model.referenced(raw)
        key = model.resource(reference.target) if reference is not None else None
        if key is None or key.type != "AWS::KMS::Key" or reference.attribute != "Arn":
            continue
        role = roles.execution_role(model, function)
        if role is None or _key_grants_directly(model, key, role.key):
            continue
        if role.permissions.allows("kms:Decrypt", raw) is False:
            yield function.hit(f"role {role.key} cannot kms:Decrypt with key {key.logical_id}: the function "
                               f"cannot read its environment variables", "KmsKeyArn")


# --------------------------------------------------------------------------- resource policies


@rule(
    id="LL5008",
    name="permission-public-invoke",
    severity=Severity.ERROR,
    summary="AWS::Lambda::Permission for principal * without a condition",
    source=RESOURCE_POLICY_DOC,
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
    from lambdalint.model import permissions as p

    for permission in p.permissions(model):
        if permission.principal_kind != p.EVERYONE:
            continue
        if any(permission.has(key) for key in ("SourceArn", "SourceAccount", "PrincipalOrgID", "FunctionUrlAuthType",
                                                "InvokedViaFunctionUrl")):
            continue
        yield permission.resource.hit(f"permission {permission.resource.logical_id} lets anyone invoke the "
                                      f"function", "Principal")


# principal service -> ARN services its SourceArn may name
_SOURCE_SERVICES = {
    "s3": {"s3"}, "sns": {"sns"}, "events": {"events"}, "logs": {"logs"}, "apigateway": {"execute-api", "apigateway"},
    "iot": {"iot"}, "cognito-idp": {"cognito-idp"}, "elasticloadbalancing": {"elasticloadbalancing"},
    "scheduler": {"scheduler"}, "secretsmanager": {"secretsmanager"}, "config": {"config"}, "sqs": {"sqs"},
}
_TYPE_SERVICES = {
    "AWS::S3::Bucket": "s3", "AWS::SNS::Topic": "sns", "AWS::Events::Rule": "events", "AWS::Logs::LogGroup": "logs",
    "AWS::IoT::TopicRule": "iot", "AWS::Cognito::UserPool": "cognito-idp",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "elasticloadbalancing", "AWS::Scheduler::Schedule": "scheduler",
    "AWS::SecretsManager::Secret": "secretsmanager", "AWS::SQS::Queue": "sqs",
}


def _arn_service(model: TemplateModel, value: Any) -> Optional[str]:
    reference = model.referenced(value)
    if reference is not None:
        target = model.resource(reference.target)
        if target is None:
            return None
        service = _TYPE_SERVICES.get(target.type)
        if reference.attribute == "Arn" or (reference.attribute is None and target.type == "AWS::SNS::Topic"):
            return service
        return None
    from lambdalint.model.values import normalise_value

    text = normalise_value(value)
    match = _ARN_SERVICE.match(text or "")
    return match.group(1) if match else None


@rule(
    id="LL5009",
    name="permission-confused-deputy",
    severity=Severity.WARNING,
    summary="Service principal permission without SourceArn (or SourceAccount for S3), or a SourceArn of another service",
    source="https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
)
def check_confused_deputy(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks `AWS::Lambda::Permission` resources for a service principal (`s3.amazonaws.com`,
    `sns.amazonaws.com`, ...): they need a `SourceArn` (S3 also a `SourceAccount`, since bucket
    ARNs carry no account), and the `SourceArn` must belong to the principal's service.

    ## Why is this bad?
    Without `SourceArn` any resource of that service, in any account, can make the service
    invoke the function (the confused deputy problem). A `SourceArn` of another service never
    matches, so the intended trigger is refused.

    ## Example
    ```yaml
    Invoke:
      Type: AWS::Lambda::Permission
      Properties:
        Action: lambda:InvokeFunction
        FunctionName: !Ref Worker
        Principal: s3.amazonaws.com
    ```
    Use instead: add `SourceArn: !GetAtt Bucket.Arn` and `SourceAccount: !Ref AWS::AccountId`.
    """
    from lambdalint.model import permissions as p

    for permission in p.permissions(model):
        if permission.principal_kind != p.SERVICE:
            continue
        resource = permission.resource
        if not permission.has("SourceArn"):
            if permission.service != "s3" or not permission.has("SourceAccount"):
                yield resource.hit(f"permission {resource.logical_id} for {permission.principal} has no "
                                   f"SourceArn: any {permission.service} resource in any account can invoke "
                                   f"the function", "Principal")
            continue
        if permission.service == "s3" and not permission.has("SourceAccount"):
            yield resource.hit(f"permission {resource.logical_id} for s3.amazonaws.com has no SourceAccount: "
                               f"bucket ARNs carry no account ID", "SourceArn")
        allowed = _SOURCE_SERVICES.get(permission.service or "")
        service = _arn_service(model, resource.get("SourceArn"))
        if allowed and service and service not in allowed:
            yield resource.hit(f"SourceArn is a {service} ARN but the principal is {permission.principal}: "
                               f"the permission never matches", "SourceArn")


@rule(
    id="LL5010",
    name="function-url-public",
    severity=Severity.WARNING,
    summary="Function URL with AuthType NONE, or CORS allowing any origin with credentials",
    source=URL_DOC,
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
    from lambdalint.model import permissions as p

    for url in p.function_urls(model):
        if model.resolve(url.auth_type) == "NONE":
            yield url.hit(f"function URL of {url.logical_id} has AuthType NONE: anyone on the internet can "
                          f"invoke it", "AuthType")
        cors = model.resolve(url.config.get("Cors")) if isinstance(url.config, dict) else None
        if isinstance(cors, dict):
            origins = model.resolve(cors.get("AllowOrigins"))
            credentials = model.resolve(cors.get("AllowCredentials"))
            if isinstance(origins, list) and "*" in origins and credentials in (True, "true", "True"):
                yield url.hit(f"function URL of {url.logical_id} allows credentials from any origin",
                              "Cors", "AllowCredentials")


# --------------------------------------------------------------------------- secrets and keys

@functools.lru_cache(maxsize=None)
def _secret_patterns() -> Tuple["re.Pattern[str]", "re.Pattern[str]", "re.Pattern[str]"]:
    """(secret-like name, reference-like name, not-a-secret value), compiled on first use:
    only templates with environment variables need them (~0.7 ms of start-up otherwise)."""
    secret_name = re.compile(
        r"(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)", re.IGNORECASE)
    # names that carry a reference to a secret, not the secret
    reference_name = re.compile(
        r"(_|^)(ARN|NAME|ID|URL|URI|PATH|PARAM|PARAMETER|TABLE|BUCKET|REGION|TTL|EXPIRY|EXPIRATION|LENGTH|HEADER|ENDPOINT|"
        r"TYPE|KEY_ID|FILE|LOCATION|PREFIX|ENABLED|TIMEOUT|SECONDS|COUNT|VERSION|STAGE|FIELD|ISSUER|AUDIENCE|MODE|"
        r"PROVIDER|SOURCE|ALGORITHM|USE|SIZE|LIMIT|KEY_NAME|POOL|CLIENT_ID|STORE|SSM|CACHE\w*|CLAIM|DURATION)$",
        re.IGNORECASE)
    not_a_secret_value = re.compile(
        r"^(arn:|https?://|/|\{\{resolve:|\$\{|<|\[|true$|false$|none$|null$|yes$|no$|\d+$|[\w-]+/[\w/-]+$)",
        re.IGNORECASE)
    return secret_name, reference_name, not_a_secret_value


def _looks_like_secret_value(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    _, _, not_a_secret_value = _secret_patterns()
    if len(text) < 8 or " " in text or not_a_secret_value.match(text):
        return False
    if text.upper() == text and "_" in text:
        return False  # a CONSTANT_STYLE name, e.g. the name of a secret
    if re.fullmatch(r"[A-Za-z]+(-[A-Za-z]+)*", text):
        return False  # a word, e.g. "changeme" or a header name
    return True


@rule(
    id="LL5011",
    name="plaintext-secret",
    severity=Severity.WARNING,
    summary="Plaintext secret in an environment variable, or a literal EventSourceToken",
    source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption",
)
def check_plaintext_secrets(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds environment variables named like a secret (`PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`,
    ...) whose value is a literal that looks like a credential (not an ARN, name, path, URL or a
    `{{resolve:...}}` dynamic reference), and literal `EventSourceToken` values of permissions.

    ## Why is this bad?
    The value is in source control, in the template CloudFormation stores, and visible to anyone
    who can read the function configuration.

    ## Example
    ```yaml
    Environment:
      Variables:
        DB_PASSWORD: hunter2hunter2
    ```
    Use instead:
    ```yaml
    Environment:
      Variables:
        DB_PASSWORD_SECRET_ARN: !Ref DbSecret     # read it at run time
    ```
    """
    for function in model.functions:
        variables = function.get("Environment", "Variables")
        if not isinstance(variables, dict):
            continue
        secret_name, reference_name, _ = _secret_patterns()
        for name, value in variables.items():
            if not isinstance(name, str) or not secret_name.search(name) or reference_name.search(name):
                continue
            if _looks_like_secret_value(value):
                yield function.hit(f"environment variable {name} of {function.logical_id} holds a literal "
                                   f"secret", "Environment", "Variables", name)
    for permission in model.by_type("AWS::Lambda::Permission"):
        token = permission.get("EventSourceToken")
        if isinstance(token, str) and token and not token.startswith("{{resolve:"):
            yield permission.hit(f"permission {permission.logical_id} has a literal EventSourceToken",
                                 "EventSourceToken")


_ACCESS_KEY = lazy_pattern(r"(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
_PRIVATE_KEY = lazy_pattern(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")


@rule(
    id="LL5012",
    name="credentials-in-template",
    severity=Severity.ERROR,
    summary="AWS access key ID or private key material in the template",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp",
)
def check_embedded_credentials(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds AWS access key IDs (`AKIA...`, `ASIA...`) and PEM private keys anywhere in the
    template's values (environment variables, inline code, parameters' defaults). AWS's
    documentation example key (`...EXAMPLE`) is ignored.

    ## Why is this bad?
    Anyone who can read the template, its repository or the stack can use the credentials.
    Rotate the key now, and let the function use its execution role instead.

    ## Example
    ```yaml
    Environment:
      Variables:
        AWS_KEY: AKIA4EXAMPLEKEY12345
    ```
    Use instead: no keys; grant the execution role what the function needs.
    """
    source = model.document.text
    if source and "AKIA" not in source and "ASIA" not in source and "PRIVATE KEY" not in source:
        return  # the common case, decided by one search over the file instead of a walk
    for path, value in model.walk():
        if not isinstance(value, str) or len(value) < 20:
            continue
        match = _ACCESS_KEY.search(value)
        if match and "EXAMPLE" not in match.group(0):
            yield Hit(path, "AWS access key ID in the template")
        elif _PRIVATE_KEY.search(value):
            yield Hit(path, "private key material in the template")


@rule(
    id="LL5013",
    name="no-code-signing",
    severity=Severity.INFO,
    summary="Function without a code signing configuration",
    source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html",
    opt_in=True,
)
def check_code_signing(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports zip-packaged functions without `CodeSigningConfigArn` (opt-in policy rule).

    ## Why is this bad?
    Without code signing, Lambda deploys any package whoever can update the function uploads;
    signing makes it accept only code signed by your trusted publishers.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: src/
    ```
    Use instead:
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: src/
        CodeSigningConfigArn: !Ref SigningConfig
    ```
    """
    for function in model.functions:
        if function.package_type == "Zip" and not function.has("CodeSigningConfigArn"):
            yield function.hit(f"function {function.logical_id} has no CodeSigningConfigArn")


# --------------------------------------------------------------------------- LL5014: destinations

@rule(
    id="LL5014",
    name="role-cannot-write-destination",
    severity=Severity.WARNING,
    summary="DLQ or destination target the execution role cannot write to",
    source="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
)
def check_destination_permissions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For dead-letter queues (`DeadLetterConfig`, SAM `DeadLetterQueue`) and destinations
    (`AWS::Lambda::EventInvokeConfig`, SAM `EventInvokeConfig`, event source mapping
    `DestinationConfig`) naming an SQS queue, SNS topic, function or event bus, checks that the
    execution role allows `sqs:SendMessage`, `sns:Publish`, `lambda:InvokeFunction` or
    `events:PutEvents` on it.

    ## Why is this bad?
    Lambda sends failed (or successful) events there with the function's role. Without the
    permission the records are dropped, exactly when you need them.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt WorkerRole.Arn        # no sqs:SendMessage
        DeadLetterConfig:
          TargetArn: !GetAtt DeadLetters.Arn
    ```
    Use instead: allow `sqs:SendMessage` on `!GetAtt DeadLetters.Arn` in `WorkerRole`.
    """
    from lambdalint.model.required_permissions import destinations

    roles = _roles()
    for destination in destinations(model):
        if destination.action is None:
            continue
        role = roles.execution_role(model, destination.function)
        if role is None:
            continue
        if role.permissions.allows(destination.action, destination.target) is False:
            yield destination.hit(f"role {role.key} of {destination.function.logical_id} cannot call "
                                  f"{destination.action} on this destination")


@rule(
    id="LL5015",
    name="environment-without-cmk",
    severity=Severity.INFO,
    summary="Environment variables without a customer managed KMS key",
    source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
    opt_in=True,
)
def check_env_encryption(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports functions with environment variables and no `KmsKeyArn` (opt-in policy rule).

    ## Why is this bad?
    Lambda encrypts variables with an AWS managed key anyone with access to the function can
    use; a customer managed key lets you control and audit who decrypts them.

    ## Example
    ```yaml
    Environment:
      Variables: {TABLE: orders}
    ```
    Use instead:
    ```yaml
    Environment:
      Variables: {TABLE: orders}
    KmsKeyArn: !GetAtt EnvKey.Arn
    ```
    """
    for function in model.functions:
        variables = function.get("Environment", "Variables")
        if isinstance(variables, dict) and variables and not function.has("KmsKeyArn"):
            yield function.hit(f"function {function.logical_id} has environment variables but no KmsKeyArn",
                               "Environment")


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
    for permission in model.by_type("AWS::Lambda::Permission"):
        action = model.resolve(permission.get("Action"))
        if isinstance(action, str) and ("*" in action or not action.lower().startswith("lambda:invoke")):
            yield permission.hit(f"permission {permission.logical_id} grants {action}, more than invoke", "Action")
