"""LL5 security: secrets and code integrity - no plaintext secrets or credentials in the template,
signed code, environment variables under a customer managed key.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Iterator, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import TemplateModel
from lambdalint.model.permissions import permissions
from lambdalint.registry import rule


@functools.cache
def _secret_patterns() -> Tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
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
        variables = function.environment_variables
        if not isinstance(variables, dict) or not variables:
            continue
        secret_name, reference_name, _ = _secret_patterns()
        for name, value in variables.items():
            if not isinstance(name, str) or not secret_name.search(name) or reference_name.search(name):
                continue
            if _looks_like_secret_value(value):
                yield function.hit(f"environment variable {name} of {function.logical_id} holds a literal "
                                   f"secret", "Environment", "Variables", name)
    for permission in permissions(model):
        token = permission.written("EventSourceToken")
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
    for path, value in model.strings_containing("AKIA", "ASIA", "PRIVATE KEY"):
        if len(value) < 20:
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
        if function.declares_environment_variables and not function.has("KmsKeyArn"):
            yield function.hit(f"function {function.logical_id} has environment variables but no KmsKeyArn",
                               "Environment")
