"""Dropping findings the user asked not to see: config ignores, per-file ignores, template Metadata.

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
from .findings import Finding, Path, Severity
from .registry import engine_rule

if TYPE_CHECKING:
    from .model.suppressions import MetadataIgnores

UNUSED_SUPPRESSION = engine_rule(
    id="LL0010",
    origin=__name__,
    name="unused-suppression",
    severity=Severity.WARNING,
    summary="A Metadata lambdalint ignore entry suppressed nothing",
    source="https://github.com/lambdalint/lambdalint/blob/main/docs/usage.md#suppressing-findings-in-a-template",
    opt_in=True,
    docs="""
    ## What it does
    Reports an entry of `Metadata: {lambdalint: {ignore: [...]}}` (on a resource or for the
    whole template) that suppressed no finding in this run, like ruff's RUF100 for unused
    `noqa` comments. An entry is only reported when every rule it names ran on the template:
    an entry for a rule that was not selected, or a template where a rule failed (LL0007),
    is not judged. An entry that names LL0010 itself is never reported. Opt-in: enable it
    with `--select ALL`, or with the default rules as `--select LL,LL0010` (`select: [LL, LL0010]`);
    `--select LL0010` alone runs no rule whose entries it could judge.

    ## Why is this bad?
    A stale suppression outlives the problem it hid: after the fix, or a rename, it silently
    hides the next real finding of that rule on that resource.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Metadata:
        lambdalint:
          ignore: [LL2006]      # the runtime was upgraded long ago
      Properties:
        Runtime: python3.13
    ```
    Use instead: delete the entry (or the whole `lambdalint` section) once nothing needs it.
    """,
)

SUPPRESSION_RULES = (UNUSED_SUPPRESSION,)


def matches(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(pattern == "ALL" or rule_id.startswith(pattern) for pattern in patterns)


def apply_metadata(findings: Iterable[Finding], ignores: "MetadataIgnores") -> Tuple[List[Finding], Set[int]]:
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
    ignores: "MetadataIgnores",
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
        if index in used or matches(UNUSED_SUPPRESSION.id, (entry.pattern,)):
            continue
        named = [rule_id for rule_id in checked if matches(rule_id, (entry.pattern,))]
        if not named or any(rule_id not in ran for rule_id in named):
            continue
        line, column = locate(entry.path)
        where = f"resource {entry.scope}" if entry.scope is not None else "the template"
        found.append(Finding(
            file=file, line=line, column=column, rule=UNUSED_SUPPRESSION.id, severity=UNUSED_SUPPRESSION.severity,
            message=f"Metadata lambdalint ignore {entry.pattern} of {where} suppressed nothing in this run: "
                    f"remove it", resource=entry.scope, path=tuple(entry.path),
        ))
    return found


def apply_config(findings: Iterable[Finding], ignore: Sequence[str], per_file: Mapping[str, Sequence[str]],
                 root: Optional[str] = None) -> List[Finding]:
    """`per_file` globs match file names relative to `root` (the config's folder; None: the current one)."""
    kept = []
    for finding in findings:
        if matches(finding.rule, ignore):
            continue
        path = glob_path(finding.file, root) if per_file else finding.file
        if any(fnmatch.fnmatch(path, glob) and matches(finding.rule, ids) for glob, ids in per_file.items()):
            continue
        kept.append(finding)
    return kept
