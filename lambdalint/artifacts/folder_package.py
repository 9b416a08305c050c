"""Folder packages: what `sam build` or `cdk synth` would zip, walked without following links.

Symlinks are members with a target and are never descended into; one whose target
resolves outside the package root is reported as unsafe. Nothing is skipped: `.git`,
caches and tests are members too, because dead-weight rules want to see them. A
directory we may not list is recorded in `skipped`, never silently dropped.
"""

from __future__ import annotations

import os
import stat
from typing import List

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
    pending = [("", path)]
    while pending:
        prefix, directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as exc:
            skipped.append(Skipped(prefix.rstrip("/"), f"cannot list folder: {exc.strerror or exc}"))
            continue
        subfolders = []
        for entry in entries:
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
                subfolders.append((name + "/", entry.path))
            else:
                table.add(name, info.st_size, -1, mode, FILE if stat.S_ISREG(mode) else OTHER)
        pending.extend(reversed(subfolders))
    return FolderPackage(path, table, compressed_size=None, problems=problems, skipped=skipped)


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
    if not _inside(resolved, root_real):
        problems.append(UnsafeEntry(name, f"symlink to {target!r} leaves the package"))


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives on Windows
        return False
