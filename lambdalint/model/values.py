"""Template values: what a property can be at deploy time, and the helpers that read values.

Precision first: anything we cannot work out for sure is UNKNOWN, and rules
skip UNKNOWN. Parameters resolve to their override or `Default` (except SSM parameter types, whose
value lives in SSM: UNKNOWN, as is text with a `{{resolve:...}}` dynamic reference); `Fn::If`
keeps both branches as candidates; references to resources stay references.

Every value helper lives here, so that there is one UNKNOWN (compare it with `is`), one
reading of numbers (`as_number`, `as_int`), one `Fn::If` splitter (`if_branches`, and
`with_branches` for a value under one choice of its conditions) and one
normal form for values compared as text (`normalise_value`, used by IAM and the model).
"""

from __future__ import annotations

import math
import re
from typing import Any, Dict, List, Mapping, Optional

from ..lazy import lazy_pattern
from ..records import Record


class _Unknown:
    """What we cannot know. Falsy, and one object: a copy made by pickling is the same UNKNOWN."""

    _instance: Optional[_Unknown] = None

    def __new__(cls) -> _Unknown:
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
_ABSENT: Any = object()  # an optional argument not given (FindInMap's DefaultValue)


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


def is_known(value: Any) -> bool:
    return value is not UNKNOWN and value is not NO_VALUE


def is_dynamic_reference(value: Any) -> bool:
    """Text holding a `{{resolve:ssm:...}}` / `secretsmanager` dynamic reference: CloudFormation puts
    the parameter's or secret's value there at deploy time, which the template does not hold.
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
    """
    return isinstance(value, str) and "{{resolve:" in value


def if_branches(value: Any) -> Optional[List[Any]]:
    """The two branch values of a well-formed `Fn::If`, else None."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        args = value["Fn::If"]
        if isinstance(args, list) and len(args) == 3:
            return [args[1], args[2]]
    return None


def if_conditions(value: Any, _depth: int = 0) -> List[str]:
    """The condition names of every `Fn::If` in `value` (nested ones too), in order of appearance."""
    found: List[str] = []
    if _depth > _MAX_DEEP:
        return found
    if isinstance(value, dict):
        arguments = value.get("Fn::If") if len(value) == 1 else None
        if isinstance(arguments, list) and len(arguments) == 3 and isinstance(arguments[0], str):
            found.append(arguments[0])
        for item in value.values():
            found.extend(name for name in if_conditions(item, _depth + 1) if name not in found)
    elif isinstance(value, list):
        for item in value:
            found.extend(name for name in if_conditions(item, _depth + 1) if name not in found)
    return found


def with_branches(value: Any, chosen: Mapping[str, bool], _depth: int = 0) -> Any:
    """`value` with each `Fn::If` on a condition in `chosen` replaced by the branch that condition
    picks (nested ones too); an `Fn::If` on any other condition stays as written."""
    if _depth > _MAX_DEEP:
        return value
    branches = if_branches(value)
    if branches is not None:
        name = value["Fn::If"][0]
        if isinstance(name, str) and name in chosen:
            return with_branches(branches[0] if chosen[name] else branches[1], chosen, _depth + 1)
    if isinstance(value, dict):
        return {key: with_branches(item, chosen, _depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [with_branches(item, chosen, _depth + 1) for item in value]
    return value


def sub_text(value: Any) -> Optional[str]:
    """The template string of an `Fn::Sub` (`!Sub "..."` or `!Sub ["...", {vars}]`), else None."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::Sub" in value:
        body = value["Fn::Sub"]
        if isinstance(body, list) and body:
            body = body[0]
        return body if isinstance(body, str) else None
    return None


def as_number(value: Any) -> Any:
    """A number CloudFormation would accept (an int, a float, or a string of one), else UNKNOWN.

    Booleans are no numbers, though Python counts them as ints. A string is read as an int, or
    failing that as a float ("0.5", "1e3"); a string that reads as infinity or NaN is UNKNOWN.
    """
    if isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
        try:
            number = float(value)
        except ValueError:
            return UNKNOWN
        return number if math.isfinite(number) else UNKNOWN
    return UNKNOWN


