"""`--format github`: workflow commands that GitHub Actions shows as annotations.

Escaping follows the runner toolkit (actions/toolkit packages/core/src/command.ts,
`escapeData` / `escapeProperty`) and
https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..findings import Finding, Severity
from .text import context_suffix, shown_findings, visible

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Report
    from ..registry import Registry

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The runner's escaping for a command's message: `%`, CR and LF.

    `%` goes first so the escapes added after it are not escaped again. Other
    controls (ESC, BEL, ...) would reach the log raw, so they are shown as
    `\\x1b`-style text instead.
    """
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(text)


def escape_property(text: str) -> str:
    """A property value also must not contain the `:` and `,` that delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    properties = [f"file={escape_property(finding.file)}"]
    if finding.line >= 1:
        properties.append(f"line={finding.line}")
        if finding.column >= 1:
            properties.append(f"col={finding.column}")
    properties.append(f"title={escape_property(finding.rule)}")
    message = escape_data(finding.message + context_suffix(finding))
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{message}"


def render(report: Report, registry: Registry, *, show_infos: bool = False) -> str:
    """Annotations for errors and warnings; `notice` ones for infos only when asked (as `text`)."""
    return "".join(command(finding) + "\n" for finding in shown_findings(report, show_infos))
