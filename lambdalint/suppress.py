"""Dropping findings the user asked not to see: per-file ignores and template Metadata.

The model reads the template's Metadata ignores once (`TemplateModel.suppressions`): LL0005
reports what is wrong with them, and this step applies only the valid entries, so the two
never disagree about what an entry means. This step alone knows which entry dropped which
finding, so it reports the entries that suppressed nothing (LL0010, opt-in), the way ruff's
RUF100 reports unused `noqa` comments.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Callable, Collection, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from .discover import glob_path
from .findings import Finding, Path
from .own_rules import UNUSED_SUPPRESSION
from .rule import matches_any

if TYPE_CHECKING:
    from .model.suppressions import MetadataIgnores


def apply_metadata(findings: Iterable[Finding], ignores: MetadataIgnores) -> Tuple[List[Finding], Set[int]]:
    """The findings no entry covers, and the indexes of the entries that covered one."""
    kept = []
    used: Set[int] = set()
    for finding in findings:
        covering = [index for index, entry in enumerate(ignores.entries) if entry.covers(finding)]
        if covering:
            used.update(covering)
        else:
            kept.append(finding)
    return kept, used


def unused_suppressions(
    ignores: MetadataIgnores,
    used: Set[int],
    ran: Collection[str],
    checked: Collection[str],
    locate: Callable[[Path], Tuple[int, int]],
    file: str,
) -> List[Finding]:
    """LL0010 findings for the entries that covered nothing although every rule they name ran.

    `ran` are the IDs of the rules that ran on the template, `checked` the IDs of every rule
    with a check (what an entry can name and a run can find). Entries that name LL0010 are
    there to silence this very check and are never reported, nor is any entry of a template
    where a rule failed (the caller passes no `ran` then).
    """
    found = []
    for index, entry in enumerate(ignores.entries):
        if index in used or not is_judged((entry.pattern,), ran, checked):
            continue
        line, column = locate(entry.path)
        where = f"resource {entry.scope}" if entry.scope is not None else "the template"
        found.append(Finding(
            file=file, line=line, column=column, rule=UNUSED_SUPPRESSION.id, severity=UNUSED_SUPPRESSION.severity,
            message=f"Metadata lambdalint ignore {entry.pattern} of {where} suppressed nothing in this run: "
                    f"remove it", resource=entry.scope, path=tuple(entry.path),
        ))
    return found


def is_judged(patterns: Sequence[str], ran: Collection[str], checked: Collection[str]) -> bool:
    """Whether an ignore of `patterns` that suppressed nothing is worth an LL0010: it names some
    rule with a check (`checked`), every rule it names ran (`ran`), and it does not name LL0010
    itself (such an ignore is there to silence this very check)."""
    if matches_any(UNUSED_SUPPRESSION.id, patterns):
        return False
    named = [rule_id for rule_id in checked if matches_any(rule_id, patterns)]
    return bool(named) and all(rule_id in ran for rule_id in named)


def apply_per_file(findings: Iterable[Finding], per_file: Mapping[str, Sequence[str]],
                   root: Optional[str] = None) -> List[Finding]:
    """The findings no `per-file-ignores` entry drops (the config's `ignore` is the registry's to
    read: lambdalint.registry.is_ignored). Its globs match file names relative to `root` (the
    config's folder; None: the current one)."""
    if not per_file:
        return list(findings)
    kept = []
    for finding in findings:
        path = glob_path(finding.file, root) if per_file else finding.file
        if any(fnmatch.fnmatch(path, glob) and matches_any(finding.rule, ids) for glob, ids in per_file.items()):
            continue
        kept.append(finding)
    return kept
