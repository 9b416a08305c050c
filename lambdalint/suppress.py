"""Dropping findings the user asked not to see: config ignores, per-file ignores, template Metadata."""

from __future__ import annotations

import fnmatch
from typing import Any, Iterable, List, Mapping, Sequence, Set

from .findings import Finding


def matches(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(pattern == "ALL" or rule_id.startswith(pattern) for pattern in patterns)


def metadata_ignores(metadata: Any) -> List[str]:
    """IDs listed under `Metadata: {lambdalint: {ignore: [...]}}` (wrong shapes are LL0005's job)."""
    if not isinstance(metadata, dict):
        return []
    section = metadata.get("lambdalint")
    if not isinstance(section, dict):
        return []
    ignore = section.get("ignore")
    if isinstance(ignore, str):
        ignore = [ignore]
    return [item for item in ignore if isinstance(item, str)] if isinstance(ignore, list) else []


def template_ignores(template: Mapping[str, Any]) -> Mapping[str, Set[str]]:
    """{logical ID or "" for the whole template: ignored patterns}."""
    ignores = {"": set(metadata_ignores(template.get("Metadata")))}
    resources = template.get("Resources")
    if isinstance(resources, dict):
        for logical_id, resource in resources.items():
            if isinstance(resource, dict):
                found = metadata_ignores(resource.get("Metadata"))
                if found:
                    ignores[str(logical_id)] = set(found)
    return ignores


def apply_metadata(findings: Iterable[Finding], template: Mapping[str, Any]) -> List[Finding]:
    ignores = template_ignores(template)
    whole = ignores[""]
    kept = []
    for finding in findings:
        if matches(finding.rule, whole):
            continue
        if finding.resource is not None and matches(finding.rule, ignores.get(finding.resource, ())):
            continue
        kept.append(finding)
    return kept


def apply_config(findings: Iterable[Finding], ignore: Sequence[str], per_file: Mapping[str, Sequence[str]]) -> List[Finding]:
    kept = []
    for finding in findings:
        if matches(finding.rule, ignore):
            continue
        path = finding.file.replace("\\", "/")
        if any(fnmatch.fnmatch(path, glob) and matches(finding.rule, ids) for glob, ids in per_file.items()):
            continue
        kept.append(finding)
    return kept
