"""A loaded template: plain values plus a lazy source map.

Positions are looked up only when a finding needs one (most paths never do),
so loading costs little more than the parse itself.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Tuple

from ..findings import Path
from ..records import Record


class LoadError(Exception):
    """The file cannot be read as a template; carries a 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _nowhere(path: Path) -> Optional[Tuple[int, int]]:
    return None


class Document(Record):
    """One template file: its values and how to find where a value was written."""

    __slots__ = ("name", "data", "format", "text", "_locator")
    _hidden = ("text", "_locator")

    def __init__(self, name: str, data: Any, format: str, text: str = "",
                 _locator: Callable[[Path], Optional[Tuple[int, int]]] = _nowhere) -> None:
        self.name = name
        self.data = data
        self.format = format  # "yaml" or "json"
        self.text = text  # the source, for rules that search it cheaply
        self._locator = _locator

    def locate(self, path: Path) -> Tuple[int, int]:
        """Line and column of the deepest prefix of `path` that exists in the file."""
        path = tuple(path)
        while path:
            found = self._locator(path)
            if found is not None:
                return found
            path = path[:-1]
        return (1, 1)


def offset_to_position(text: str, offset: int) -> Tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column
