"""Human-readable output: one line per finding, then a summary line.

Everything taken from scanned input (messages quote template values, file
names, logical IDs, zip member names) passes through `visible()`, so a
hostile template cannot move the cursor, recolour the terminal or fake extra
finding lines.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

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


def _escape(match: re.Match[str]) -> str:
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


@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(_UNSAFE)


def context_suffix(finding: Finding) -> str:
    """` [Resource] (package.zip: member)`: what the finding is about, beyond file and line."""
    suffix = ""
    if finding.shown_name is not None:
        suffix += f" [{finding.shown_name}]"
    if finding.artifact is not None:
        suffix += f" ({finding.artifact.where()})"
    return suffix


def finding_line(finding: Finding, *, color: bool = False) -> str:
    severity = finding.severity.label
    if color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    location = f"{visible(finding.file)}:{finding.line}:{finding.column}"
    return f"{location}: {finding.rule} {severity}: {visible(finding.message + context_suffix(finding))}"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


SHOW_INFOS_FLAG = "--show-infos"


def summary_line(report: Report, *, infos_hidden: int = 0) -> str:
    """`3 errors, 1 warning, 0 infos in 2 files`, saying what was not shown or not found.

    Hidden infos leave the counts and are named in the note, with the flag that lists them:
    `3 errors, 1 warning in 2 files (4 infos hidden: --show-infos to list them)`.
    """
    counts = report.summary()
    shown = [_count(counts["errors"], "error", "errors"), _count(counts["warnings"], "warning", "warnings")]
    if not infos_hidden:
        shown.append(_count(counts["infos"], "info", "infos"))
    notes = []
    if report.missing:
        notes.append(f"{_count(report.missing, 'path', 'paths')} not found")
    if infos_hidden:
        notes.append(f"{_count(infos_hidden, 'info', 'infos')} hidden: {SHOW_INFOS_FLAG} to list them")
    line = f"{', '.join(shown)} in {_count(counts['files'], 'file', 'files')}"
    return f"{line} ({'; '.join(notes)})" if notes else line


# How each reason of `summary.unchecked` reads in the text line, in the order shown.
_UNCHECKED_WORDS = {"outside-project": "outside the project", "s3-object": "in S3",
                    "image-not-given": "image not given (--image)", "not-built": "not built yet",
                    "zstd-layers-not-read": "image with zstd layers not read (pip install zstandard)",
                    "image-asset-not-built": "image asset built at deploy time",
                    "layer-not-in-template": "with a layer not in the template (ARN)",
                    "sam-build-stale": "read from source: .aws-sam/build older than the template",
                    "code-not-known-before-apply": "with a package made before terraform apply (not built yet)",
                    "module-not-installed": "in a Terraform module not installed (terraform init)",
                    "module-not-read": "in a Terraform module not found in the project",
                    "module-inputs-not-mapped": "in a registry module call with inputs lambdalint does not map",
                    "module-source-unknown": "in a Terraform module whose source is not known",
                    "module-too-deep": "in Terraform modules nested too deep",
                    "terraform-plan-stale": "plan.json older than the .tf files, not laid over",
                    "not-packaged": "packaged by plugins or a build (run `serverless package`)"}


def unchecked_line(report: Report) -> str:
    """`code not inspected for 1 of 3 functions: 1 outside the project`, or "" when all were.

    One quiet line for the run, never a finding per function (DESIGN.md: nothing silently
    unchecked). Reasons come from lambdalint.findings.Unchecked.
    """
    if not report.unchecked:
        return ""
    counts: dict = {}
    for entry in report.unchecked:
        counts[entry.reason] = counts.get(entry.reason, 0) + 1
    ordered = sorted(counts, key=lambda reason: (list(_UNCHECKED_WORDS).index(reason)
                                                 if reason in _UNCHECKED_WORDS else len(_UNCHECKED_WORDS), reason))
    reasons = ", ".join(f"{counts[reason]} {_UNCHECKED_WORDS.get(reason, reason)}" for reason in ordered)
    total = max(report.functions, len(report.unchecked))
    return f"code not inspected for {len(report.unchecked)} of {_count(total, 'function', 'functions')}: {reasons}"


def shown_findings(report: Report, show_infos: bool) -> Tuple[Finding, ...]:
    """Errors and warnings; infos too when asked (they would bury the rest: cfn-lint hides them too)."""
    if show_infos:
        return report.findings
    return tuple(finding for finding in report.findings if finding.severity > Severity.INFO)


def statistics_lines(findings: Sequence[Finding], report: Report, registry: Optional[Registry]) -> List[str]:
    """`   3  LL6001  sqs-visibility-below-timeout`: one line per rule, most frequent first."""
    counts = report.rule_counts(tuple(findings))
    if not counts:
        return []
    number_width = max(4, len(str(counts[0][1])))
    id_width = max(len(rule_id) for rule_id, _ in counts)
    lines = []
    for rule_id, number in counts:
        known = registry.get(rule_id) if registry is not None else None
        name = f"  {known.name}" if known is not None else ""
        lines.append(f"{number:>{number_width}}  {visible(rule_id):<{id_width}}{name}".rstrip())
    return lines


def render(report: Report, registry: Optional[Registry], *, color: bool = False, show_infos: bool = False,
           statistics: bool = False, summary: bool = True) -> str:
    """One line per finding (or per rule, with `statistics`), a blank line, the summary line.

    Without `summary` (`--quiet`) only the finding lines are left, and nothing at all when there
    are none to show.
    """
    shown = shown_findings(report, show_infos)
    if statistics:
        lines = statistics_lines(shown, report, registry)
    else:
        lines = [finding_line(finding, color=color) for finding in shown]
    if summary:
        if lines:
            lines.append("")
        lines.append(summary_line(report, infos_hidden=len(report.findings) - len(shown)))
        unchecked = unchecked_line(report)
        if unchecked:
            lines.append(visible(unchecked))
    return "\n".join(lines) + "\n" if lines else ""
