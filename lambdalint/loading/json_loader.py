"""JSON templates: the C json parser for values, a small scanner for positions.

The scanner runs only when a position is asked for (a finding, an error), so
the common path is a plain `json.loads`.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from typing import Any, Dict, List, Optional, Tuple

from ..findings import Path
from .document import Document, LoadError, offset_to_position

_decoder = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: List[Tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey()
    return result


def load_json(text: str, name: str) -> Document:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise LoadError(f"JSON syntax: {exc.msg}", exc.lineno, exc.colno) from None
    except _DuplicateKey:
        key, offset, first = _find_duplicate(text)
        line, column = offset_to_position(text, offset)
        first_line, _ = offset_to_position(text, first)
        raise LoadError(f"duplicate key {key!r} (first defined on line {first_line})", line, column) from None
    except RecursionError:
        raise LoadError("JSON nested too deeply to read", 1, 1) from None
    except ValueError:  # an integer past sys.get_int_max_str_digits(), which Python refuses to convert
        limit = _int_digit_limit()
        digits = re.search(r"\d{%d,}" % (limit + 1), text)
        line, column = offset_to_position(text, digits.start()) if digits else (1, 1)
        raise LoadError(f"JSON number has more than {limit} digits", line, column) from None
    return Document(name=name, data=data, format="json", text=text, _locator=_Locator(text))


def _int_digit_limit() -> int:
    getter = getattr(sys, "get_int_max_str_digits", None)  # Python 3.11+ (and 3.9/3.10 patch releases)
    return (getter() if getter else 0) or 4300


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _members(text: str, index: int):
    """Yield (key, key_offset, value_offset) for the object starting at text[index] == '{'."""
    index = _skip_ws(text, index + 1)
    if text[index] == "}":
        return
    while True:
        key_offset = index
        key, index = _decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        index = _skip_ws(text, index + 1)  # the ':'
        yield key, key_offset, index
        _, index = _decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] == "}":
            return
        index = _skip_ws(text, index + 1)  # the ','


def _items(text: str, index: int):
    """Yield the offset of each element of the array starting at text[index] == '['."""
    index = _skip_ws(text, index + 1)
    if text[index] == "]":
        return
    while True:
        yield index
        _, index = _decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] == "]":
            return
        index = _skip_ws(text, index + 1)


class _Locator:
    """Finds a path in the JSON text; each object's and array's members are indexed on
    first visit, so locating many findings in a large template stays linear."""

    def __init__(self, text: str):
        self.text = text
        self.objects: Dict[int, Dict[str, Tuple[int, int]]] = {}
        self.arrays: Dict[int, List[int]] = {}
        self.line_starts: List[int] = []

    def _position(self, offset: int) -> Tuple[int, int]:
        if not self.line_starts:
            starts = [0]
            find, text = self.text.find, self.text
            newline = find("\n")
            while newline != -1:
                starts.append(newline + 1)
                newline = find("\n", newline + 1)
            self.line_starts = starts
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def _member(self, index: int, step: Any) -> Optional[Tuple[int, int]]:
        members = self.objects.get(index)
        if members is None:
            members = {}
            for key, key_offset, value_offset in _members(self.text, index):
                members.setdefault(key, (key_offset, value_offset))
            self.objects[index] = members
        return members.get(step) if isinstance(step, str) else None

    def _item(self, index: int, step: int) -> Optional[int]:
        items = self.arrays.get(index)
        if items is None:
            items = self.arrays[index] = list(_items(self.text, index))
        return items[step] if 0 <= step < len(items) else None

    def __call__(self, path: Path) -> Optional[Tuple[int, int]]:
        text = self.text
        index = _skip_ws(text, 0)
        position = index
        for step in path:
            if index >= len(text):
                return None
            if text[index] == "{":
                found = self._member(index, step)
                if found is None:
                    return None
                position, index = found
            elif text[index] == "[" and isinstance(step, int) and not isinstance(step, bool):
                offset = self._item(index, step)
                if offset is None:
                    return None
                index = position = offset
            else:
                return None
        return self._position(position)


def _find_duplicate(text: str) -> Tuple[str, int, int]:
    """Offsets of the first duplicated key (error path only: walks everything)."""
    stack = [_skip_ws(text, 0)]
    while stack:
        index = stack.pop()
        if text[index] == "{":
            seen = {}
            for key, key_offset, value_offset in _members(text, index):
                if key in seen:
                    return key, key_offset, seen[key]
                seen[key] = key_offset
                stack.append(value_offset)
        elif text[index] == "[":
            stack.extend(_items(text, index))
    return "?", 0, 0  # pragma: no cover - json said there was one
