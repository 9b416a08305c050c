"""`[tool.lambdalint]` in pyproject.toml: whether a file has it, its keys, and their lines.

The keys are the ones of `.lambdalint.yaml`, written in TOML (`fail-level = "warning"`,
`[tool.lambdalint.limits]`). tomllib (Python 3.11+, else the tomli package) is imported
only when a pyproject.toml is read; finding out whether one has the table is a text scan.
tomllib keeps no positions, so the line of each key is found by a scan of the text too,
as setup.cfg's are.
"""

from __future__ import annotations

import datetime
import re
import sys
from typing import Any, Callable, Dict, Optional, Tuple

TABLE = ("tool", "lambdalint")
# `[tool.lambdalint]`, `[tool.lambdalint.limits]`, `[[tool.lambdalint.x]]`, quoted or not
_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_PART = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)"""
_KEY = re.compile(rf"^\s*(?P<key>{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_PART = re.compile(r"""\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[A-Za-z0-9_-]+))\s*(?:\.|$)""")

Locate = Callable[[Tuple[Any, ...]], Tuple[int, int]]


class TomlError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _dotted(text: str) -> Tuple[str, ...]:
    parts = []
    for found in _PART.finditer(text):
        parts.append(next(group for group in found.groups() if group is not None))
    return tuple(parts)


def has_table(path: str) -> bool:
    """Whether pyproject.toml has a `[tool.lambdalint]` table (or a sub-table of it)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                header = _HEADER.match(line)
                if header and _dotted(header.group("name"))[:2] == TABLE:
                    return True
    except OSError:
        return False
    return False


def read(path: str) -> Tuple[Dict[str, Any], Locate]:
    """The `[tool.lambdalint]` table and a locator of its keys. Raises TomlError, OSError."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.9/3.10: the same parser, as a package
        import tomli as tomllib

    with open(path, "rb") as handle:
        content = handle.read()
    try:
        text = content.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise TomlError("pyproject.toml is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        if where is None and "end of document" in message:
            line = text.count("\n") + 1
        raise TomlError(f"TOML syntax: {re.sub(r' [(]at .*[)]$', '', message)}", line, column) from None
    section = document.get("tool", {}).get("lambdalint") if isinstance(document.get("tool"), dict) else None
    if section is None:
        return {}, lambda where: (1, 1)
    if not isinstance(section, dict):
        raise TomlError("[tool.lambdalint] must be a table of keys", *_first_line(text))
    positions = key_positions(text)

    def locate(where: Tuple[Any, ...]) -> Tuple[int, int]:
        where = tuple(str(part) for part in where)
        while where:
            if where in positions:
                return positions[where]
            where = where[:-1]
        return positions.get((), (1, 1))

    return _plain(section), locate


def _first_line(text: str) -> Tuple[int, int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"\s*(\[\s*)?tool\s*\.\s*lambdalint", line):
            return number, 1
    return 1, 1


def _plain(value: Any) -> Any:
    """TOML dates become the text the config schema expects (`today = 2026-01-01`)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return value


def key_positions(text: str) -> Dict[Tuple[str, ...], Tuple[int, int]]:
    """(line, column) of each key below `[tool.lambdalint]`, by its path inside the table.

    A scan, not a parser: `key = value` lines and table headers; keys inside inline tables
    and multi-line arrays are found at their parent key.
    """
    found: Dict[Tuple[str, ...], Tuple[int, int]] = {}
    prefix: Optional[Tuple[str, ...]] = None  # None: outside our table
    depth = 0  # open brackets of a multi-line value: lines inside it hold no keys of their own
    for number, line in enumerate(text.splitlines(), start=1):
        if depth == 0:
            header = _HEADER.match(line)
            if header:
                name = _dotted(header.group("name"))
                prefix = name[2:] if name[:2] == TABLE else None
                if prefix is not None:
                    found.setdefault(prefix, (number, 1))
                continue
            key = _KEY.match(line)
            if key and prefix is not None:
                column = len(line) - len(line.lstrip()) + 1
                found.setdefault(prefix + _dotted(key.group("key")), (number, column))
            elif key and prefix is None and _dotted(key.group("key"))[:2] == TABLE:  # `tool.lambdalint.x = 1`
                found.setdefault(_dotted(key.group("key"))[2:], (number, 1))
        depth = max(0, depth + _open_brackets(line))
    return found


def _open_brackets(line: str) -> int:
    """[ and { opened minus closed on a line, outside strings and comments."""
    count, quote = 0, ""
    for char in line:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            count += 1
        elif char in "]}":
            count -= 1
    return count
