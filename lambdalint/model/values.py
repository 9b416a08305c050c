"""Resolving template values: what a property can be at deploy time.

Precision first: anything we cannot work out for sure is UNKNOWN, and rules
skip UNKNOWN. Parameters resolve to their override or `Default`; `Fn::If`
keeps both branches as candidates; references to resources stay references.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Mapping, Optional

from ..lazy import lazy_pattern
from ..records import Record


class _Unknown:
    _instance: Optional["_Unknown"] = None

    def __new__(cls) -> "_Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


class _NoValue:
    """`AWS::NoValue`: the property is absent."""

    def __repr__(self) -> str:
        return "NO_VALUE"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()
NO_VALUE: Any = _NoValue()


class Reference(Record):
    """A `Ref` (attribute None) or `Fn::GetAtt` to a resource of this template."""

    __slots__ = ("target", "attribute")

    def __init__(self, target: str, attribute: Optional[str] = None) -> None:
        self.target = target
        self.attribute = attribute


INTRINSICS = frozenset(
    {
        "Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::Join", "Fn::Select", "Fn::Split",
        "Fn::FindInMap", "Fn::ImportValue", "Fn::Base64", "Fn::Cidr", "Fn::GetAZs", "Fn::Equals",
        "Fn::And", "Fn::Or", "Fn::Not", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::ForEach",
    }
)

_MAX_DEEP = 100
_SUB_VARIABLE = lazy_pattern(r"\$\{([^}]*)\}")


def is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in INTRINSICS


def intrinsic_name(value: Any) -> Optional[str]:
    return next(iter(value)) if is_intrinsic(value) else None


def is_known(value: Any) -> bool:
    return value is not UNKNOWN and value is not NO_VALUE


class Resolver:
    """Evaluates intrinsics against one template's parameters, mappings and resources."""

    def __init__(self, template: Mapping[str, Any], overrides: Optional[Mapping[str, Any]] = None):
        self.parameters = _mapping(template.get("Parameters"))
        self.mappings = _mapping(template.get("Mappings"))
        self.resources = _mapping(template.get("Resources"))
        self.overrides = dict(overrides or {})

    # -- single value ------------------------------------------------------------------
    def resolve(self, value: Any, depth: int = 0) -> Any:
        """One value, or UNKNOWN when it depends on something we cannot know or on a condition.

        `depth` is for the handlers: nested intrinsics share one depth budget.
        """
        options = self.candidates(value, depth)
        first = options[0]
        if first is UNKNOWN:
            return UNKNOWN
        for other in options[1:]:
            if other is UNKNOWN or other != first:
                return UNKNOWN
        return first

    def resolve_deep(self, value: Any, depth: int = 0) -> Any:
        """Like resolve, but also inside plain maps and lists (their entries may be UNKNOWN)."""
        if depth > _MAX_DEEP:  # a JSON template can nest ~1000 levels; Python's stack cannot
            return UNKNOWN
        value = self.resolve(value)
        if isinstance(value, dict):
            return {key: self.resolve_deep(item, depth + 1) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve_deep(item, depth + 1) for item in value]
        return value

    # -- every possible value ------------------------------------------------------------
    def candidates(self, value: Any, depth: int = 0) -> List[Any]:
        """Every value this may take: `Fn::If` contributes both branches (never empty)."""
        if depth > 32 or not is_intrinsic(value):
            return [UNKNOWN] if depth > 32 else [value]
        (name, argument), = value.items()
        handler = _HANDLERS.get(name)
        if handler is None:
            return [UNKNOWN]
        try:
            result = handler(self, argument, depth + 1)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return [UNKNOWN]  # a malformed intrinsic is for LL0003 and friends, not a crash
        return result or [UNKNOWN]

    def iter_candidates(self, value: Any) -> Iterator[Any]:
        yield from self.candidates(value)

    # -- intrinsic handlers --------------------------------------------------------------
    def _ref(self, name: Any, depth: int) -> List[Any]:
        if not isinstance(name, str):
            return [UNKNOWN]
        if name == "AWS::NoValue":
            return [NO_VALUE]
        if name in self.overrides and name not in self.resources:
            return [self._typed_parameter(name, self.overrides[name])]
        if name in self.parameters:
            declaration = self.parameters[name]
            if isinstance(declaration, dict) and "Default" in declaration:
                return [self._typed_parameter(name, declaration["Default"])]
            return [UNKNOWN]
        if name in self.resources:
            return [Reference(name)]
        return [UNKNOWN]  # pseudo parameters and dangling names

    def _typed_parameter(self, name: str, raw: Any) -> Any:
        declaration = self.parameters.get(name)
        kind = declaration.get("Type") if isinstance(declaration, dict) else None
        if kind == "Number" and isinstance(raw, str):
            try:
                return int(raw)
            except ValueError:
                try:
                    return float(raw)
                except ValueError:
                    return UNKNOWN
        if isinstance(kind, str) and (kind == "CommaDelimitedList" or kind.startswith("List<")):
            if isinstance(raw, str):
                return [part.strip() for part in raw.split(",")] if raw else []
        return raw

    def _get_att(self, argument: Any, depth: int) -> List[Any]:
        if isinstance(argument, str):
            argument = argument.split(".", 1)
        if (
            isinstance(argument, list)
            and len(argument) == 2
            and isinstance(argument[0], str)
            and isinstance(argument[1], str)
            and argument[0] in self.resources
        ):
            return [Reference(argument[0], argument[1])]
        return [UNKNOWN]

    def _if(self, argument: Any, depth: int) -> List[Any]:
        if not isinstance(argument, list) or len(argument) != 3:
            return [UNKNOWN]
        return self.candidates(argument[1], depth) + self.candidates(argument[2], depth)

    def _sub(self, argument: Any, depth: int) -> List[Any]:
        variables: Dict[str, Any] = {}
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            argument, variables = argument
        if not isinstance(argument, str):
            return [UNKNOWN]

        unknown = False

        def substitute(match: "re.Match[str]") -> str:
            nonlocal unknown
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                value = self.resolve(variables[name], depth)
            elif "." in name:
                value = UNKNOWN
            else:
                value = self.resolve({"Ref": name}, depth)
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                unknown = True
                return ""
            return str(value)

        text = _SUB_VARIABLE.sub(substitute, argument)
        return [UNKNOWN] if unknown else [text]

    def _join(self, argument: Any, depth: int) -> List[Any]:
        delimiter, parts = argument
        parts = self.resolve(parts, depth)
        if not isinstance(delimiter, str) or not isinstance(parts, list):
            return [UNKNOWN]
        texts = []
        for part in parts:
            value = self.resolve(part, depth)
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return [UNKNOWN]
            texts.append(str(value))
        return [delimiter.join(texts)]

    def _select(self, argument: Any, depth: int) -> List[Any]:
        index, items = argument
        index, items = self.resolve(index, depth), self.resolve(items, depth)
        if isinstance(index, str) and index.isdigit():
            index = int(index)
        if isinstance(index, bool) or not isinstance(index, int) or not isinstance(items, list):
            return [UNKNOWN]
        if not 0 <= index < len(items):
            return [UNKNOWN]
        return self.candidates(items[index], depth)

    def _find_in_map(self, argument: Any, depth: int) -> List[Any]:
        if not isinstance(argument, list) or len(argument) < 3:
            return [UNKNOWN]
        keys = [self.resolve(key, depth) for key in argument[:3]]
        if any(not isinstance(key, (str, int)) or isinstance(key, bool) for key in keys):
            return [UNKNOWN]
        level: Any = self.mappings
        for key in keys:
            if not isinstance(level, dict):
                return [UNKNOWN]
            if key not in level and str(key) not in level:
                return [UNKNOWN]
            level = level[key] if key in level else level[str(key)]
        return self.candidates(level, depth)


_HANDLERS = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._get_att,
    "Fn::If": Resolver._if,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::FindInMap": Resolver._find_in_map,
}


def _mapping(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}
