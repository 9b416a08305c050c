"""Values as the Terraform evaluator holds them, and the conversions Terraform applies.

Plain Python values where known; UNKNOWN, configuration.Reference and Interpolation where
not. Shared by evaluate (expressions) and functions (the function table).
"""

from __future__ import annotations

import json
from typing import Any, List, Optional, Tuple

from ...model.values import UNKNOWN
from . import hcl
from .configuration import Encoded, Interpolation, Reference

MAX_STRING = 1 << 20  # longer strings (a template doubled through locals) are not built
MAX_ITEMS = 100_000  # nor longer lists
HUGE_NUMBER = 1 << 512  # Terraform's numbers have 512 bits of precision


class EvalError(Exception):
    """Terraform would reject this expression."""


class Context:
    """What a module instance answers: overridden by modules.ModuleInstance."""

    def variable(self, name: str) -> Any:
        raise EvalError(f"undeclared variable {name}")

    def local(self, name: str) -> Any:
        raise EvalError(f"undeclared local {name}")

    def resource(self, mode: str, type: str, name: str) -> Any:
        raise EvalError(f"undeclared {mode} {type}.{name}")

    def module(self, name: str) -> Any:
        raise EvalError(f"undeclared module {name}")

    def path(self, name: str) -> Any:
        return UNKNOWN

    def read_file(self, path: str) -> Optional[bytes]:
        """The bytes of a file inside the trust boundary, else None (unknown)."""
        return None

    def absolute(self, path: str) -> Any:
        """`abspath(path)`: relative to Terraform's working directory, the root module."""
        return UNKNOWN

    def written(self, kind: str, name: str) -> Optional[Tuple[hcl.Expr, Any]]:
        """Where variable or local `name`'s value is written, with its evaluate.Scope, for positions."""
        return None


class Handle:
    """Something a traversal continues from that is not a value itself (a resource, a module)."""

    def attr(self, name: str) -> Any:
        raise EvalError(f"unsupported attribute {name}")

    def index(self, key: Any) -> Any:
        raise EvalError("cannot index")

    def splat(self) -> Any:
        return UNKNOWN

    def value(self) -> Any:
        return UNKNOWN


# ---- kinds of values -------------------------------------------------------------------


def is_known(value: Any) -> bool:
    """Wholly known: no UNKNOWN, Reference, Interpolation or Encoded anywhere inside."""
    if value is UNKNOWN or isinstance(value, (Reference, Interpolation, Encoded, Handle)):
        return False
    if isinstance(value, list):
        return all(is_known(item) for item in value)
    if isinstance(value, dict):
        return all(is_known(item) for item in value.values())
    return True


def is_opaque(value: Any) -> bool:
    """A value whose content is not known here (its shape neither; an Encoded is a string not known)."""
    return value is UNKNOWN or isinstance(value, (Reference, Interpolation, Encoded, Handle))


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def to_number(value: Any) -> Any:
    """A number from a number or its string (Terraform converts), EvalError otherwise."""
    if is_number(value):
        return value
    if not isinstance(value, str):
        raise EvalError("a number is required")
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise EvalError(f"not a number: {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise EvalError(f"not a number: {value!r}")
    return int(number) if number.is_integer() and abs(number) < 2 ** 63 else number


def to_string(value: Any) -> str:
    """A primitive as a template writes it; EvalError for null, lists and maps."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2 ** 63 else repr(value)
    if value is None:
        raise EvalError("null in a string")
    raise EvalError("a string is required")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise EvalError("a bool is required")


def instance_key(key: Any) -> str:
    """`[0]` or `["name"]`, as Terraform writes an instance key in an address."""
    if isinstance(key, str):
        return "[" + json.dumps(key, ensure_ascii=False) + "]"
    return f"[{key}]"


def checked_string(text: str) -> str:
    if len(text) > MAX_STRING:
        raise EvalError("string too long")
    return text


def join_parts(pieces: List[Any]) -> Any:
    """Template pieces joined: a str when all are known, else an Interpolation (or UNKNOWN)."""
    merged: List[Any] = []
    size = 0
    for piece in pieces:
        if isinstance(piece, Interpolation):
            merged.extend(piece.parts)
            continue
        if piece is UNKNOWN or isinstance(piece, Reference):
            merged.append(piece)
            continue
        if isinstance(piece, Encoded):  # JSON text inside a longer string: not a document any more
            merged.append(UNKNOWN)
            continue
        text = to_string(piece)
        size += len(text)
        if merged and isinstance(merged[-1], str):
            merged[-1] += text
        else:
            merged.append(text)
    if size > MAX_STRING:
        raise EvalError("string too long")
    merged = [piece for piece in merged if piece != ""]
    if not merged:
        return ""
    if len(merged) == 1 and isinstance(merged[0], str):
        return merged[0]
    if all(piece is UNKNOWN for piece in merged if not isinstance(piece, str)) and \
            not any(isinstance(piece, str) for piece in merged):
        return UNKNOWN
    # UNKNOWN next to UNKNOWN says nothing more than one
    compact: List[Any] = []
    for piece in merged:
        if piece is UNKNOWN and compact and compact[-1] is UNKNOWN:
            continue
        compact.append(piece)
    return Interpolation(tuple(compact))


def equal(left: Any, right: Any) -> bool:
    """Terraform equality of known values: types count (`"1" != 1`, `true != 1`)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if is_number(left) and is_number(right):
        return bool(left == right)
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(equal(a, b) for a, b in zip(left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(equal(left[k], right[k]) for k in left)
    return bool(left == right)
