"""Linting the shared corpus once per test session, and the reviewed-findings files."""

from __future__ import annotations

import datetime
import functools
import pathlib
from typing import Set

from repo_paths import CORPUS, REPO
from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.findings import Report, Severity

REVIEWED = REPO / "tests" / "corpus_findings"
# The corpus holds templates only, not the code they point at: a local CodeUri is missing there
# (LL0004), or resolves to the flattened corpus folder, which holds no handler or package files.
# What the rules reading package contents say on it says nothing about their precision.
PACKAGE_CONTENT_RULES = tuple(f"LL{n}" for n in list(range(1001, 1014)) + [1015, 1019, 1021]) + ("LL7005",)
NOT_TRACKED = ("LL0004",) + PACKAGE_CONTENT_RULES
CORPUS_TODAY = datetime.date(2026, 11, 23)


def corpus_config() -> Config:
    return Config(today=CORPUS_TODAY, ignore=NOT_TRACKED)


@functools.lru_cache(maxsize=None)
def corpus_report() -> Report:
    templates = CORPUS / "templates"
    return Linter(corpus_config()).lint_paths([str(templates)])


def finding_key(finding) -> str:
    relative = pathlib.Path(finding.file).resolve().relative_to((CORPUS / "templates").resolve())
    return f"{relative.as_posix()}:{finding.line}:{finding.rule}"


def tracked(report: Report) -> Set[str]:
    return {finding_key(f) for f in report.findings if f.severity >= Severity.WARNING}


def reviewed() -> Set[str]:
    keys: Set[str] = set()
    for path in sorted(REVIEWED.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                keys.add(line)
    return keys
