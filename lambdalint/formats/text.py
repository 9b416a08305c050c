"""Human-readable output: one line per finding, then a summary line.

Everything taken from scanned input (messages quote template values, file
names, logical IDs, zip member names) passes through `visible()`, so a
hostile template cannot move the cursor, recolour the terminal or fake extra
finding lines.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, List

from ..findings import Finding, Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Report
    from ..registry import Registry

# C0 and C1 controls and DEL, lone surrogates (unencodable on a UTF-8
# terminal), Unicode line/paragraph separators, and the bidi overrides and
# isolates that can make a line read differently from its bytes.
# Compiled on first need (~0.7 ms): `visible` skips it for the usual all-printable text.
_UNSAFE = "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

_COLORS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_RESET = "\x1b[0m"


def _escape(match: "re.Match[str]") -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control or layout-changing character shown as a Python-style escape."""
    if text.isprintable():  # every _UNSAFE character is a control, separator or format one: not printable
        return text
    return _unsafe().sub(_escape, text)


@functools.lru_cache(maxsize=None)
def _unsafe() -> "re.Pattern[str]":
    return re.compile(_UNSAFE)


def context_suffix(finding: Finding) -> str:
    """` [Resource] (package.zip: member)`: what the finding is about, beyond file and line."""
    suffix = ""
    if finding.resource is not None:
        suffix += f" [{finding.resource}]"
    if finding.artifact is not None:
        artifact = finding.artifact
        where = artifact.package if artifact.member is None else f"{artifact.package}: {artifact.member}"
        suffix += f" ({where})"
    return suffix


def finding_line(finding: Finding, *, color: bool = False) -> str:
    severity = finding.severity.label
    if color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    location = f"{visible(finding.file)}:{finding.line}:{finding.column}"
    return f"{location}: {finding.rule} {severity}: {visible(finding.message + context_suffix(finding))}"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def summary_line(report: "Report") -> str:
    """`3 errors, 1 warning, 0 infos in 2 files`."""
    counts = report.summary()
    return (
        f"{_count(counts['errors'], 'error', 'errors')}, "
        f"{_count(counts['warnings'], 'warning', 'warnings')}, "
        f"{_count(counts['infos'], 'info', 'infos')} "
        f"in {_count(counts['files'], 'file', 'files')}"
    )


def render(report: "Report", registry: "Registry", *, color: bool = False) -> str:
    lines: List[str] = [finding_line(finding, color=color) for finding in report.findings]
    if lines:
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
