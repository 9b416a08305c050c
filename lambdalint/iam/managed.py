"""AWS managed policies: their statements from `data/managed_policies.json`, looked up by ARN or name.

A policy we do not list, or a customer managed policy, gives unknown permissions
(`Permissions.unknown()`), never an empty set: an unlisted policy may grant anything.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any, Dict, Optional, Tuple

from .. import data
from ..lazy import lazy_pattern
from ..model.values import normalise_value
from ..records import Record
from .policy import Permissions, Statement, parse_policy

# `arn:<partition>:iam::aws:policy/<path/name>`; the partition may be literal or `${AWS::Partition}`
_AWS_MANAGED_ARN = lazy_pattern(r"^arn:(?:aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy/(?P<suffix>[^\s]+)$")
_BARE_NAME = lazy_pattern(r"^[\w+=,.@/-]+$")


class ManagedPolicy(Record):
    __slots__ = ("name", "arn_suffix", "statements", "source", "checked")

    def __init__(
        self,
        name: str,
        arn_suffix: str,
        statements: Tuple[Statement, ...],
        source: str,
        checked: str,
    ) -> None:
        self.name = name
        # after `arn:<partition>:iam::aws:policy/`, e.g. "service-role/AWSLambdaBasicExecutionRole"
        self.arn_suffix = arn_suffix
        self.statements = statements
        self.source = source
        self.checked = checked

    @property
    def permissions(self) -> Permissions:
        return Permissions(self.statements)


@lru_cache(maxsize=1)
def _rows() -> Dict[str, Dict[str, Any]]:
    """Data-file rows by full ARN suffix and by bare name (SAM accepts bare names in `Policies`).

    A row becomes a ManagedPolicy (its statements parsed) only when a template names it:
    a run reads a handful of the listed policies, and parsing them all costs start-up.
    """
    rows = data.load("managed_policies.json")["policies"]
    index: Dict[str, Dict[str, Any]] = {}
    for row in rows:
        index[row["arn_suffix"]] = row
        index.setdefault(row["name"], row)
    return index


@cache
def _policy(arn_suffix: str) -> ManagedPolicy:
    row = _rows()[arn_suffix]
    return ManagedPolicy(
        name=row["name"],
        arn_suffix=row["arn_suffix"],
        statements=parse_policy({"Statement": row["statements"]}, origin=row["name"]),
        source=row["source"],
        checked=row["checked"],
    )


def all_managed_policies() -> Tuple[ManagedPolicy, ...]:
    suffixes = {row["arn_suffix"] for row in _rows().values()}
    return tuple(_policy(suffix) for suffix in sorted(suffixes))


def managed_policy_suffix(value: Any) -> Optional[str]:
    """The part after `policy/` of an AWS managed policy ARN (any partition, `Fn::Sub` or `Fn::Join`
    with `AWS::Partition`), or a bare SAM-style name as given. None for anything else, including
    customer managed ARNs and values we cannot spell."""
    text = normalise_value(value)
    if text is None:
        return None
    match = _AWS_MANAGED_ARN.match(text)
    if match:
        return match.group("suffix")
    if not text.startswith("arn:") and "${" not in text and _BARE_NAME.match(text):
        return text
    return None


def lookup_managed_policy(value: Any) -> Optional[ManagedPolicy]:
    """The listed AWS managed policy that `value` (ARN or bare name) names, or None."""
    suffix = managed_policy_suffix(value)
    if suffix is None:
        return None
    rows = _rows()
    row = rows.get(suffix)
    if row is None:
        # a path we do not expect (or none, as SAM short names have): match on the name alone
        row = rows.get(suffix.rsplit("/", 1)[-1])
    return _policy(row["arn_suffix"]) if row is not None else None


def managed_permissions(value: Any) -> Permissions:
    """Permissions of a managed policy reference; unknown unless it is a listed AWS managed policy."""
    policy = lookup_managed_policy(value)
    return policy.permissions if policy is not None else Permissions.unknown()
