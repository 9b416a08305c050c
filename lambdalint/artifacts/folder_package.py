"""Folder packages: what `sam build` or `cdk synth` would zip, walked without following links.

Symlinks are members with a target and are never descended into; one whose target
resolves outside the package root is reported as unsafe. Caches and tests are members
too, because dead-weight rules want to see them; `.git` is not: it is version-control
state, not code (`sam build` leaves it out as well), and walking it is what would make
`CodeUri: .` at the root of a large repository slow. A directory we may not list is
recorded in `skipped`, never silently dropped.

The walk is bounded like the zip reader: more than MAX_FOLDER_ENTRIES entries, or folders
nested deeper than MAX_FOLDER_DEPTH, is an ArtifactError (one LL0004) rather than a run
that takes minutes.
"""

from __future__ import annotations

import itertools
import os
import stat
from typing import List

from ..boundary import is_inside
from .package import (
    DIRECTORY,
    FILE,
    OTHER,
    SYMLINK,
    ArtifactError,
    MemberTable,
    Package,
    Skipped,
    UnsafeEntry,
)

# As many entries as a zip may hold (zip_package.MAX_ZIP_MEMBERS): far beyond any function's
# package (Lambda unpacks at most 250 MB), reached only by a CodeUri over a whole repository.
MAX_FOLDER_ENTRIES = 250_000
# Nesting deeper than this is a generated tree or a loop of bind mounts, not a package.
MAX_FOLDER_DEPTH = 100
# Never members of a folder package (version-control state).
NOT_PACKAGED = frozenset({".git"})


class FolderPackage(Package):
    kind = "folder"

    def _read_raw(self, name: str, row: int, limit: int) -> bytes:
        full = os.path.join(self.path, *name.split("/"))
        # O_NOFOLLOW: the member was a regular file when indexed; if it has been swapped for
        # a link since, refuse rather than read whatever the link now points at.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(full, flags)
        except OSError as exc:
            raise ArtifactError(f"{self.path}: cannot read {name}: {exc.strerror or exc}") from None
        with os.fdopen(descriptor, "rb") as handle:
            try:
                return handle.read(limit)
            except OSError as exc:
                raise ArtifactError(f"{self.path}: cannot read {name}: {exc.strerror or exc}") from None


def open_folder(path: str) -> FolderPackage:
    try:
        root_real = os.path.realpath(path)
        if not os.path.isdir(root_real):
            raise ArtifactError(f"{path}: not a folder")
        os.listdir(root_real)
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read folder: {exc.strerror or exc}") from None

    table = MemberTable()
    problems: List[UnsafeEntry] = []
    skipped: List[Skipped] = []
    pending = [("", path, 0)]
    while pending:
        prefix, directory, depth = pending.pop()
        if depth > MAX_FOLDER_DEPTH:
            raise ArtifactError(f"{path}: folders nest deeper than {MAX_FOLDER_DEPTH} levels "
                                f"(at {prefix.rstrip('/')}); not read further")
        budget = MAX_FOLDER_ENTRIES - len(table)
        try:
            with os.scandir(directory) as listing:  # one more than the budget says it is over
                entries = sorted(itertools.islice(listing, budget + 1), key=lambda entry: entry.name)
        except OSError as exc:
            skipped.append(Skipped(prefix.rstrip("/"), f"cannot list folder: {exc.strerror or exc}"))
            continue
        if len(entries) > budget:
            raise ArtifactError(f"{path}: the folder holds more than {MAX_FOLDER_ENTRIES:,} entries, more than "
                                f"any function package; point the code path at the function's own folder")
        subfolders = []
        for entry in entries:
            if entry.name in NOT_PACKAGED:
                continue
            name = prefix + entry.name
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                skipped.append(Skipped(name, f"cannot stat: {exc.strerror or exc}"))
                continue
            mode = info.st_mode
            if stat.S_ISLNK(mode):
                _add_symlink(table, problems, skipped, name, entry.path, root_real, info)
            elif stat.S_ISDIR(mode):
                table.add(name, 0, -1, mode, DIRECTORY)
                subfolders.append((name + "/", entry.path, depth + 1))
            else:
                table.add(name, info.st_size, -1, mode, FILE if stat.S_ISREG(mode) else OTHER)
        pending.extend(reversed(subfolders))
    return FolderPackage(path, table, compressed_size=None, problems=problems, skipped=skipped)


def open_one_file(path: str) -> FolderPackage:
    """One regular file as the only member of its package, under its base name: what a Terraform
    archive_file zips of its `source_file`. The folder around it is not walked."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ArtifactError(f"{path}: not a regular file")
    table = MemberTable()
    table.add(os.path.basename(path), info.st_size, -1, info.st_mode, FILE)
    return FolderPackage(os.path.dirname(path), table, compressed_size=None, problems=[], skipped=[])


def _add_symlink(table: MemberTable, problems: List[UnsafeEntry], skipped: List[Skipped],
                 name: str, full_path: str, root_real: str, info: os.stat_result) -> None:
    try:
        target = os.readlink(full_path)
    except OSError as exc:
        skipped.append(Skipped(name, f"cannot read symlink: {exc.strerror or exc}"))
        target = None
    table.add(name, info.st_size, -1, info.st_mode, SYMLINK, target)
    if target is None:
        return
    # realpath follows the whole chain (links to links, relative parts); a dangling link
    # that stays inside is harmless, one that resolves outside exposes the host.
    resolved = os.path.realpath(full_path)
    if not is_inside(resolved, root_real):
        problems.append(UnsafeEntry(name, f"symlink to {target!r} leaves the package"))