def as_int(value: Any) -> Any:
    """An integer from a template value (as `as_number` reads it, with no fraction), else UNKNOWN."""
    number = as_number(value)
    if isinstance(number, float):
        return int(number) if number.is_integer() else UNKNOWN
    return number


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
        if depth > 32:
            return [UNKNOWN]
        if not is_intrinsic(value):
            return [UNKNOWN] if is_dynamic_reference(value) else [value]
        (name, argument), = value.items()
        handler = _HANDLERS.get(name)
        if handler is None:
            return [UNKNOWN]
        try:
            result = handler(self, argument, depth + 1)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return [UNKNOWN]  # a malformed intrinsic is for LL0003 and friends, not a crash
        return [UNKNOWN if is_dynamic_reference(option) else option for option in result] or [UNKNOWN]

    # -- intrinsic handlers --------------------------------------------------------------
    def _ref(self, name: Any, depth: int) -> List[Any]:
        if not isinstance(name, str):
            return [UNKNOWN]
        if name == "AWS::NoValue":
            return [NO_VALUE]
        if name in self.parameters and _is_ssm_value_parameter(self.parameters[name]):
            return [UNKNOWN]
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
            return as_number(raw)
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

        def substitute(match: re.Match[str]) -> str:
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
        index, items = as_int(self.resolve(index, depth)), self.resolve(items, depth)
        if index is UNKNOWN or not isinstance(items, list) or not 0 <= index < len(items):
            return [UNKNOWN]
        return self.candidates(items[index], depth)

    def _find_in_map(self, argument: Any, depth: int) -> List[Any]:
        """`[Map, TopKey, SecondKey]`, or with `{DefaultValue: ...}` fourth (`AWS::LanguageExtensions`).

        Mapping values are literals. A key we cannot know (`AWS::Region`, a parameter without a
        default, an `Fn::If` whose branches differ) may be any key of its level: the value is known
        only when every entry it can reach, and the default where one may apply, give the same
        value. A known key that is missing gives the default; without one that deploy fails, and
        the lookup has no value (UNKNOWN when no other entry can be reached).
        https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-findinmap-enhancements.html
        """
        if not isinstance(argument, list) or len(argument) not in (3, 4):
            return [UNKNOWN]
        default: Any = _ABSENT
        if len(argument) == 4:
            extra = argument[3]
            if not (isinstance(extra, dict) and list(extra) == ["DefaultValue"]):
                return [UNKNOWN]
            default = extra["DefaultValue"]
        levels: List[Any] = [self.mappings]
        may_miss = False  # some lookup may find no entry: the default applies there
        for key in argument[:3]:
            key = self.resolve(key, depth)
            known = isinstance(key, (str, int)) and not isinstance(key, bool)
            reached: List[Any] = []
            for level in levels:
                if not isinstance(level, dict):
                    return [UNKNOWN]  # a mapping less than two levels deep
                if not known:
                    reached.extend(level.values())
                    may_miss = True
                elif key in level or str(key) in level:
                    reached.append(level[key] if key in level else level[str(key)])
                else:
                    may_miss = True  # without a default this lookup fails the deploy: no value of it
            levels = reached
        if any(isinstance(leaf, dict) for leaf in levels):
            return [UNKNOWN]  # a mapping nested deeper than two levels is no value
        sources = [self.candidates(leaf, depth) for leaf in levels]
        if may_miss and default is not _ABSENT:
            sources.append(self.candidates(default, depth))
        if len(sources) == 1:
            return sources[0]
        options = [option for source in sources for option in source]
        if not options:
            return [UNKNOWN]
        first = options[0]
        if first is UNKNOWN or any(other is UNKNOWN or other != first for other in options[1:]):
            return [UNKNOWN]
        return [first]


_HANDLERS = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._get_att,
    "Fn::If": Resolver._if,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::FindInMap": Resolver._find_in_map,
}


def _is_ssm_value_parameter(declaration: Any) -> bool:
    """A parameter of type `AWS::SSM::Parameter::Value<...>`: what is written or passed is the NAME of
    an SSM parameter, and CloudFormation deploys that parameter's value, which the template does not hold.

    That holds for a `--parameter` or `parameters:` value as well: CloudFormation reads the value given
    for such a parameter as the SSM name too (so the value a deploy pipeline passes means the same here).
    (ParameterValue is the SSM key, ResolvedValue its value: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html)
    """
    kind = declaration.get("Type") if isinstance(declaration, dict) else None
    return isinstance(kind, str) and kind.replace(" ", "").startswith("AWS::SSM::Parameter::Value<")


def _mapping(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------- values as text

_SUB_NAME = lazy_pattern(r"\$\{([^}!][^}]*)\}")


def normalise_value(value: Any, _depth: int = 0) -> Optional[str]:
    """A value in `Fn::Sub` syntax, or None when it has intrinsics we cannot spell.

    `{"Ref": "T"}` -> `${T}`, `!GetAtt Q.Arn` -> `${Q.Arn}`, `!Sub "${Q.Arn}/*"` stays as
    written, and `Fn::Join` of such parts is joined: two values that name the same thing the
    same way compare equal as text (IAM resources, event source ARNs, function names).

    >>> normalise_value({"Fn::GetAtt": ["Queue", "Arn"]})
    '${Queue.Arn}'
    """
    if _depth > 20:
        return None
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        return None
    (name, args), = value.items()
    if name == "Ref":
        return f"${{{args}}}" if isinstance(args, str) and args else None
    if name == "Fn::GetAtt":
        if isinstance(args, str) and "." in args:
            return f"${{{args}}}"
        if isinstance(args, list) and len(args) == 2 and all(isinstance(a, str) and a for a in args):
            return f"${{{args[0]}.{args[1]}}}"
        return None
    if name == "Fn::Sub":
        if isinstance(args, str):
            return args
        if isinstance(args, list) and len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], dict):
            return _substitute(args[0], args[1], _depth)
        return None
    if name == "Fn::Join":
        if isinstance(args, list) and len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], list):
            parts = [normalise_value(part, _depth + 1) for part in args[1]]
            known = [part for part in parts if part is not None]
            if len(known) != len(parts):
                return None
            return args[0].join(known)
        return None
    return None


def _substitute(template: str, variables: dict, depth: int) -> Optional[str]:
    failed = False

    def one(match: re.Match[str]) -> str:
        nonlocal failed
        name = match.group(1)
        if name not in variables:
            return match.group(0)
        form = normalise_value(variables[name], depth + 1)
        if form is None:
            failed = True
            return ""
        return form

    result = _SUB_NAME.sub(one, template)
    return None if failed else result
