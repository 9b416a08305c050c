"""What the checked templates declare that the command line names: parameters and image functions.

`--parameter Name=value` and `--image LogicalId=path` name things inside templates, and a
typo (or a value CloudFormation would refuse) silently changes nothing. Checking a template
records its parameter declarations and the logical IDs of its image functions in a
`Declared`; the run merges them and the CLI compares them with what it was given (once per
run, on standard error). Rules never see this.

Parameter constraints follow CloudFormation's: `Type` (Number, List<Number>, strings and
lists of strings), `AllowedValues`, `AllowedPattern` (the whole value must match),
`MinValue`/`MaxValue` for numbers and `MinLength`/`MaxLength` for strings
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
"""

from __future__ import annotations

import re
from typing import Any, FrozenSet, Iterable, List, Optional, Tuple

from .records import Record

# (Type, AllowedValues, AllowedPattern, MinValue, MaxValue, MinLength, MaxLength), hashable
Spec = Tuple[Any, ...]
_CONSTRAINTS = ("Type", "AllowedValues", "AllowedPattern", "MinValue", "MaxValue", "MinLength", "MaxLength")


class Declared(Record):
    """Parameter declarations (name, spec) and image function IDs of the templates checked."""

    __slots__ = ("parameters", "image_functions", "open")

    def __init__(self, parameters: FrozenSet[Tuple[str, Spec]] = frozenset(),
                 image_functions: FrozenSet[str] = frozenset(), open: bool = False) -> None:
        self.parameters = parameters
        self.image_functions = image_functions
        # some template could not be read, or makes resources with loops over unknown
        # collections: an image function may exist that no one could see
        self.open = open

    def merged(self, other: Optional[Declared]) -> Declared:
        if other is None:
            return self
        return Declared(self.parameters | other.parameters, self.image_functions | other.image_functions,
                        self.open or other.open)

    def parameter_names(self) -> FrozenSet[str]:
        return frozenset(name for name, _ in self.parameters)

    def specs(self, name: str) -> List[Spec]:
        return sorted((spec for known, spec in self.parameters if known == name), key=repr)


UNREADABLE = Declared(open=True)


def merge(parts: Iterable[Optional[Declared]]) -> Declared:
    result = Declared()
    for part in parts:
        result = result.merged(part)
    return result


def declared_in(model: Any) -> Declared:
    """The parameters and image functions of one template model."""
    parameters = frozenset((str(name), _spec(declaration)) for name, declaration in model.parameters.items())
    images = frozenset(function.logical_id for function in model.functions if function.package_type != "Zip")
    return Declared(parameters, images, model.has_unknown_loops("Resources"))


def terraform_variables(names: Iterable[str]) -> Declared:
    """A Terraform root module's variables, which `--parameter` sets: any value is taken here
    (their `type` and `validation` are Terraform's to apply)."""
    return Declared(frozenset((name, _spec(None)) for name in names))


def _spec(declaration: Any) -> Spec:
    if not isinstance(declaration, dict):
        return (None,) * len(_CONSTRAINTS)
    values: List[Any] = []
    for key in _CONSTRAINTS:
        value = declaration.get(key)
        # anything of another shape (an intrinsic, a mistake) constrains nothing here
        if key == "AllowedValues":
            value = tuple(str(item) for item in value if _scalar(item)) if isinstance(value, list) else None
        elif not _scalar(value) or (key in ("Type", "AllowedPattern") and not isinstance(value, str)):
            value = None
        values.append(value)
    return tuple(values)


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def parameter_problem(value: str, spec: Spec) -> Optional[str]:
    """Why CloudFormation would refuse `value` for a parameter declared as `spec`, or None."""
    kind, allowed, pattern, min_value, max_value, min_length, max_length = spec
    kind = kind if isinstance(kind, str) else "String"
    is_list = kind == "CommaDelimitedList" or kind.startswith("List<")
    items = [part.strip() for part in value.split(",")] if is_list else [value]
    numeric = kind in ("Number", "List<Number>")
    for item in items:
        if numeric:
            number = _number(item)
            if number is None:
                return f"{item!r} is not a number (Type: {kind})"
            low, high = _number(min_value), _number(max_value)
            if low is not None and number < low:
                return f"{item!r} is below MinValue {min_value}"
            if high is not None and number > high:
                return f"{item!r} is above MaxValue {max_value}"
        if allowed and item not in allowed and not (numeric and _number(item) in {_number(a) for a in allowed}):
            return f"{item!r} is not one of the AllowedValues ({', '.join(allowed)})"
    if not numeric:
        problem = _string_problem(value, items, is_list, pattern, min_length, max_length)
        if problem:
            return problem
    return None


def _string_problem(value: str, items: List[str], is_list: bool, pattern: Any, min_length: Any,
                    max_length: Any) -> Optional[str]:
    if isinstance(pattern, str):
        try:
            compiled = re.compile(pattern)
        except re.error:  # a Java pattern Python cannot read: CloudFormation's to judge
            compiled = None
        if compiled is not None:
            for item in items:
                if compiled.fullmatch(item) is None:
                    return f"{item!r} does not match the AllowedPattern {pattern}"
    if not is_list:
        shortest, longest = _number(min_length), _number(max_length)
        if shortest is not None and len(value) < shortest:
            return f"{value!r} is shorter than MinLength {min_length}"
        if longest is not None and len(value) > longest:
            return f"{value!r} is longer than MaxLength {max_length}"
    return None


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def parameter_warnings(given: Iterable[Tuple[str, str]], declared: Declared) -> List[str]:
    """One warning per --parameter the checked templates do not declare or would refuse."""
    names = declared.parameter_names()
    warnings = []
    for name, value in given:
        if name not in names:
            warnings.append(f"--parameter {name}: no template declares a parameter {name}")
            continue
        for problem in dict.fromkeys(filter(None, (parameter_problem(value, spec) for spec in declared.specs(name)))):
            warnings.append(f"--parameter {name}={value}: {problem}")
    return warnings


def unknown_images(given: Iterable[str], declared: Declared) -> List[str]:
    """The --image logical IDs that name no image function of the checked templates."""
    return [name for name in given if name not in declared.image_functions]
