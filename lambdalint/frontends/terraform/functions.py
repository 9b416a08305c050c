"""The Terraform functions this evaluator computes; any other function's result is UNKNOWN.

Each function takes evaluated arguments (values, UNKNOWN, Reference, Interpolation) and
returns what Terraform would, or UNKNOWN when an argument it needs is not known, or raises
EvalError where Terraform rejects the call. Semantics follow
https://developer.hashicorp.com/terraform/language/functions (one page per function).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any, Callable, Dict, List

from ...model.values import UNKNOWN
from .configuration import Encoded, Interpolation, Position, Reference
from .values import (
    MAX_ITEMS,
    Context,
    EvalError,
    checked_string,
    equal,
    is_known,
    is_opaque,
    join_parts,
    to_bool,
    to_number,
    to_string,
)

MAX_FILE = 4 << 20  # file() and the hashes read at most this much; larger files stay unknown


def attempt(name: str, thunks: List[Callable[[], Any]]) -> Any:
    """`try(a, b, ...)`: the first argument that evaluates; `can(a)`: whether it does."""
    if name == "can":
        if len(thunks) != 1:
            raise EvalError("can takes one argument")
        try:
            value = thunks[0]()
        except EvalError:
            return False
        return True if is_known(value) else UNKNOWN
    for thunk in thunks:
        try:
            value = thunk()
        except EvalError:
            continue
        # an unknown first success may still fail at apply: what comes after is not known
        return value if is_known(value) else UNKNOWN
    raise EvalError("no argument of try evaluated")


def call(name: str, args: List[Any], context: Context, position: Position) -> Any:
    function = _FUNCTIONS.get(name)
    if function is None:
        return UNKNOWN  # not modelled: never guessed
    try:
        if name in _READS_FILES or name == "abspath":
            return function(context, *args)
        return function(*args)
    except (TypeError, ValueError, ArithmeticError):  # wrong arguments; numbers out of range
        raise EvalError(f"wrong arguments to {name}") from None


def _known(*values: Any) -> bool:
    return all(is_known(value) for value in values)


def _string(value: Any) -> str:
    return to_string(value)


def _list(value: Any) -> List[Any]:
    if isinstance(value, list):
        return value
    raise EvalError("a list is required")


def _map(value: Any) -> Dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError("a map is required")


def _strings(function: Callable[..., Any]) -> Callable[..., Any]:
    """A function of known primitive arguments only."""

    def wrapped(*args: Any) -> Any:
        if not _known(*args):
            return UNKNOWN
        return function(*args)

    return wrapped


# ---- collections -----------------------------------------------------------------------


def _merge(*maps: Any) -> Any:
    result: Dict[str, Any] = {}
    for value in maps:
        if value is None:
            continue
        if is_opaque(value):
            return UNKNOWN
        result.update(_map(value))
    return result


def _concat(*lists: Any) -> Any:
    result: List[Any] = []
    for value in lists:
        if is_opaque(value):
            return UNKNOWN
        result.extend(_list(value))
    if len(result) > MAX_ITEMS:
        raise EvalError("list too long")
    return result


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if len(default) > 1:
        raise EvalError("lookup takes two or three arguments")
    if is_opaque(mapping) or is_opaque(key):
        return UNKNOWN
    name = _string(key)
    if name in _map(mapping):
        return mapping[name]
    if default:
        return default[0]
    raise EvalError(f"no key {name!r}")


def _length(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str):
        return len(value)
    raise EvalError("length of a primitive")


def _keys(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    return sorted(_map(value))


def _values(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    mapping = _map(value)
    return [mapping[key] for key in sorted(mapping)]


def _element(value: Any, position: Any) -> Any:
    if is_opaque(value) or is_opaque(position):
        return UNKNOWN
    items = _list(value)
    number = to_number(position)
    if not items or not isinstance(number, int) or number < 0:
        raise EvalError("element of an empty list or a bad index")
    return items[number % len(items)]


def _contains(value: Any, item: Any) -> Any:
    if not _known(value, item):
        return UNKNOWN
    return any(equal(entry, item) for entry in _list(value))


def _flatten(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    result: List[Any] = []

    def walk(items: List[Any], depth: int) -> bool:
        for item in items:
            if is_opaque(item):
                return False  # it may be a list whose items belong here
            if isinstance(item, list):
                if depth > 64 or not walk(item, depth + 1):
                    return False
            else:
                result.append(item)
        return True

    return result if walk(_list(value), 0) else UNKNOWN


def _distinct(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    return _unique(_list(value))


def _unique(items: List[Any]) -> List[Any]:
    result: List[Any] = []
    for item in items:
        if not any(equal(item, seen) for seen in result):
            result.append(item)
    return result


def _tolist(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    return list(_list(value))


def _toset(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    items = _unique(_list(value))
    # a set of strings (or numbers) iterates in order: Terraform's for_each and for see that
    if all(isinstance(item, str) for item in items):
        return sorted(items)
    if all(isinstance(item, (int, float)) and not isinstance(item, bool) for item in items):
        return sorted(items)
    return items


def _tomap(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    return dict(_map(value))


def _coalesce(*values: Any) -> Any:
    for value in values:
        if is_opaque(value):
            return UNKNOWN  # it may be the first non-empty one
        if value is not None and value != "":
            return value
    raise EvalError("no non-null argument")


def _coalescelist(*values: Any) -> Any:
    for value in values:
        if is_opaque(value):
            return UNKNOWN
        if _list(value):
            return value
    raise EvalError("no non-empty list")


def _zipmap(keys: Any, values: Any) -> Any:
    if is_opaque(keys) or is_opaque(values) or not _known(keys):
        return UNKNOWN
    names, items = _list(keys), _list(values)
    if len(names) != len(items):
        raise EvalError("zipmap lengths differ")
    return {_string(name): item for name, item in zip(names, items)}


def _compact(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    return [item for item in _list(value) if item is not None and item != ""]


def _slice(value: Any, start: Any, end: Any) -> Any:
    if is_opaque(value) or not _known(start, end):
        return UNKNOWN
    items = _list(value)
    first, last = to_number(start), to_number(end)
    if not (isinstance(first, int) and isinstance(last, int) and 0 <= first <= last <= len(items)):
        raise EvalError("slice out of range")
    return items[first:last]


def _range(*args: Any) -> Any:
    if not _known(*args):
        return UNKNOWN
    numbers = [to_number(arg) for arg in args]
    if not 1 <= len(numbers) <= 3:
        raise EvalError("range takes one to three arguments")
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (
        numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else (1 if numbers[1] >= numbers[0] else -1))
    if step == 0:
        raise EvalError("range step 0")
    count = (stop - start) / step
    if count > MAX_ITEMS:
        raise EvalError("range too long")
    result = []
    value = start
    while (value < stop) if step > 0 else (value > stop):
        result.append(value)
        value += step
    return result


def _one(value: Any) -> Any:
    if is_opaque(value):
        return UNKNOWN
    items = _list(value)
    if len(items) > 1:
        raise EvalError("one() of more than one element")
    return items[0] if items else None


def _sort(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    return sorted(_string(item) for item in _list(value))


def _sum(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    items = _list(value)
    if not items:
        raise EvalError("sum() of an empty list")
    total: Any = 0
    for item in items:
        total += to_number(item)
    return total


def _all_or_any(wanted: bool) -> Callable[..., Any]:
    def function(value: Any) -> Any:
        if is_opaque(value):
            return UNKNOWN
        seen_unknown = False
        for item in _list(value):
            if is_opaque(item):
                seen_unknown = True
            elif to_bool(item) is not wanted:
                return not wanted
        return UNKNOWN if seen_unknown else wanted

    return function


def _index(value: Any, item: Any) -> Any:
    if not _known(value, item):
        return UNKNOWN
    for number, entry in enumerate(_list(value)):
        if equal(entry, item):
            return number
    raise EvalError("index() of an item not in the list")


def _string_digest(algorithm: str, encode: Callable[[bytes], str]) -> Callable[..., Any]:
    def function(value: Any) -> Any:
        if not _known(value):
            return UNKNOWN
        return encode(hashlib.new(algorithm, _string(value).encode("utf-8")).digest())

    return function


# ---- strings -----------------------------------------------------------------------------


def _join(separator: Any, *lists: Any) -> Any:
    if is_opaque(separator):
        return UNKNOWN
    glue = _string(separator)
    pieces: List[Any] = []
    for value in lists:
        if is_opaque(value):
            return UNKNOWN
        for item in _list(value):
            if isinstance(item, (list, dict)):
                raise EvalError("join of a collection")
            if pieces:
                pieces.append(glue)
            pieces.append(item)
    return join_parts(pieces)


def _format(spec: Any, *args: Any) -> Any:
    if not _known(spec):
        return UNKNOWN
    text = _string(spec)
    out: List[Any] = []
    i, n, argument = 0, len(text), 0
    while i < n:
        ch = text[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        if i + 1 < n and text[i + 1] == "%":
            out.append("%")
            i += 2
            continue
        verb = text[i + 1] if i + 1 < n else ""
        if verb not in "sdvq" or argument >= len(args):
            return UNKNOWN  # widths, precisions and other verbs are not modelled
        value = args[argument]
        argument += 1
        i += 2
        if verb in "sv" and (isinstance(value, (Reference, Interpolation, Encoded)) or value is UNKNOWN):
            out.append(value)
        elif not _known(value):
            return UNKNOWN
        elif verb == "d":
            number = to_number(value)
            if not isinstance(number, int):
                raise EvalError("%d of a fraction")
            out.append(str(number))
        elif verb == "q":
            out.append(json.dumps(_string(value), ensure_ascii=False))
        elif isinstance(value, (list, dict)):
            if verb == "v":
                out.append(_jsonencode(value))
            else:
                raise EvalError("%s of a collection")
        else:
            out.append(_string(value))
    return join_parts(out)


def _split(separator: Any, value: Any) -> Any:
    if not _known(separator, value):
        return UNKNOWN
    glue, text = _string(separator), _string(value)
    if text == "":
        return []
    if glue == "":
        return list(text)
    return text.split(glue)


def _replace(value: Any, search: Any, replacement: Any) -> Any:
    if not _known(value, search, replacement):
        return UNKNOWN
    pattern = _string(search)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        return UNKNOWN  # a regular expression (RE2 syntax): not modelled
    result = _string(value).replace(pattern, _string(replacement))
    return checked_string(result)


def _tostring(value: Any) -> Any:
    if isinstance(value, (Reference, Interpolation, Encoded)):
        return value
    if not _known(value):
        return UNKNOWN
    if value is None:
        return None
    return _string(value)


def _tonumber(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    if value is None:
        return None
    return to_number(value)


def _tobool(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError("not a bool")


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _jsonencode(value: Any) -> Any:
    """Keys sorted, no spaces, and `<`, `>`, `&`, U+2028, U+2029 as \\u escapes, as Terraform writes
    them (https://developer.hashicorp.com/terraform/language/functions/jsonencode).

    A list or object with parts not known (a policy naming `aws_sqs_queue.q.arn`) is Encoded:
    its text exists at apply time only, but the lowering still reads its structure.
    """
    if not _known(value):
        return Encoded(value) if isinstance(value, (dict, list)) else UNKNOWN
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    # these characters only occur inside JSON strings, so replacing them everywhere is exact
    for character, escape in _JSON_ESCAPES.items():
        text = text.replace(character, escape)
    return text


def _jsondecode(value: Any) -> Any:
    if isinstance(value, Encoded):
        return value.value
    if not _known(value):
        return UNKNOWN
    try:
        return _tidy_numbers(json.loads(_string(value)))
    except ValueError:
        raise EvalError("invalid JSON") from None


def _tidy_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 63:
        return int(value)
    if isinstance(value, list):
        return [_tidy_numbers(item) for item in value]
    if isinstance(value, dict):
        return {key: _tidy_numbers(item) for key, item in value.items()}
    return value


def _substr(value: Any, offset: Any, length: Any) -> Any:
    if not _known(value, offset, length):
        return UNKNOWN
    text = _string(value)
    start, count = to_number(offset), to_number(length)
    if not isinstance(start, int) or not isinstance(count, int):
        raise EvalError("substr of a fraction")
    if start < 0:
        start += len(text)
    if start < 0 or start > len(text):
        raise EvalError("substr offset out of range")
    return text[start:] if count == -1 else text[start:start + count]


def _trimprefix(value: Any, prefix: Any) -> str:
    text, start = _string(value), _string(prefix)
    return text[len(start):] if start and text.startswith(start) else text


def _trimsuffix(value: Any, suffix: Any) -> str:
    text, end = _string(value), _string(suffix)
    return text[:-len(end)] if end and text.endswith(end) else text


def _title(value: Any) -> str:
    text = _string(value)
    return "".join(word[:1].upper() + word[1:] for word in _split_keep(text))


def _split_keep(text: str) -> List[str]:
    words: List[str] = []
    current = ""
    for ch in text:
        if ch.isspace():
            if current:
                words.append(current)
                current = ""
            words.append(ch)
        else:
            current += ch
    if current:
        words.append(current)
    return words


def _minmax(pick: Callable[..., Any]) -> Callable[..., Any]:
    def function(*values: Any) -> Any:
        if not values:
            raise EvalError("no arguments")
        return pick(to_number(value) for value in values)

    return _strings(function)


# ---- paths and files -----------------------------------------------------------------------


def _abspath(context: Context, value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    return context.absolute(_string(value))


def _basename(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    return os.path.basename(_string(value).rstrip("/")) or _string(value)


def _dirname(value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    return os.path.dirname(_string(value).rstrip("/") or "/") or "."


def _file_bytes(context: Context, value: Any) -> Any:
    if not _known(value):
        return UNKNOWN
    data = context.read_file(_string(value))
    return UNKNOWN if data is None else data


def _file(context: Context, value: Any) -> Any:
    data = _file_bytes(context, value)
    if data is UNKNOWN:
        return UNKNOWN
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("file() of a file that is not UTF-8") from None


def _digest(algorithm: str, encode: Callable[[bytes], str]) -> Callable[..., Any]:
    def function(context: Context, value: Any) -> Any:
        data = _file_bytes(context, value)
        if data is UNKNOWN:
            return UNKNOWN
        return encode(hashlib.new(algorithm, data).digest())

    return function


def _base64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def _hex(digest: bytes) -> str:
    return digest.hex()


def _filebase64(context: Context, value: Any) -> Any:
    data = _file_bytes(context, value)
    return UNKNOWN if data is UNKNOWN else base64.b64encode(data).decode("ascii")


def _fileexists(context: Context, value: Any) -> Any:
    # a file outside the trust boundary is not looked at, so its existence is not known
    data = _file_bytes(context, value)
    return True if data is not UNKNOWN else UNKNOWN


def _identity(value: Any) -> Any:
    return value


_READS_FILES = {"file", "filebase64", "filebase64sha256", "filebase64sha512", "filemd5", "filesha1",
                "filesha256", "filesha512", "fileexists"}

_FUNCTIONS: Dict[str, Callable[..., Any]] = {
    "merge": _merge,
    "concat": _concat,
    "lookup": _lookup,
    "length": _length,
    "keys": _keys,
    "values": _values,
    "element": _element,
    "contains": _contains,
    "flatten": _flatten,
    "distinct": _distinct,
    "tolist": _tolist,
    "toset": _toset,
    "tomap": _tomap,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "zipmap": _zipmap,
    "compact": _compact,
    "slice": _slice,
    "range": _range,
    "one": _one,
    "sort": _sort,
    "sum": _sum,
    "alltrue": _all_or_any(True),
    "anytrue": _all_or_any(False),
    "index": _index,
    "reverse": lambda value: UNKNOWN if is_opaque(value) else list(reversed(_list(value))),
    "join": _join,
    "format": _format,
    "split": _split,
    "replace": _replace,
    "lower": _strings(lambda value: _string(value).lower()),
    "upper": _strings(lambda value: _string(value).upper()),
    "title": _strings(_title),
    "trimspace": _strings(lambda value: _string(value).strip()),
    "chomp": _strings(lambda value: _string(value).rstrip("\r\n")),
    "trimprefix": _strings(_trimprefix),
    "trimsuffix": _strings(_trimsuffix),
    "startswith": _strings(lambda value, prefix: _string(value).startswith(_string(prefix))),
    "endswith": _strings(lambda value, suffix: _string(value).endswith(_string(suffix))),
    "substr": _substr,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": _tobool,
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "base64encode": _strings(lambda value: base64.b64encode(_string(value).encode("utf-8")).decode("ascii")),
    "md5": _string_digest("md5", _hex),
    "sha1": _string_digest("sha1", _hex),
    "sha256": _string_digest("sha256", _hex),
    "sha512": _string_digest("sha512", _hex),
    "base64sha256": _string_digest("sha256", _base64),
    "base64sha512": _string_digest("sha512", _base64),
    "min": _minmax(min),
    "max": _minmax(max),
    "abs": _strings(lambda value: abs(to_number(value))),
    "sensitive": _identity,
    "nonsensitive": _identity,
    "abspath": _abspath,
    "basename": _basename,
    "dirname": _dirname,
    "file": _file,
    "filebase64": _filebase64,
    "filebase64sha256": _digest("sha256", _base64),
    "filebase64sha512": _digest("sha512", _base64),
    "filemd5": _digest("md5", _hex),
    "filesha1": _digest("sha1", _hex),
    "filesha256": _digest("sha256", _hex),
    "filesha512": _digest("sha512", _hex),
    "fileexists": _fileexists,
}

FUNCTIONS = frozenset(_FUNCTIONS) | {"try", "can", "templatefile"}  # the last three in evaluate
