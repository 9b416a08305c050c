"""The KMS key of the template a function encrypts its environment variables with.

Lambda decrypts the variables with the function's execution role. A key policy that grants
only the account (its root, or the account ID) leaves the decision to IAM policies, so the
role then needs `kms:Decrypt` itself; a key policy that may name the role, or everyone,
decides on its own (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
"""

from __future__ import annotations

from typing import Any, Optional

from ..records import Record
from .template import Function, Resource, TemplateModel
from .values import is_intrinsic, normalise_value

KEY_TYPE = "AWS::KMS::Key"


class EnvironmentKey(Record):
    """The `AWS::KMS::Key` a function's `KmsKeyArn` names by its Arn."""

    __slots__ = ("function", "resource", "arn")
    _compared = ("resource", "arn")
    _hidden = ("function",)

    def __init__(self, function: Function, resource: Resource, arn: Any) -> None:
        self.function = function
        self.resource = resource  # the key
        self.arn = arn  # KmsKeyArn as written, for the IAM layer to match

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    def may_grant_directly(self, role_key: str) -> bool:
        """Whether the key policy may grant the role (or everyone) itself, needing no IAM permission:
        True unless every statement's principal is surely the account alone."""
        policy = self.resource.get("KeyPolicy")
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


def environment_key(model: TemplateModel, function: Function) -> Optional[EnvironmentKey]:
    """The key of the template whose Arn the function's `KmsKeyArn` names, or None (no KmsKeyArn,
    a key of another stack or account, a parameter)."""
    if not function.has("KmsKeyArn"):
        return None
    arn = function.get("KmsKeyArn")
    reference = model.referenced(arn)
    if reference is None or reference.attribute != "Arn":
        return None
    key = model.resource(reference.target)
    if key is None or key.type != KEY_TYPE:
        return None
    return EnvironmentKey(function, key, arn)
