"""Which CloudWatch log group of the template a function writes to.

Lambda writes to `/aws/lambda/<function name>` unless `LoggingConfig.LogGroup`
names another group
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html).
Names are compared in `Fn::Sub` form so that `!Sub /aws/lambda/${Fn}` and
`!Join ["", ["/aws/lambda/", !Ref Fn]]` both match function `Fn`. Retention may also be set by
code: CDK's `Custom::LogRetention`, its provider function (for its own group), or another custom
resource that names the group and its retention.
"""

from __future__ import annotations

from typing import Any, Iterator, List, Optional, Set

from ..records import Record
from .template import Function, Resource, TemplateModel
from .values import NO_VALUE, UNKNOWN, normalise_value

LOG_GROUP_TYPE = "AWS::Logs::LogGroup"
# CDK's `logRetention` sets the retention of the function's default group through this custom resource
LOG_RETENTION_TYPE = "Custom::LogRetention"
DEFAULT_PREFIX = "/aws/lambda/"
# The singleton function behind `logRetention` (aws-cdk-lib aws-logs/lib/log-retention.ts, its fixed
# UUID): its own code sets a one-day retention on its own group when it first runs.
CDK_LOG_RETENTION_PROVIDER = "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"


class FunctionLogGroup(Record):
    """What we know of the log group a function writes to.

    `group` is the template's log group when found; `unknown` is True when a group of the
    template might be the function's but its name cannot be read (then rules say nothing).
    """

    __slots__ = ("group", "unknown")

    def __init__(self, group: Optional[Resource], unknown: bool) -> None:
        self.group = group
        self.unknown = unknown

    @property
    def retention(self) -> Any:
        if self.group is None:
            return None
        return self.group.get("RetentionInDays")


def _names(model: TemplateModel, function: Function) -> Optional[Set[str]]:
    """The spellings of the function's log group name, or None when it cannot be told."""
    configured = function.get("LoggingConfig", "LogGroup")
    if configured is not None:
        resolved = model.resolve(configured)
        if resolved is NO_VALUE:
            configured = None
        else:
            form = normalise_value(configured)
            return {form} if form else None
    names = {DEFAULT_PREFIX + f"${{{function.logical_id}}}"}
    raw_name = function.get("FunctionName")
    if raw_name is not None:
        form = normalise_value(raw_name)
        if form is None:
            return None
        names.add(DEFAULT_PREFIX + form)  # `!Sub /aws/lambda/${Fn}` names it too: Ref gives the name
        resolved = model.resolve(raw_name)
        if isinstance(resolved, str):
            names.add(DEFAULT_PREFIX + resolved)
    return names


def is_cdk_log_retention_provider(function: Function) -> bool:
    path = function.resource.metadata.get("aws:cdk:path")
    return isinstance(path, str) and CDK_LOG_RETENTION_PROVIDER in path.split("/")


def function_log_group(model: TemplateModel, function: Function) -> FunctionLogGroup:
    if is_cdk_log_retention_provider(function):
        return FunctionLogGroup(None, True)  # its group's retention is set by its code, not the template
    names = _names(model, function)
    if names is None:
        return FunctionLogGroup(None, True)
    configured = function.get("LoggingConfig", "LogGroup")
    unknown = False
    for group in model.by_type(LOG_GROUP_TYPE, LOG_RETENTION_TYPE):
        if configured is not None:
            reference = model.referenced(configured)
            if reference is not None and reference.target == group.logical_id:
                return FunctionLogGroup(group, False)
        raw = group.get("LogGroupName")
        if raw is None:
            continue  # a generated name is no function's default group
        form = normalise_value(raw)
        resolved = model.resolve(raw)
        if form is None and resolved is UNKNOWN:
            unknown = True
            continue
        if form in names or (isinstance(resolved, str) and resolved in names):
            return FunctionLogGroup(group, False)
    if _sets_own_retention(model, function) or _custom_resource_sets_retention(model, function, names):
        return FunctionLogGroup(None, True)
    return FunctionLogGroup(None, unknown or model.has_unknown_loops())


def _sets_own_retention(model: TemplateModel, function: Function) -> bool:
    """CDK's LogRetention provider: its code gives its own log group a retention on its first run.
    It is the function behind the `ServiceToken` of the template's `Custom::LogRetention` resources.
    https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/custom-resource-handlers/lib/aws-logs/log-retention-handler/index.ts
    """
    return function.logical_id in model.memo("logs.retention_providers", _retention_providers)


def _retention_providers(model: TemplateModel) -> Set[str]:
    found = (model.referenced_function(custom.get("ServiceToken")) for custom in model.by_type(LOG_RETENTION_TYPE))
    return {function.logical_id for function in found if function is not None}


def _custom_resource_sets_retention(model: TemplateModel, function: Function, names: Set[str]) -> bool:
    """A custom resource that names the function's log group (or the function) and speaks of
    retention (a `RetentionInDays` of its own, CDK's AwsCustomResource calling `putRetentionPolicy`):
    its code may set the retention, which the template cannot show, so rules say nothing."""
    references = {f"${{{function.logical_id}}}", f"${{{function.logical_id}.Arn}}"}  # Ref / GetAtt of the function
    return any(text in references or any(name in text for name in names)
               for texts in model.memo("logs.retention_custom_resources", _retention_custom_resources)
               for text in texts)


def _retention_custom_resources(model: TemplateModel) -> List[List[str]]:
    """The texts of each custom resource (but CDK's LogRetention) whose properties speak of retention."""
    found = []
    for custom in model.resources.values():
        if custom.type == LOG_RETENTION_TYPE or not custom.type.startswith(_CUSTOM_PREFIXES):
            continue
        # the ServiceToken names the provider, not what it acts on
        texts = list(_texts({key: value for key, value in custom.properties.items() if key != "ServiceToken"}, 0))
        if any("retention" in text.lower() for text in texts):
            found.append(texts)
    return found


_CUSTOM_PREFIXES = ("Custom::", "AWS::CloudFormation::CustomResource")


def _texts(value: Any, depth: int) -> Iterator[str]:
    """Every key and value of a custom resource's properties as text (intrinsics in `Fn::Sub` form)."""
    if depth > 20:
        return
    form = normalise_value(value)
    if form is not None:
        yield form
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _texts(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, depth + 1)
