"""Resource-based policies of functions: who may invoke them.

`AWS::Lambda::Permission` resources as written, with the principal classified
(`*`, a service principal, an account or ARN, unknown), plus function URLs
(`AWS::Lambda::Url` and SAM `FunctionUrlConfig`) with their `AuthType`.
A principal written with `Fn::Sub` or `Fn::Join` over the region and URL suffix
(`logs.${AWS::Region}.amazonaws.com`) is read as the service it names.
SAM event-generated permissions always name a service principal and carry the
source ARN, except S3 events, which carry only the source account (see
samtranslator/model/eventsources/push.py): they are never public, and are not
checked here, since the template does not hold them.
"""

from __future__ import annotations

import itertools
from typing import Any, List, Mapping, Optional, Tuple

from ..findings import Hit
from ..lazy import lazy_pattern
from ..records import Record
from .template import Resource, TemplateModel
from .values import UNKNOWN, if_conditions, normalise_value, with_branches

EVERYONE, SERVICE, ACCOUNT, UNKNOWN_PRINCIPAL = "everyone", "service", "account", "unknown"
# `s3.amazonaws.com`, and the regional form some services use (`logs.us-east-1.amazonaws.com`,
# `logs.${AWS::Region}.amazonaws.com`); `${AWS::URLSuffix}` is amazonaws.com (or .com.cn)
_SERVICE_PRINCIPAL = lazy_pattern(
    r"^(?P<service>[a-z0-9-]+(?:\.[a-z0-9-]+)*?)"
    r"(?:\.(?:[a-z]{2}(?:-[a-z]+)+-[0-9]+|\$\{AWS::Region\}))?"
    r"\.(?:amazonaws\.com(?:\.cn)?|\$\{AWS::URLSuffix\})$")


class Permission(Record):
    """An `AWS::Lambda::Permission`: as written, or as one of its `cases` (a choice of its conditions)."""

    __slots__ = ("resource", "principal", "principal_kind", "service", "action", "properties", "when")
    _compared = ("resource", "principal", "principal_kind", "service", "action", "when")
    _hidden = ("properties",)

    def __init__(self, resource: Resource, principal: Any, principal_kind: str, service: Optional[str],
                 action: Any = None, properties: Optional[Mapping[str, Any]] = None, when: str = "") -> None:
        self.resource = resource
        self.principal = principal  # the resolved principal text, or UNKNOWN
        self.principal_kind = principal_kind
        self.service = service  # "s3" for s3.amazonaws.com
        self.action = action  # the resolved Action ("lambda:InvokeFunction"), UNKNOWN, or None when absent
        self.properties = resource.properties if properties is None else properties
        self.when = when  # "" as written; "when condition C is false" for a case

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    def has(self, key: str) -> bool:
        """The property is set (a branch choosing `AWS::NoValue` leaves it unset)."""
        return key in self.properties and self.properties[key] != _NO_VALUE_REF

    def written(self, key: str) -> Any:
        """A property as written in the template: a literal, or an intrinsic left unresolved."""
        return self.properties.get(key)

    def hit(self, message: str, *keys: Any) -> Hit:
        return self.resource.hit(message, *keys)


_NO_VALUE_REF = {"Ref": "AWS::NoValue"}


def permissions(model: TemplateModel) -> List[Permission]:
    return model.memo("permissions.lambda_permissions", _build)


def _build(model: TemplateModel) -> List[Permission]:
    return [_permission(model, resource, resource.properties) for resource in model.by_type("AWS::Lambda::Permission")]


def _permission(model: TemplateModel, resource: Resource, properties: Mapping[str, Any], when: str = "") -> Permission:
    principal = principal_text(model, properties.get("Principal"))
    kind, service = classify_principal(principal)
    return Permission(resource, principal, kind, service, model.resolve(properties.get("Action")), properties, when)


# Properties whose Fn::If branches decide who may invoke
_DECIDING = ("Principal", "SourceArn", "SourceAccount", "PrincipalOrgID")


def cases(model: TemplateModel, permission: Permission) -> Tuple[List[Permission], bool]:
    """The permission under each choice of the conditions its `Fn::If`s name, and whether those
    choices are all known to happen: with one free condition both values do; with several,
    some combinations may never happen (one condition the negation of another). A resource
    `Condition` is true wherever the resource exists. Without `Fn::If`: the permission itself."""
    properties = permission.properties
    names = [name for name in if_conditions({key: properties.get(key) for key in _DECIDING})
             if name != permission.resource.condition]
    fixed = {permission.resource.condition: True} if permission.resource.condition else {}
    if not names and not fixed:
        return [permission], True
    if len(names) > _MOST_CONDITIONS:
        return [permission], False
    found = []
    for values in itertools.product((True, False), repeat=len(names)):
        chosen = dict(zip(names, values))
        when = " and ".join(f"condition {name} is {str(value).lower()}" for name, value in chosen.items())
        found.append(_permission(model, permission.resource, with_branches(properties, {**fixed, **chosen}),
                                 f"when {when}" if when else ""))
    return found, len(names) <= 1


_MOST_CONDITIONS = 4


