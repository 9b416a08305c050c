"""Output formats: one module per format, imported only when chosen.

Every format returns one complete document as a string that ends with a
newline (the `github` format returns "" when there is nothing to annotate),
so callers write it as is: `click.echo(output, nl=False)`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only, keeps start-up light
    from ..findings import Report
    from ..registry import Registry

FORMATS = ("text", "json", "sarif", "junit", "github")

# `json` would shadow the standard library module inside this package.
_MODULES = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
}


def render(format_name: str, report: "Report", registry: "Registry", *, color: bool = False) -> str:
    """The report in the named format; `color` only affects `text`."""
    if format_name not in _MODULES:
        raise ValueError(f"unknown output format {format_name!r} (use one of: {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{_MODULES[format_name]}")
    if format_name == "text":
        return module.render(report, registry, color=color)
    return module.render(report, registry)
