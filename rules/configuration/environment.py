"""LL2: environment variables - their total size and their names."""

from __future__ import annotations

import re
from typing import Any, Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.registry import rule

ENV_VARS = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html"


def _shortest_text(model: TemplateModel, value: Any) -> str:
    """The shortest text a variable can hold: unknown parts count as empty (a lower bound)."""
    texts = []
    for candidate in model.candidates(value):
        if isinstance(candidate, bool):
            texts.append("true" if candidate else "false")
        elif isinstance(candidate, (str, int, float)):
            texts.append(str(candidate))
        else:
            return ""
    return min(texts, key=len) if texts else ""


@rule(id="LL2004", name="environment-too-large", severity=Severity.ERROR,
      summary="Environment variables over 4 KB in total", source=ENV_VARS)
def check_environment_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Adds up the function's environment variables (SAM `Globals` merged in) the way Lambda
    measures them, as the JSON-serialised map of names and values, and compares the total with
    the 4 KB quota. Values that cannot be resolved (an `!ImportValue`, a parameter without a
    default, a resource attribute) count as empty, so the rule judges only a lower bound and
    never reports a total that could in fact fit.

    ## Why is this bad?
    Lambda rejects the configuration ("Lambda was unable to configure your environment
    variables because the environment variables you have provided exceeded the 4KB limit").

    ## Example
    ```yaml
    Environment:
      Variables:
        CONFIG: '{"...": "several kilobytes of JSON"}'
    ```
    Use instead: keep large configuration in SSM Parameter Store, AWS AppConfig or S3 and put
    only its name in the environment.
    """
    limit = model.limit("environment_variables_total_bytes_max")
    for function in model.functions:
        variables = function.environment_variables
        if not isinstance(variables, dict) or not variables:
            continue
        import json  # only for functions with environment variables

        lower_bound = {str(name): _shortest_text(model, value) for name, value in variables.items()}
        size = len(json.dumps(lower_bound, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        if size > limit:
            yield function.hit(
                f"environment variables take at least {size} bytes, over Lambda's {limit} byte (4 KB) limit",
                "Environment", "Variables",
            )


@rule(id="LL2005", name="environment-variable-name", severity=Severity.ERROR,
      summary="Environment variable name invalid or reserved by Lambda", source=ENV_VARS)
def check_environment_names(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks each environment variable name against the pattern Lambda accepts
    (`[a-zA-Z]([a-zA-Z0-9_])+`: a letter, then letters, digits or underscores, at least two
    characters) and against the names Lambda reserves for the runtime (`AWS_REGION`,
    `_HANDLER`, `LAMBDA_TASK_ROOT`, `AWS_ACCESS_KEY_ID`, ...).

    ## Why is this bad?
    Lambda refuses the update: reserved keys "are currently not supported for modification",
    and an invalid name fails validation.

    ## Example
    ```yaml
    Environment:
      Variables:
        AWS_REGION: eu-west-1
        1ST_TRY: "yes"
    ```
    Use instead: read the region from the `AWS_REGION` Lambda sets, and start names with a
    letter (`FIRST_TRY`).
    """
    pattern = re.compile(f"^(?:{model.limit('environment_variable_name_pattern')})$")
    reserved = set(model.limit("reserved_environment_variables"))
    for function in model.functions:
        variables = function.environment_variables
        if not isinstance(variables, dict):
            continue
        for name in variables:
            if not isinstance(name, str):
                name = str(name)
            if name in reserved:
                yield function.hit(f"environment variable {name} is reserved by Lambda",
                                   "Environment", "Variables", name)
            elif not pattern.match(name):
                yield function.hit(f"environment variable name {name!r} is invalid (letters, digits and _, "
                                   f"starting with a letter, at least 2 characters)", "Environment", "Variables", name)