def principal_text(model: TemplateModel, value: Any) -> Any:
    """The principal as text: resolved, or an `Fn::Sub`/`Fn::Join` spelled with the region and URL
    suffix pseudo parameters (`logs.${AWS::Region}.amazonaws.com`); UNKNOWN when anything else is
    unknown (a parameter without a default, a condition)."""
    resolved = model.resolve(value)
    if resolved is not UNKNOWN:
        return resolved
    form = normalise_value(value)
    if isinstance(form, str) and not _OTHER_VARIABLE.search(form):
        return form
    return UNKNOWN


_OTHER_VARIABLE = lazy_pattern(r"\$\{(?!AWS::Region\}|AWS::URLSuffix\})")


def classify_principal(principal: Any) -> Tuple[str, Optional[str]]:
    if not isinstance(principal, str):
        return UNKNOWN_PRINCIPAL, None
    if principal == "*":
        return EVERYONE, None
    match = _SERVICE_PRINCIPAL.match(principal)
    if match:
        return SERVICE, match.group("service")
    if principal.isdigit() or principal.startswith("arn:"):
        return ACCOUNT, None
    return UNKNOWN_PRINCIPAL, None


# Principal service -> the ARN services its SourceArn may name
# (https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html)
SOURCE_ARN_SERVICES = {
    "s3": {"s3"}, "sns": {"sns"}, "events": {"events"}, "logs": {"logs"}, "apigateway": {"execute-api", "apigateway"},
    "iot": {"iot"}, "cognito-idp": {"cognito-idp"}, "elasticloadbalancing": {"elasticloadbalancing"},
    "scheduler": {"scheduler"}, "secretsmanager": {"secretsmanager"}, "config": {"config"}, "sqs": {"sqs"},
}
# Resource type -> the service its ARN belongs to, for a SourceArn naming a resource of the template
_TYPE_SERVICES = {
    "AWS::S3::Bucket": "s3", "AWS::SNS::Topic": "sns", "AWS::Events::Rule": "events", "AWS::Logs::LogGroup": "logs",
    "AWS::IoT::TopicRule": "iot", "AWS::Cognito::UserPool": "cognito-idp",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "elasticloadbalancing", "AWS::Scheduler::Schedule": "scheduler",
    "AWS::SecretsManager::Secret": "secretsmanager", "AWS::SQS::Queue": "sqs",
}
_ARN_SERVICE = lazy_pattern(r"^arn:(?:[a-z-]+|\$\{AWS::Partition\}):([a-z0-9-]+):")


def source_arn_service(model: TemplateModel, permission: Permission) -> Optional[str]:
    """The service the permission's SourceArn belongs to ("s3", "execute-api", ...), None when unknown."""
    value = permission.written("SourceArn")
    reference = model.referenced(value)
    if reference is not None:
        target = model.resource(reference.target)
        if target is None:
            return None
        service = _TYPE_SERVICES.get(target.type)
        if reference.attribute == "Arn" or (reference.attribute is None and target.type == "AWS::SNS::Topic"):
            return service
        return None
    match = _ARN_SERVICE.match(normalise_value(value) or "")
    return match.group(1) if match else None


class FunctionUrl(Record):
    """An `AWS::Lambda::Url`, or a SAM function's `FunctionUrlConfig`."""

    __slots__ = ("owner", "config", "keys", "model")
    _compared = ("owner", "config", "keys")
    _hidden = ("model",)

    def __init__(self, owner: Any, config: Any, keys: Tuple[str, ...], model: Any = None) -> None:
        self.owner = owner  # Resource (AWS::Lambda::Url) or Function (SAM)
        self.config = config  # the mapping holding AuthType and Cors
        self.keys = keys  # path from the owner's properties to `config`
        self.model = model

    @property
    def auth_type(self) -> Any:
        """The resolved AuthType ("NONE", "AWS_IAM"), or UNKNOWN."""
        raw = self.config.get("AuthType", UNKNOWN) if isinstance(self.config, dict) else UNKNOWN
        return self.model.resolve(raw)

    def cors(self, key: str) -> Any:
        """A resolved setting of the URL's `Cors` (`AllowOrigins`, ...), None when there is none."""
        cors = self.model.resolve(self.config.get("Cors")) if isinstance(self.config, dict) else None
        return self.model.resolve(cors.get(key)) if isinstance(cors, dict) else None

    def hit(self, message: str, *keys: Any) -> Hit:
        return self.owner.hit(message, *(self.keys + keys))

    @property
    def logical_id(self) -> str:
        return self.owner.logical_id


def function_urls(model: TemplateModel) -> List[FunctionUrl]:
    def build(model: TemplateModel) -> List[FunctionUrl]:
        urls = [FunctionUrl(resource, resource.properties, (), model) for resource in model.by_type("AWS::Lambda::Url")]
        for function in model.functions:
            if function.is_sam and isinstance(function.get("FunctionUrlConfig"), dict):
                urls.append(FunctionUrl(function, function.get("FunctionUrlConfig"), ("FunctionUrlConfig",), model))
        return urls

    return model.memo("permissions.function_urls", build)
