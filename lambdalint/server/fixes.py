"""Quick fixes as text edits on the buffer (no protocol here): filled in by later work."""

from __future__ import annotations

from typing import Any, List, Tuple

from ..findings import Finding
from ..records import Record


class Edit(Record):
    """Replace the text from `start` to `end` ((line, character), both from 0) by `text`."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: Tuple[int, int], end: Tuple[int, int], text: str) -> None:
        self.start = start
        self.end = end
        self.text = text


class Fix(Record):
    __slots__ = ("title", "edits")

    def __init__(self, title: str, edits: List[Edit]) -> None:
        self.title = title
        self.edits = edits


def fixes_for(finding: Finding, path: str, text: str, session: Any) -> List[Fix]:
    return []
