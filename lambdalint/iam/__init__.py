"""Effective permissions of IAM roles: policy documents, AWS managed policies, SAM policy templates.

Pure and model-independent: inputs are plain values as loaded from a template.
"""

from .policy import (
    ANY,
    UNKNOWN,
    Permissions,
    ResourceForms,
    Statement,
    Tri,
    WildcardGrant,
    normalise_value,
    parse_policy,
    parse_statement,
)

__all__ = [
    "ANY",
    "UNKNOWN",
    "Permissions",
    "ResourceForms",
    "Statement",
    "Tri",
    "WildcardGrant",
    "normalise_value",
    "parse_policy",
    "parse_statement",
]
