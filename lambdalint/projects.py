"""Which configuration each checked path uses: its project's, found from the path itself.

A monorepo holds several projects, each with its own `.lambdalint.yaml` (or pyproject.toml,
setup.cfg). The configuration of a file is found from the file's folder upwards, that of a
folder argument from the folder itself, so the findings do not depend on the folder
lambdalint runs in; `--config FILE` applies one file to every path.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .collector import paused_collection
from .config import Config, ConfigFile, config_for
from .declared import merge
from .engine import sort_findings
from .findings import Report
from .registry import Registry, load_registry


def group_by_config(targets: Sequence[str], explicit: Optional[str] = None) -> List[Tuple[Optional[str], List[str]]]:
    """[(config file or None, the targets it applies to)], in the order the targets came."""
    if explicit:
        return [(explicit, list(targets))]
    groups: Dict[Optional[str], List[str]] = {}
    known: Dict[str, Optional[str]] = {}
    for target in targets:
        groups.setdefault(config_for(target, known), []).append(target)
    return list(groups.items())


def configs_and_registry(files: Sequence[ConfigFile], rules_dirs: Sequence[str] = ()
                         ) -> Tuple[List[Config], Registry]:
    """The one way a run (the CLI's, the cfn-lint plug-in's) gets its configs and rules.

    Each config file is read once (`read_config`); one registry holds the rules of every
    config's `rules-dir`, then of `rules_dirs` (the command line's); then each config's rule
    IDs are checked against that registry, as only then is every rule known. Raises
    ConfigError or RuleLoadError.
    """
    folders = [folder for file in files for folder in file.config.rules_dirs] + list(rules_dirs)
    with paused_collection():
        registry = load_registry(tuple(dict.fromkeys(folders)))
    known = [item.id for item in registry]
    return [file.checked(known) for file in files], registry


def combined(reports: Iterable[Report]) -> Report:
    """One report of several runs: every finding, in the usual order, and every file counted."""
    reports = list(reports)
    if len(reports) == 1:
        return reports[0]
    findings = [finding for report in reports for finding in report.findings]
    declared = None if any(report.declared is None for report in reports) else merge(r.declared for r in reports)
    return Report(tuple(sort_findings(findings)), sum(report.files for report in reports),
                  checked_files=tuple(name for report in reports for name in report.checked_files),
                  missing=sum(report.missing for report in reports),
                  unchecked=tuple(sorted((item for report in reports for item in report.unchecked),
                                         key=lambda entry: (entry.file, entry.resource, entry.reason))),
                  functions=sum(report.functions for report in reports),
                  declared=declared)
