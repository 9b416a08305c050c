"""The template's own suppressions: `Metadata: {lambdalint: {ignore: [...], reason: ...}}`.

On a resource it covers that resource's findings (for a SAM resource, also what it
generates); at the template's top level, the whole file. Read once per model; LL0005 reports
the problems, the suppression step applies the valid entries.
"""

from __future__ import annotations

from typing import Any, Collection, List, Mapping, Optional, Sequence, Tuple

from ..config import is_known_pattern
from ..findings import Finding, Path
from ..lazy import lazy_pattern
from ..records import Record
from ..rule import matches_any

METADATA_KEYS = ("ignore", "reason")
_PATTERN = lazy_pattern(r"^(ALL|[A-Z]{2,}[0-9]{0,4})$")


class MetadataIgnore(Record):
    """One valid entry of a Metadata `ignore` list: the pattern, what it covers, where it was written.

    `scope` is the logical ID of the resource whose Metadata holds it, or None for the
    template's top-level Metadata (the whole file).
    """

    __slots__ = ("scope", "pattern", "path")

    def __init__(self, scope: Optional[str], pattern: str, path: Path) -> None:
        self.scope = scope
        self.pattern = pattern
        self.path = path

    def covers(self, finding: Finding) -> bool:
        in_scope = self.scope is None or finding.resource == self.scope
        return in_scope and matches_any(finding.rule, (self.pattern,))


class MetadataIgnores(Record):
    """What the Metadata of one template asks to ignore, and what is wrong with it (LL0005)."""

    __slots__ = ("entries", "problems")

    def __init__(self, entries: Sequence[MetadataIgnore], problems: Sequence[Tuple[Path, str]]) -> None:
        self.entries = tuple(entries)
        self.problems = tuple(problems)


def read_metadata(template: Mapping[str, Any], known_rules: Collection[str] = ()) -> MetadataIgnores:
    """The valid ignore entries and the problems of every `Metadata: {lambdalint: ...}` section.

    Validated like the configuration file: the section must be a mapping of `ignore` (a list)
    and `reason`; each entry a rule ID or prefix that names a known rule (when `known_rules`
    is given). What is wrong is not applied: an `ignore` that is not a list suppresses
    nothing, an unknown ID in a list is skipped while the other entries apply.
    """
    places: List[Tuple[Optional[str], Path, Any]] = []
    metadata = template.get("Metadata")
    if isinstance(metadata, dict) and "lambdalint" in metadata:
        places.append((None, ("Metadata", "lambdalint"), metadata["lambdalint"]))
    resources = template.get("Resources")
    if isinstance(resources, dict):
        for logical_id, resource in resources.items():
            metadata = resource.get("Metadata") if isinstance(resource, dict) else None
            if isinstance(metadata, dict) and "lambdalint" in metadata:
                places.append((str(logical_id), ("Resources", logical_id, "Metadata", "lambdalint"),
                               metadata["lambdalint"]))
    entries: List[MetadataIgnore] = []
    problems: List[Tuple[Path, str]] = []
    for scope, path, section in places:
        if section is None:
            continue
        if not isinstance(section, dict):
            problems.append((path, "Metadata lambdalint must be a mapping with 'ignore' (a list of rule IDs)"))
            continue
        for key in section:
            if key not in METADATA_KEYS:
                problems.append((path + (key,), f"unknown key {key!r} in Metadata lambdalint "
                                                f"(known: {', '.join(METADATA_KEYS)})"))
        ignore = section.get("ignore")
        if ignore is None:
            continue
        if not isinstance(ignore, list):
            problems.append((path + ("ignore",), "Metadata lambdalint ignore must be a list of rule IDs, "
                                                 "e.g. [LL5002]; nothing is ignored"))
            continue
        for index, item in enumerate(ignore):
            where = path + ("ignore", index)
            if isinstance(item, str):
                item = item.upper()  # rule IDs are case-insensitive here as in the config and CLI
            if not isinstance(item, str) or not is_rule_pattern(item):
                problems.append((where, f"{item!r} is not a rule ID or prefix (e.g. LL5002 or LL5)"))
            elif known_rules and not is_known_pattern(item, known_rules):
                problems.append((where, f"unknown rule {item!r} in Metadata lambdalint ignore"
                                        f"{_suggestion(item, known_rules)}"))
            else:
                entries.append(MetadataIgnore(scope, item, where))
    return MetadataIgnores(entries, problems)


def is_rule_pattern(entry: str) -> bool:
    """A rule ID or prefix as an ignore entry may name it (LL5002, LL5, ALL), in upper case."""
    return bool(_PATTERN.match(entry))


def _suggestion(pattern: str, known_rules: Collection[str]) -> str:
    import difflib

    close = difflib.get_close_matches(pattern, sorted(known_rules), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
