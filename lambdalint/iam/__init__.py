"""Effective permissions of IAM roles: policy documents, AWS managed policies, SAM policy templates.

Pure: inputs are plain values as loaded from a template; of the model, only its value helpers
(`lambdalint.model.values`: its UNKNOWN, the normal form of values) are used.
"""

from .policy import (
    ANY,
    Permissions,
    ResourceForms,
    Statement,
    Tri,
    WildcardGrant,
    parse_policy,
    parse_statement,
)

__all__ = [
    "ANY",
    "Permissions",
    "ResourceForms",
    "Statement",
    "Tri",
    "WildcardGrant",
    "parse_policy",
    "parse_statement",
]
