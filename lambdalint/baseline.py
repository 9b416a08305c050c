"""Baselines: accept the findings a repository already has, report only new ones.

A finding is fingerprinted by rule + file + resource + property path (+ the
artifact member for package findings), never by line or message, so
reformatting a template or moving a resource within it keeps its findings
accepted, while a change that makes a new finding shows up. The same
fingerprint can occur more than once (two bad members in one zip); the
baseline keeps a count and only that many are accepted.

File names (and package paths) are stored relative to the baseline file's
folder, so the same baseline works whatever folder lambdalint is run from.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .findings import Finding, Report

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read: a usage error (exit 2), never a silent empty baseline."""


@dataclass(frozen=True, order=True)
class Fingerprint:
    rule: str
    file: str
    resource: str  # "" when the finding is about no resource
    path: Tuple[str, ...]
    member: str  # the artifact member, "" when none

    def as_dict(self) -> Dict[str, Any]:
        entry: Dict[str, Any] = {"rule": self.rule, "file": self.file, "resource": self.resource or None,
                                 "path": list(self.path)}
        if self.member:
            entry["member"] = self.member
        return entry


def fingerprint(finding: Finding, root: str) -> Fingerprint:
    """`root` is the baseline file's folder; the file name is stored relative to it."""
    member = ""
    if finding.artifact is not None:
        # the package path is cwd-relative (as the report shows it): store it like the file name
        member = f"{_relative(finding.artifact.package, root)}!{finding.artifact.member or ''}"
    return Fingerprint(
        rule=finding.rule,
        file=_relative(finding.file, root),
        # the user's name (a CDK construct path) when known: regenerated logical IDs stay accepted
        resource=finding.shown_name or "",
        # list indexes and keys alike as text: JSON keeps them apart only by type
        path=tuple(str(key) for key in finding.stable_path),
        member=member,
    )


def _relative(file: str, root: str) -> str:
    try:
        relative = os.path.relpath(os.path.abspath(file), os.path.abspath(root))
    except ValueError:  # another drive (Windows): no relative path exists
        relative = os.path.abspath(file)
    return relative.replace(os.sep, "/")


def _root_of(baseline_file: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_file))


def dumps(findings: Iterable[Finding], baseline_file: str) -> str:
    """The baseline JSON text: sorted, counted, one entry per distinct fingerprint."""
    counts = Counter(fingerprint(finding, _root_of(baseline_file)) for finding in findings)
    entries = []
    for key in sorted(counts):
        entry = key.as_dict()
        entry["count"] = counts[key]
        entries.append(entry)
    # one entry per line: a baseline diff in review shows exactly which findings came or went
    lines = [json.dumps(entry, ensure_ascii=False) for entry in entries]
    body = ",\n".join(f"    {line}" for line in lines)
    listing = f"[\n{body}\n  ]" if lines else "[]"
    return f'{{\n  "version": {BASELINE_VERSION},\n  "tool": "lambdalint",\n  "findings": {listing}\n}}\n'


def write(findings: Iterable[Finding], baseline_file: str) -> int:
    """Write the baseline; returns how many findings it accepts."""
    findings = list(findings)
    text = dumps(findings, baseline_file)
    try:
        with open(baseline_file, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {baseline_file}: {exc.strerror or exc}") from None
    return len(findings)


def load(baseline_file: str) -> Counter[Fingerprint]:
    try:
        with open(baseline_file, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        raise BaselineError(f"baseline {baseline_file} not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"cannot read baseline {baseline_file}: {exc}".splitlines()[0]) from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"baseline {baseline_file} is not a version {BASELINE_VERSION} lambdalint baseline")
    counts: Counter[Fingerprint] = Counter()
    for index, entry in enumerate(document.get("findings") or []):
        try:
            key = Fingerprint(
                rule=str(entry["rule"]),
                file=str(entry["file"]),
                resource=str(entry.get("resource") or ""),
                path=tuple(str(key) for key in entry.get("path") or ()),
                member=str(entry.get("member") or ""),
            )
            count = int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError(f"baseline {baseline_file}: entry {index} is malformed") from None
        counts[key] += count
    return counts


def new_findings(findings: Iterable[Finding], baseline_file: str,
                 accepted: Optional[Counter[Fingerprint]] = None) -> List[Finding]:
    """The findings the baseline does not accept, in their original order.

    Each baseline entry accepts up to `count` findings with its fingerprint;
    the ones beyond that are new (the later ones in file order).
    """
    remaining = Counter(load(baseline_file) if accepted is None else accepted)
    root = _root_of(baseline_file)
    kept = []
    for finding in findings:
        key = fingerprint(finding, root)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            kept.append(finding)
    return kept


def filter_report(report: Report, baseline_file: str) -> Report:
    return report.replace(findings=tuple(new_findings(report.findings, baseline_file)))
