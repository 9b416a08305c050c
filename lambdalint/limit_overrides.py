"""The `limits:` config key: which names exist and what each one takes, from limits.json.

A misspelled name would silently change nothing, and a value of the wrong type would make
a rule raise (LL0007) on every template: both are configuration errors (LL0005, exit 2).
What a name takes follows from its default in limits.json, so a new limit needs no code:
an integer default takes an integer, a decimal one any number, a list a list of strings,
a string a string (a `_pattern` one a regular expression). A positive default must stay
above 0 (a zero memory size or batch size means nothing to AWS), a zero default must not
go below 0 (a window of 0 s is valid, -1 s is not); a negative default (-1 meaning
"infinite") leaves the sign free.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional, Tuple

from . import data


class LimitError(Exception):
    """One invalid `limits:` entry; `name` is the key it is about."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name, self.message = name, message


def defaults() -> Dict[str, Any]:
    return data.limits()


def kind(default: Any) -> str:
    """What a limit with this default takes: integer, number, list, pattern or string."""
    if isinstance(default, bool):  # no limit is a flag today; a bool is not a number here
        return "boolean"
    if isinstance(default, int):
        return "integer"
    if isinstance(default, float):
        return "number"
    if isinstance(default, list):
        return "list"
    return "string"


def is_pattern(name: str) -> bool:
    return name.endswith("_pattern")


def lower_bound(default: Any) -> Optional[Tuple[float, bool]]:
    """(bound, inclusive) a number limit must respect, or None when any sign is meaningful."""
    if kind(default) not in ("integer", "number"):
        return None
    if default > 0:
        return (0, False)
    if default == 0:
        return (0, True)
    return None


def validate(overrides: Mapping[Any, Any], from_text: bool = False) -> Dict[str, Any]:
    """The overrides checked (and, from setup.cfg text, converted). Raises LimitError."""
    known = defaults()
    checked: Dict[str, Any] = {}
    for name, value in overrides.items():
        name = str(name)
        if name not in known:
            raise LimitError(name, _unknown(name, known))
        default = known[name]
        if from_text and isinstance(value, str):
            value = _from_text(name, default, value)
        checked[name] = _checked(name, default, value)
    return checked


def _unknown(name: str, known: Mapping[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown limit {name!r} ({hint}docs/usage.md lists every limit)"


def _from_text(name: str, default: Any, text: str) -> Any:
    """setup.cfg values are text: read them as the limit's kind (what fails is reported later)."""
    text = text.strip()
    wanted = kind(default)
    if wanted == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        if wanted == "integer":
            return int(text)
        if wanted == "number":
            return float(text)
    except ValueError:
        return text
    if wanted == "list":
        return [item.strip() for item in text.split(",") if item.strip()]
    return text


def _checked(name: str, default: Any, value: Any) -> Any:
    invalid = f"invalid value for limits.{name}: {value!r}"
    wanted = kind(default)
    if wanted == "boolean":
        if not isinstance(value, bool):
            raise LimitError(name, f"{invalid} is not true or false (default {default!r})")
    elif wanted == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise LimitError(name, f"{invalid} is not an integer (default {default!r})")
    elif wanted == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LimitError(name, f"{invalid} is not a number (default {default!r})")
    elif wanted == "list":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise LimitError(name, f"{invalid} is not a list of strings")
        return list(value)
    elif not isinstance(value, str):
        raise LimitError(name, f"{invalid} is not a string (default {default!r})")
    elif is_pattern(name):
        try:
            re.compile(value)
        except re.error as exc:
            raise LimitError(name, f"{invalid} is not a regular expression ({exc})") from None
    bound = lower_bound(default)
    if bound is not None:
        limit, inclusive = bound
        if value < limit or (value == limit and not inclusive):
            relation = "at least" if inclusive else "greater than"
            raise LimitError(name, f"invalid value for limits.{name}: {value!r} must be {relation} {limit:g}")
    return value
