"""Which files are templates.

A file named on the command line is always checked. In a folder, a file is a
template when its text says so (a `Resources` section with `AWS::` types, or an
`AWSTemplateFormatVersion`); everything else is skipped silently.
"""

from __future__ import annotations

import fnmatch
import os
from typing import Iterator, List, Sequence, Tuple

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# Folders that hold dependencies or tool state, never the user's templates.
SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
     ".pytest_cache", ".aws-sam", ".serverless", ".terraform", "site-packages"}
)
SNIFF_BYTES = 1 << 20


def looks_like_template(path: str) -> bool:
    """A cheap text check before parsing; false negatives only for exotic files."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    if b"AWSTemplateFormatVersion" in head:
        return True
    return b"Resources" in head and (b"AWS::" in head or b"Custom::" in head)


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    normalized = path.replace(os.sep, "/")
    name = os.path.basename(normalized)
    for pattern in patterns:
        if fnmatch.fnmatch(normalized, pattern) or fnmatch.fnmatch(name, pattern):
            return True
        if fnmatch.fnmatch(normalized, pattern.rstrip("/") + "/*") or f"/{pattern.strip('/')}/" in f"/{normalized}/":
            return True
    return False


def discover(paths: Sequence[str], exclude: Sequence[str] = ()) -> Tuple[List[str], List[str]]:
    """(template files in a stable order, paths that do not exist)."""
    found: List[str] = []
    missing: List[str] = []
    seen = set()
    for given in paths:
        if os.path.isfile(given):
            candidates: Iterator[str] = iter([given])
            explicit = True
        elif os.path.isdir(given):
            candidates = _walk(given, exclude)
            explicit = False
        else:
            missing.append(given)
            continue
        for path in candidates:
            key = os.path.realpath(path)
            if key in seen or (not explicit and is_excluded(path, exclude)):
                continue
            if explicit or looks_like_template(path):
                seen.add(key)
                found.append(path)
    return found, missing


def _walk(root: str, exclude: Sequence[str]) -> Iterator[str]:
    """Files below root, sorted, without following symlinked folders out of the tree."""
    for folder, folders, files in os.walk(root, followlinks=False):
        folders[:] = sorted(
            name for name in folders if name not in SKIPPED_FOLDERS and not is_excluded(os.path.join(folder, name), exclude)
        )
        for name in sorted(files):
            if name.lower().endswith(TEMPLATE_SUFFIXES):
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    yield path


def drop_non_templates(paths: Sequence[str], exclude: Sequence[str] = ()) -> List[str]:
    """Named files that are not templates (or are excluded) removed; folders and missing paths kept.

    For callers that pass every changed file (pre-commit): there a file is named
    because it changed, not because the user says it is a template, so it is
    judged by content like a file found in a folder.
    """
    kept = []
    for path in paths:
        if os.path.isfile(path) and (is_excluded(path, exclude) or not looks_like_template(path)):
            continue
        kept.append(path)
    return kept
