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


class DuplicateKey(Record):
    """A mapping key written more than once: the last one is the value CloudFormation deploys.

    `path` is the key's path in the loaded values (whose value is the last one written),
    `line`/`column` where that last key is, `earlier` the (line, column) of the ones dropped.
    """

    __slots__ = ("path", "line", "column", "earlier")

    def __init__(self, path: Path, line: int, column: int, earlier: Tuple[Tuple[int, int], ...]) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.earlier = earlier


class Document(Record):
    """One template file: its values and how to find where a value was written."""

    __slots__ = ("name", "data", "format", "text", "_locator", "duplicates", "front_end")
    _hidden = ("text", "_locator", "front_end")

    def __init__(self, name: str, data: Any, format: str, text: str = "",
                 _locator: Callable[[Path], Optional[Tuple[int, int]]] = _nowhere,
                 duplicates: Tuple[DuplicateKey, ...] = (), front_end: Any = None) -> None:
        self.name = name
        self.data = data
        self.format = format  # "yaml" or "json"
        self.text = text  # the source, for rules that search it cheaply
        self._locator = _locator
        # Keys written twice in one mapping, in file order: `data` holds the last value of each
        # (what CloudFormation deploys, cfn-language-discussion#96); a rule reports them.
        self.duplicates = duplicates
        # What the front end that lowered this document from another input knows beside it
        # (a serverless.yml compiled to a template: its package folders, versions, function
        # keys), or None for a template read as it is.
        self.front_end = front_end

    def locate(self, path: Path) -> Tuple[int, int]:
        """Line and column of the deepest prefix of `path` that exists in the file.

        A key written twice is found where it was written last, as its value is the last one.
        """
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
