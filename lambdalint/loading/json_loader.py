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
from .document import Document, DuplicateKey, LoadError, offset_to_position

_decoder = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


def load_json(text: str, name: str) -> Document:
    repeated = []  # set when an object repeats a key; json keeps the last value, as CloudFormation does

    def objects(pairs: List[Tuple[str, Any]]) -> dict:
        result = dict(pairs)
        if len(result) != len(pairs):
            repeated.append(True)
        return result

    try:
        data = json.loads(text, object_pairs_hook=objects)
    except json.JSONDecodeError as exc:
        raise LoadError(f"JSON syntax: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise LoadError("JSON nested too deeply to read", 1, 1) from None
    except ValueError:  # an integer past sys.get_int_max_str_digits(), which Python refuses to convert
        limit = _int_digit_limit()
        digits = re.search(rf"\d{{{limit + 1},}}", text)
        line, column = offset_to_position(text, digits.start()) if digits else (1, 1)
        raise LoadError(f"JSON number has more than {limit} digits", line, column) from None
    locator = _Locator(text)
    duplicates = _duplicates(text, locator) if repeated else ()
    return Document(name=name, data=data, format="json", text=text, _locator=locator, duplicates=duplicates)


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
            find = self.text.find
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
                members[key] = (key_offset, value_offset)  # a key written twice: the last one, as it is kept
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


def _duplicates(text: str, locator: _Locator) -> Tuple[DuplicateKey, ...]:
    """Every repeated key with its path (only when json saw one: walks the whole text).

    Only the kept values are searched: a key repeated inside a value that a later key
    replaced is not in the template CloudFormation deploys.
    """
    found = []
    stack: List[Tuple[int, Path]] = [(_skip_ws(text, 0), ())]
    while stack:
        index, path = stack.pop()
        if text[index] == "{":
            offsets: Dict[str, List[int]] = {}
            kept: Dict[str, int] = {}
            for key, key_offset, value_offset in _members(text, index):
                offsets.setdefault(key, []).append(key_offset)
                kept[key] = value_offset
            for key, value_offset in kept.items():
                stack.append((value_offset, path + (key,)))
                written = offsets[key]
                if len(written) > 1:
                    line, column = locator._position(written[-1])
                    earlier = tuple(locator._position(offset) for offset in written[:-1])
                    found.append(DuplicateKey(path + (key,), line, column, earlier))
        elif text[index] == "[":
            stack.extend((offset, path + (number,)) for number, offset in enumerate(_items(text, index)))
    return tuple(sorted(found, key=lambda d: (d.line, d.column)))
