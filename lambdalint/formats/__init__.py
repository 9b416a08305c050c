"""Output formats: one module per format, imported only when chosen.

Every format returns one complete document as a string that ends with a
newline, or "" when there is nothing to print (`github` without annotations,
`text` without findings and without its summary line), so callers write it
as is: `click.echo(output, nl=False)`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Optional

from ..findings import Severity

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps start-up light
    from ..findings import Report
    from ..registry import Registry

DEFAULT_FAIL_LEVEL = Severity.ERROR  # as `check --fail-level`

FORMATS = ("text", "json", "sarif", "junit", "github")

# `json` would shadow the standard library module inside this package.
_MODULES = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
}


# The view options each format takes; the rest do not apply to it.
_OPTIONS = {
    "text": ("color", "show_infos", "statistics", "summary"),
    "json": ("statistics",),
    "sarif": (),
    "junit": ("fail_level",),
    "github": ("show_infos",),
}
STATISTICS_FORMATS = tuple(name for name in FORMATS if "statistics" in _OPTIONS[name])


def render(format_name: str, report: Report, registry: Registry, *, color: bool = False,
           show_infos: bool = False, statistics: bool = False, summary: bool = True,
           fail_level: Optional[Severity] = DEFAULT_FAIL_LEVEL) -> str:
    """The report in the named format.

    `color`, `summary`: text only. `show_infos`: text and github list infos (otherwise the text
    summary counts them as hidden); json, sarif and junit always carry every finding.
    `statistics`: counts per rule instead of findings (text and json). `fail_level`: junit
    fails the test cases at or above it (None: none fails), the others pass.
    """
    if format_name not in _MODULES:
        raise ValueError(f"unknown output format {format_name!r} (use one of: {', '.join(FORMATS)})")
    if statistics and format_name not in STATISTICS_FORMATS:
        raise ValueError(f"statistics are written as {' or '.join(STATISTICS_FORMATS)}, not {format_name}")
    module = importlib.import_module(f"{__name__}.{_MODULES[format_name]}")
    given = {"color": color, "show_infos": show_infos, "statistics": statistics, "summary": summary,
             "fail_level": fail_level}
    return module.render(report, registry, **{name: given[name] for name in _OPTIONS[format_name]})
