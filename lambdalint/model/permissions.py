"""Resource-based policies of functions: who may invoke them.

`AWS::Lambda::Permission` resources as written, with the principal classified
(`*`, a service principal, an account or ARN, unknown), plus function URLs
(`AWS::Lambda::Url` and SAM `FunctionUrlConfig`) with their `AuthType`.
SAM event-generated permissions always name a service principal and carry the
source ARN (see samtranslator/model/eventsources/push.py), so they are never
public and need no check of their own.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ..findings import Hit
from ..lazy import lazy_pattern
from ..records import Record
from .template import Resource, TemplateModel
from .values import UNKNOWN

EVERYONE, SERVICE, ACCOUNT, UNKNOWN_PRINCIPAL = "everyone", "service", "account", "unknown"
_SERVICE_PRINCIPAL = lazy_pattern(r"^(?P<service>[a-z0-9.-]+)\.amazonaws\.com(?:\.cn)?$")


class Permission(Record):
    __slots__ = ("resource", "principal", "principal_kind", "service")

    def __init__(self, resource: Resource, principal: Any, principal_kind: str, service: Optional[str]) -> None:
        self.resource = resource
        self.principal = principal  # the resolved principal text, or UNKNOWN
        self.principal_kind = principal_kind
        self.service = service  # "s3" for s3.amazonaws.com

    def has(self, key: str) -> bool:
        return key in self.resource.properties


def permissions(model: TemplateModel) -> List[Permission]:
    return model.memo("permissions.lambda_permissions", _build)


def _build(model: TemplateModel) -> List[Permission]:
    found = []
    for resource in model.by_type("AWS::Lambda::Permission"):
        principal = model.resolve(resource.get("Principal"))
        kind, service = classify_principal(principal)
        found.append(Permission(resource, principal, kind, service))
    return found


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


class FunctionUrl(Record):
    """An `AWS::Lambda::Url`, or a SAM function's `FunctionUrlConfig`."""

    __slots__ = ("owner", "config", "keys")

    def __init__(self, owner: Any, config: Any, keys: Tuple[str, ...]) -> None:
        self.owner = owner  # Resource (AWS::Lambda::Url) or Function (SAM)
        self.config = config  # the mapping holding AuthType and Cors
        self.keys = keys  # path from the owner's properties to `config`

    @property
    def auth_type(self) -> Any:
        return self.config.get("AuthType", UNKNOWN) if isinstance(self.config, dict) else UNKNOWN

    def hit(self, message: str, *keys: Any) -> Hit:
        return self.owner.hit(message, *(self.keys + keys))

    @property
    def logical_id(self) -> str:
        return self.owner.logical_id


def function_urls(model: TemplateModel) -> List[FunctionUrl]:
    def build(model: TemplateModel) -> List[FunctionUrl]:
        urls = [FunctionUrl(resource, resource.properties, ()) for resource in model.by_type("AWS::Lambda::Url")]
        for function in model.functions:
            if function.is_sam and isinstance(function.get("FunctionUrlConfig"), dict):
                urls.append(FunctionUrl(function, function.get("FunctionUrlConfig"), ("FunctionUrlConfig",)))
        return urls

    return model.memo("permissions.function_urls", build)
