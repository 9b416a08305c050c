"""count and for_each: the instances of a resource or module call, and the names each one sees.

Known count / for_each give one instance per key (`[0]`, `["a"]`); not known, one
conditional instance without a key whose `count.index` / `each.*` are UNKNOWN. A resource
with instances is a handle that an index turns into a Reference-making instance.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ...model.values import UNKNOWN
from . import hcl
from .evaluate import ReferenceHandle, Scope, element_origin, evaluate
from .values import EvalError, Handle, instance_key, is_known, is_opaque, to_number, to_string

MAX_INSTANCES = 1000  # count / for_each beyond this: one conditional instance


class Expansion:
    """The instances of a resource or module call: None keys = a single instance without key;
    `known` False = count/for_each not known (one conditional instance, no key)."""

    __slots__ = ("keys", "values", "known")

    def __init__(self, keys: Optional[List[Any]], values: Optional[List[Any]] = None, known: bool = True) -> None:
        self.keys = keys
        self.values = values
        self.known = known

    @property
    def by_count(self) -> bool:
        return self.keys is not None and bool(self.keys) and isinstance(self.keys[0], int)


SINGLE = Expansion(None)
UNKNOWN_EXPANSION = Expansion(None, known=False)


def expansion(body: hcl.Body, scope: Scope) -> Expansion:
    count = body.attributes.get("count")
    for_each = body.attributes.get("for_each")
    if count is not None:
        value = evaluate(count.expr, scope)
        if is_opaque(value) or value is UNKNOWN:
            return UNKNOWN_EXPANSION
        try:
            number = to_number(value)
        except EvalError:
            return UNKNOWN_EXPANSION
        if not isinstance(number, int) or number < 0 or number > MAX_INSTANCES:
            return UNKNOWN_EXPANSION
        return Expansion(list(range(number)))
    if for_each is not None:
        value = evaluate(for_each.expr, scope)
        if isinstance(value, dict):
            if len(value) > MAX_INSTANCES:
                return UNKNOWN_EXPANSION
            keys = sorted(value)
            return Expansion(keys, [value[key] for key in keys])
        if isinstance(value, list) and is_known(value) and all(isinstance(item, str) for item in value):
            if len(value) > MAX_INSTANCES:
                return UNKNOWN_EXPANSION
            keys = sorted(set(value))
            return Expansion(keys, keys)
        return UNKNOWN_EXPANSION
    return SINGLE


def instance_names(expanded: Expansion, key: Any, value: Any) -> Dict[str, Any]:
    """`count.index` or `each.key`/`each.value` of one instance."""
    if not expanded.known:
        return {"count": {"index": UNKNOWN}, "each": {"key": UNKNOWN, "value": UNKNOWN}}
    if expanded.keys is None:
        return {}
    if expanded.by_count:
        return {"count": {"index": key}}
    return {"each": {"key": key, "value": value}}


def each_origins(declared: hcl.HclBlock, scope: Scope, key: Any) -> Dict[str, Tuple[hcl.Expr, Scope]]:
    """Where `each.value` of instance `key` is written, when for_each is a literal (or leads to one)."""
    for_each = declared.body.attributes.get("for_each")
    if for_each is None or key is None:
        return {}
    found = element_origin(for_each.expr, scope, key)
    return {"each.value": found} if found is not None else {}


class Instances(Handle):
    """A resource or data block with count/for_each: indexed by instance key."""

    def __init__(self, address: str, expanded: Expansion) -> None:
        self.address = address
        self.expanded = expanded

    def _keys(self) -> List[Any]:
        return self.expanded.keys or []

    def index(self, key: Any) -> Any:
        if not self.expanded.known:
            return ReferenceHandle(self.address)  # the one conditional instance
        keys = self._keys()
        if self.expanded.by_count:
            number = to_number(key)
            if number not in keys:
                raise EvalError(f"{self.address}[{key}] is not an instance")
            return ReferenceHandle(self.address + instance_key(number))
        name = to_string(key)
        if name not in keys:
            raise EvalError(f"{self.address}[{name!r}] is not an instance")
        return ReferenceHandle(self.address + instance_key(name))

    def attr(self, name: str) -> Any:
        if not self.expanded.known:
            return UNKNOWN
        raise EvalError(f"{self.address} has instances: index it before .{name}")

    def splat(self) -> Any:
        if not self.expanded.known or not self.expanded.by_count:
            return UNKNOWN if not self.expanded.known else self.value()
        return self.value()

    def value(self) -> Any:
        if not self.expanded.known:
            return UNKNOWN
        instances = [ReferenceHandle(self.address + instance_key(key)).value() for key in self._keys()]
        if self.expanded.by_count:
            return instances
        return dict(zip(self._keys(), instances))
