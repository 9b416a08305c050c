"""LL2: function configuration - memory, timeout, storage, environment, runtime, handler, names."""

from __future__ import annotations

import datetime
import re
from typing import Any, Iterator, List, Optional, Tuple

from lambdalint import data
from lambdalint.findings import Hit, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import UNKNOWN, Function, Reference, TemplateModel
from lambdalint.model import events
from lambdalint.model.values import as_number
from lambdalint.registry import rule

QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
RUNTIMES = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
ENV_VARS = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html"
FUNCTION_RESOURCE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html"


def shown(number: float) -> str:
    """A number for a message: `:g` as usual, but an integer too large for a float in full."""
    try:
        return f"{number:g}"
    except OverflowError:
        return str(number)


def _managed_instances(function: Function) -> bool:
    """Lambda Managed Instances functions run on EC2 capacity with their own, larger limits."""
    return function.has("CapacityProviderConfig")


def _out_of_range(function: Function, keys: Tuple[str, ...], low: float, high: float) -> Iterator[Tuple[Any, float]]:
    """(raw candidate, number) for each possible value outside [low, high]; unknowns are skipped."""
    for candidate in function.candidates(*keys):
        number = as_number(candidate)
        if number is not UNKNOWN and not low <= number <= high:
            yield candidate, number


def _range_rule(model: TemplateModel, keys: Tuple[str, ...], low_name: str, high_name: str, what: str,
                unit: str, managed_high: Optional[str] = None) -> Iterator[Hit]:
    low = model.limit(low_name)
    for function in model.functions:
        high = model.limit(managed_high) if managed_high and _managed_instances(function) else model.limit(high_name)
        for _, number in _out_of_range(function, keys, low, high):
            yield function.hit(f"{what} {shown(number)} {unit} is outside {low:g}-{high:g} {unit}", *keys)
            break


@rule(id="LL2001", name="memory-size-range", severity=Severity.ERROR,
      summary="MemorySize outside 128-10240 MB", source=QUOTAS)
