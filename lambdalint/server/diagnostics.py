"""Findings as LSP diagnostics: rule ID as `code`, its documentation as `codeDescription`,
severity mapped, and a range from the finding's line and column to the end of what is
written on that line (a finding knows where it starts, not where it ends)."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from lsprotocol import types

from ..findings import Finding, Severity

SOURCE = "lambdalint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def finding_range(finding: Finding, lines: Sequence[str]) -> types.Range:
    """From the finding's column to the end of its line's text (LSP counts from 0, lambdalint from 1)."""
    line = max(finding.line - 1, 0)
    text = lines[line] if line < len(lines) else ""
    start = min(max(finding.column - 1, 0), len(text))
    end = max(len(text.rstrip()), start)
    return types.Range(types.Position(line, utf16(text, start)), types.Position(line, utf16(text, end)))


def utf16(text: str, index: int) -> int:
    """The LSP column of a character index: positions count UTF-16 code units by default."""
    return len(text[:index].encode("utf-16-le")) // 2


def diagnostics(findings: Sequence[Finding], urls: Dict[str, str], text: str) -> List[types.Diagnostic]:
    lines = text.splitlines()
    return [diagnostic(finding, urls.get(finding.rule), lines) for finding in findings]


def diagnostic(finding: Finding, url: Optional[str], lines: Sequence[str]) -> types.Diagnostic:
    return types.Diagnostic(
        range=finding_range(finding, lines),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.rule,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
    )


def config_error(message: str) -> types.Diagnostic:
    """A configuration that cannot be used: said once, at the top of the file it stopped."""
    return types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 0)), message=message,
                            severity=types.DiagnosticSeverity.Error, source=SOURCE)