def check_memory(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `MemorySize` (of the function, or inherited from SAM `Globals`) is within the
    range Lambda accepts: 128 MB to 10,240 MB on default compute. Functions on Lambda Managed
    Instances (`CapacityProviderConfig`) are checked against their own documented maximum.
    Every branch of an `Fn::If` is checked; values behind parameters without a default are skipped.

    ## Why is this bad?
    CloudFormation fails the create or update of the function ("Member must have value less
    than or equal to 10240"), rolling back the whole stack.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        MemorySize: 16384
    ```
    Use instead:
    ```yaml
        MemorySize: 10240
    ```
    """
    yield from _range_rule(model, ("MemorySize",), "memory_mb_min", "memory_mb_max", "MemorySize", "MB",
                           managed_high="managed_instances_memory_mb_max")


@rule(id="LL2002", name="timeout-range", severity=Severity.ERROR,
      summary="Timeout outside 1-900 s", source=QUOTAS)
def check_timeout(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `Timeout` is between 1 and 900 seconds (15 minutes), the range Lambda accepts on
    default compute; Lambda Managed Instances functions are checked against their own maximum.

    ## Why is this bad?
    A timeout above 900 s is refused at deploy time; 0 or a negative number too. Long work
    belongs in Step Functions or a container service, not one invocation.

    ## Example
    ```yaml
    Globals:
      Function:
        Timeout: 1800
    ```
    Use instead:
    ```yaml
        Timeout: 900
    ```
    """
    yield from _range_rule(model, ("Timeout",), "timeout_s_min", "timeout_s_max", "Timeout", "s",
                           managed_high="managed_instances_timeout_s_max")


@rule(id="LL2003", name="ephemeral-storage-range", severity=Severity.ERROR,
      summary="EphemeralStorage.Size outside 512-10240 MB", source=QUOTAS)
def check_ephemeral_storage(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `EphemeralStorage.Size` (the `/tmp` size) is between 512 and 10,240 MB.

    ## Why is this bad?
    Lambda refuses other sizes when the function is created or updated.

    ## Example
    ```yaml
    EphemeralStorage:
      Size: 256
    ```
    Use instead:
    ```yaml
    EphemeralStorage:
      Size: 512
    ```
    """
    yield from _range_rule(model, ("EphemeralStorage", "Size"), "ephemeral_storage_mb_min",
                           "ephemeral_storage_mb_max", "EphemeralStorage.Size", "MB")


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
                yield function.hit(f"environment variable {name} is reserved by Lambda", "Environment", "Variables", name)
            elif not pattern.match(name):
                yield function.hit(f"environment variable name {name!r} is invalid (letters, digits and _, "
                                   f"starting with a letter, at least 2 characters)", "Environment", "Variables", name)


def _runtimes(function: Function) -> List[str]:
    return [c for c in function.candidates("Runtime") if isinstance(c, str)]


def _date(text: Optional[str]) -> Optional[datetime.date]:
    return datetime.date.fromisoformat(text) if text else None


@rule(id="LL2006", name="runtime-creation-blocked", severity=Severity.ERROR,
      summary="Runtime deprecated: function creation is blocked", source=RUNTIMES)
def check_runtime_blocked(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a runtime whose deprecation has reached the date from which Lambda blocks creating
    functions with it (the "Block function create" column of the runtimes page). The dates live
    in lambdalint's runtimes data file, each with its source; "today" is the current date or
    `--today` / config `today`.

    ## Why is this bad?
    New stacks (a new environment, a new region, a disaster-recovery deploy) fail to create the
    function, and once updates are blocked too the function can no longer be changed at all.

    ## Example
    ```yaml
    Runtime: python3.7
    ```
    Use instead: a supported runtime such as `python3.13`, after testing the code on it.
    """
    today = model.settings.today
    for function in model.functions:
        for runtime in _runtimes(function):
            row = data.runtime(runtime)
            blocked = _date(row.get("block_create")) if row else None
            if blocked and blocked <= today:
                also = ""
                update = _date(row.get("block_update"))
                if update and update <= today:
                    also = f" and updates since {update.isoformat()}"
                yield function.hit(f"runtime {runtime} is deprecated: Lambda blocks creating functions with it since "
                                   f"{blocked.isoformat()}{also}", "Runtime")
                break


@rule(id="LL2007", name="runtime-deprecated", severity=Severity.WARNING,
      summary="Runtime deprecated, or deprecated within 90 days", source=RUNTIMES)
def check_runtime_deprecated(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Warns about a runtime that is deprecated (past its deprecation date) or will be within 90
    days, while creating functions with it is still allowed (once it is blocked, LL2006 reports
    it instead).

    ## Why is this bad?
    A deprecated runtime gets no security patches or support, and the block dates follow within
    months. Migrating takes testing time: start before the block.

    ## Example
    ```yaml
    Runtime: nodejs20.x
    ```
    Use instead: `nodejs22.x` or newer.
    """
    today = model.settings.today
    horizon = today + datetime.timedelta(days=90)
    for function in model.functions:
        for runtime in _runtimes(function):
            row = data.runtime(runtime)
            if not row:
                continue
            deprecation, blocked = _date(row.get("deprecation")), _date(row.get("block_create"))
            if blocked and blocked <= today:
                continue  # LL2006
            if deprecation and deprecation <= today:
                yield function.hit(f"runtime {runtime} is deprecated since {deprecation.isoformat()}"
                                   + (f"; function creation is blocked from {blocked.isoformat()}" if blocked else ""),
                                   "Runtime")
                break
            if deprecation and deprecation <= horizon:
                yield function.hit(f"runtime {runtime} will be deprecated on {deprecation.isoformat()} "
                                   f"(within 90 days)", "Runtime")
                break


# Identifiers shaped like a runtime of a known family: newer than our data file, not unknown.
_PLAUSIBLE_RUNTIME = lazy_pattern(
    r"^(nodejs\d+\.x|python3\.\d+|java\d+(\.al2|\.al2023)?|dotnet\d+|ruby\d+\.\d+|provided(\.al2|\.al2023)?)$"
)


@rule(id="LL2008", name="unknown-runtime", severity=Severity.ERROR,
      summary="Unknown runtime", source=RUNTIMES)
def check_unknown_runtime(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a `Runtime` that is not a Lambda runtime identifier, such as `python3`, `node18` or
    `java-17`. Identifiers that follow a known family's pattern but are newer than lambdalint's
    data (`python3.19`) are not reported: AWS adds runtimes faster than a linter releases.

    ## Why is this bad?
    CloudFormation fails with "Value ... at 'runtime' failed to satisfy constraint".

    ## Example
    ```yaml
    Runtime: python3
    ```
    Use instead: a full identifier such as `python3.13` or `nodejs22.x`.
    """
    for function in model.functions:
        if function.package_type == "Image":
            continue
        for runtime in _runtimes(function):
            if data.runtime(runtime) is None and not _PLAUSIBLE_RUNTIME.match(runtime):
                yield function.hit(f"unknown runtime {runtime!r}", "Runtime")
                break


def _family(runtime: str) -> Optional[str]:
    row = data.runtime(runtime)
    if row:
        return row["family"]
    match = re.match(r"^(nodejs|python|java|dotnet|ruby|provided)", runtime)
    return match.group(1) if match else None


@rule(id="LL2009", name="handler-format", severity=Severity.ERROR,
      summary="Handler string malformed for its runtime", source="https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html")
def check_handler_format(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `Handler` has the shape its runtime expects: python `module.function`, Node.js
    `file.export`, Java `package.Class::method` (or `package.Class`), .NET
    `Assembly::Namespace.Class::Method` (or the assembly name), Ruby `file.method`. Custom
    runtimes (`provided*`) take any handler, and image functions have none.

    ## Why is this bad?
    The function deploys, then fails on every invocation with `Runtime.HandlerNotFound` or
    "Bad handler".

    ## Example
    ```yaml
    Runtime: python3.12
    Handler: app            # no function name
    ```
    Use instead:
    ```yaml
    Handler: app.lambda_handler
    ```
    """
    families = data.runtime_families()
    for function in model.functions:
        if function.package_type == "Image":
            continue
        handler, runtimes = function.handler, _runtimes(function)
        if not isinstance(handler, str) or len(runtimes) != 1:
            continue
        family = _family(runtimes[0])
        if family in (None, "provided", "go"):
            continue
        pattern = families.get(family, {}).get("handler_pattern")
        if pattern and not re.match(pattern, handler):
            expected = families[family]["handler_format"]
            yield function.hit(f"handler {handler!r} does not match {runtimes[0]}'s format {expected}", "Handler")


@rule(id="LL2010", name="function-name-description", severity=Severity.ERROR,
      summary="Function name over 64 characters or with invalid characters; description over 256",
      source=FUNCTION_RESOURCE)
def check_name_and_description(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks a literal `FunctionName` (at most 64 characters of letters, digits, hyphens and
    underscores) and `Description` (at most 256 characters). Names built with `!Sub` from
    unresolvable parts are skipped.

    ## Why is this bad?
    CloudFormation fails to create the function; with stack-name-based names this often only
    shows in the environment with the longest stack name.

    ## Example
    ```yaml
    FunctionName: orders:process
    ```
    Use instead:
    ```yaml
    FunctionName: orders-process
    ```
    """
    longest = model.limit("function_name_length_max")
    name_pattern = re.compile(f"^(?:{model.limit('function_name_pattern')})$")
    longest_description = model.limit("description_length_max")
    for function in model.functions:
        name = function.name
        if isinstance(name, str):
            if len(name) > longest:
                yield function.hit(f"function name is {len(name)} characters, over {longest}", "FunctionName")
            elif not name_pattern.match(name):
                yield function.hit(f"function name {name!r} may only contain letters, digits, - and _", "FunctionName")
        description = function.value("Description")
        if isinstance(description, str) and len(description) > longest_description:
            yield function.hit(f"description is {len(description)} characters, over {longest_description}", "Description")


# What a function's duration matters to: the queues and streams it polls, the API requests it answers.
_WAITING_KINDS = {"sqs": "SQS", "kinesis": "Kinesis", "dynamodb": "DynamoDB", "msk": "MSK", "kafka": "Kafka",
                  "mq": "MQ", "documentdb": "DocumentDB", "api": "API Gateway", "httpapi": "HTTP API",
                  "apigatewayv2": "API Gateway v2", "websocket": "WebSocket API"}


def _waiting_triggers(model: TemplateModel, function: Function) -> List[str]:
    """The queue, stream and API triggers of a function, as the event-source model sees them
    (SAM events, event source mappings, API Gateway integrations, OpenAPI bodies)."""
    labels = set()
    for source in events.sources_of(model, function):
        if source.kind in _WAITING_KINDS:
            labels.add(_WAITING_KINDS[source.kind])
        elif source.mode == events.POLL:
            labels.add("event source mapping")  # a mapping whose source we cannot name
    return sorted(labels)


@rule(id="LL2011", name="default-timeout-with-trigger", severity=Severity.WARNING,
      summary="Timeout left at the 3 s default on a function behind a queue, stream or API",
      source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html")
def check_default_timeout(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Warns when a function that processes a queue, a stream or API requests sets no `Timeout`
    (neither on the function nor in SAM `Globals`), so it runs with Lambda's 3-second default.
    Triggers are SAM events, event source mappings, and API Gateway methods, integrations and
    OpenAPI bodies that invoke the function.

    ## Why is this bad?
    Three seconds is rarely enough for a batch of messages or a call to a database; timeouts
    then show up as retries, duplicate processing and 5xx answers under load.

    ## Example
    ```yaml
    Consumer:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Queue:
            Type: SQS
            Properties: {Queue: !GetAtt Jobs.Arn}
    ```
    Use instead: set `Timeout` to what a batch needs (and keep the queue's visibility timeout
    at six times that).
    """
    for function in model.functions:
        if function.has("Timeout"):
            continue
        triggers = _waiting_triggers(model, function)
        if triggers:
            yield function.hit(f"no Timeout set: the function runs with the 3 s default behind "
                               f"{', '.join(triggers)}")


@rule(id="LL2012", name="architectures", severity=Severity.ERROR,
      summary="More than one architecture, or an unknown one", source=FUNCTION_RESOURCE)
def check_architectures(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks `Architectures`: exactly one entry, `x86_64` or `arm64`.

    ## Why is this bad?
    Lambda accepts a single architecture per function; anything else fails the deploy.

    ## Example
    ```yaml
    Architectures: [x86_64, arm64]
    ```
    Use instead:
    ```yaml
    Architectures: [arm64]
    ```
    """
    for function in model.functions:
        value = function.value("Architectures")
        if not isinstance(value, list):
            continue
        if len(value) != 1:
            yield function.hit(f"Architectures must list exactly one architecture, not {len(value)}", "Architectures")
            continue
        arch = model.resolve(value[0])
        if isinstance(arch, str) and arch not in ("x86_64", "arm64"):
            yield function.hit(f"unknown architecture {arch!r} (x86_64 or arm64)", "Architectures", 0)


def _publishes_versions(model: TemplateModel, function: Function) -> bool:
    if function.is_sam and function.has("AutoPublishAlias"):
        return True
    for version in model.by_type("AWS::Lambda::Version"):
        target = model.referenced(version.get("FunctionName"))
        if target is None or target.target == function.logical_id:
            return True  # an unresolvable FunctionName might be this function
    return False


@rule(id="LL2013", name="snapstart-support", severity=Severity.ERROR,
      summary="SnapStart on an unsupported runtime or with provisioned concurrency, EFS or large /tmp",
      source="https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html")
def check_snapstart(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For a function with `SnapStart: {ApplyOn: PublishedVersions}`: checks that its runtime
    supports SnapStart (Java 11+, Python 3.12+, .NET 8+) and that it does not combine SnapStart
    with provisioned concurrency, an EFS file system or ephemeral storage over 512 MB. Warns
    when no version is ever published (SnapStart applies only to published versions).

    ## Why is this bad?
    Lambda rejects the unsupported combinations at deploy time; without a published version
    SnapStart silently does nothing.

    ## Example
    ```yaml
    Runtime: nodejs22.x
    SnapStart:
      ApplyOn: PublishedVersions
    ```
    Use instead: a supported runtime (`java21`, `python3.13`), and publish versions (SAM
    `AutoPublishAlias`).
    """
    storage_limit = model.limit("ephemeral_storage_mb_min")
    for function in model.functions:
        if function.value("SnapStart", "ApplyOn") != "PublishedVersions":
            continue
        for runtime in _runtimes(function):
            row = data.runtime(runtime)
            if row is not None and not row.get("snapstart"):
                yield function.hit(f"SnapStart is not supported on runtime {runtime}", "SnapStart")
                break
        if function.has("ProvisionedConcurrencyConfig"):
            yield function.hit("SnapStart cannot be combined with provisioned concurrency", "ProvisionedConcurrencyConfig")
        if function.value("FileSystemConfigs"):
            yield function.hit("SnapStart cannot be used with an EFS file system", "FileSystemConfigs")
        size = as_number(function.value("EphemeralStorage", "Size"))
        if size is not UNKNOWN and size > storage_limit:
            yield function.hit(f"SnapStart supports ephemeral storage up to {storage_limit} MB, not {shown(size)}",
                               "EphemeralStorage", "Size")
        if not _publishes_versions(model, function):
            yield function.hit("SnapStart applies only to published versions, and this function never publishes one",
                               "SnapStart", severity=Severity.WARNING)


@rule(id="LL2014", name="memory-timeout-unset", severity=Severity.INFO,
      summary="MemorySize or Timeout not set (128 MB / 3 s defaults)", source=QUOTAS, opt_in=True)
def check_defaults_unset(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Notes functions without `MemorySize` or `Timeout` (after SAM `Globals`). Opt-in: select it
    with `--select LL2014`.

    ## Why is this bad?
    The defaults (128 MB, 3 s) are rarely what was meant: memory also sets the CPU share, and
    3 s is short for anything that calls another service.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
    ```
    Use instead: set both, chosen from measurements (AWS Lambda Power Tuning helps).
    """
    for function in model.functions:
        missing = [name for name in ("MemorySize", "Timeout") if not function.has(name)]
        if missing:
            yield function.hit(f"{' and '.join(missing)} not set: Lambda uses the default "
                               + " and ".join({"MemorySize": "128 MB", "Timeout": "3 s"}[m] for m in missing))


_LAYER_ARN = lazy_pattern(r"^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9_-]+(:(\d+))?$")


@rule(id="LL2015", name="layer-reference", severity=Severity.ERROR,
      summary="Layer ARN malformed, without a version, or the same layer listed twice",
      source="https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html")
def check_layer_references(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks the literal layer ARNs in `Layers` (SAM `Globals` first, then the function's own):
    each must be a layer version ARN, `arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`, and no
    layer may appear twice, not even in two versions.

    ## Why is this bad?
    Lambda refuses an ARN without a version and "two different versions of the same layer";
    a typo in an ARN fails only at deploy time.

    ## Example
    ```yaml
    Layers:
      - arn:aws:lambda:eu-west-1:123456789012:layer:shared
    ```
    Use instead:
    ```yaml
    Layers:
      - arn:aws:lambda:eu-west-1:123456789012:layer:shared:7
    ```
    """
    for function in model.functions:
        seen = {}
        for index, raw in enumerate(function.layers):
            value = model.resolve(raw)
            if isinstance(value, Reference):
                key = (value.target,)
            elif isinstance(value, str):
                match = _LAYER_ARN.match(value)
                if not match:
                    yield function.hit(f"layer {value!r} is not a layer version ARN", "Layers")
                    continue
                if match.group(2) is None:
                    yield function.hit(f"layer {value!r} has no version number", "Layers")
                    continue
                key = (value.rsplit(":", 1)[0],)
            else:
                continue
            if key in seen:
                yield function.hit(f"layer {key[0]} is listed twice (entries {seen[key] + 1} and {index + 1})", "Layers")
            else:
                seen[key] = index
