"""Deployment packages as rules see them: zips, folders and container images, read but never extracted.

    package = open_package("build/app.zip", root=template_folder)   # or a folder
    for member in package.members: ...
    package.has("app.py"); package.read("app.py", limit=65536); package.problems

`PackageCache` makes sure a package shared by several functions is indexed once per run.
The readers themselves (zipfile, tarfile, the image walker) load only when first used.
"""

from __future__ import annotations

import importlib
import os
import threading
from typing import Dict, Optional, Tuple, Union

from .package import (
    DEFAULT_READ_LIMIT,
    ArtifactError,
    Member,
    MemberNotFound,
    Members,
    Package,
    Skipped,
    UnsafeEntry,
)

__all__ = [
    "ArtifactError", "DEFAULT_READ_LIMIT", "Member", "MemberNotFound", "Members", "Package",
    "PackageCache", "Skipped", "UnsafeEntry", "open_image", "open_package", "resolve_path",
    # loaded on first use (see __getattr__): they pull in zipfile, tarfile, lzma
    "BinaryInfo", "ExtensionTag", "FolderPackage", "ImageConfig", "ImagePackage", "Layer",
    "ZipPackage", "python_extension_tag", "sniff",
]

_LAZY = {
    "ZipPackage": "zip_package", "FolderPackage": "folder_package",
    "ImagePackage": "image", "ImageConfig": "image", "Layer": "image",
    "BinaryInfo": "binaries", "ExtensionTag": "binaries", "sniff": "binaries",
    "python_extension_tag": "binaries",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def resolve_path(path: str, root: Optional[str] = None) -> str:
    """A path as written in a template, made absolute against the template's folder."""
    path = os.path.expanduser(path)
    if root is not None and not os.path.isabs(path):
        path = os.path.join(root, path)
    return os.path.normpath(path)


def open_package(path: str, *, root: Optional[str] = None) -> Package:
    """Index a `.zip` (or any zip, e.g. a `.jar`) or a folder. Raises ArtifactError if unreadable."""
    full = resolve_path(path, root)
    try:
        is_folder = os.path.isdir(full)
        os.stat(full)
    except OSError as exc:
        raise ArtifactError(f"{full}: {exc.strerror or 'cannot read'}") from None
    except ValueError:  # an embedded NUL byte
        raise ArtifactError(f"{path!r}: not a valid path") from None
    if is_folder:
        from .folder_package import open_folder

        return open_folder(full)
    if not os.path.isfile(full):
        raise ArtifactError(f"{full}: neither a zip file nor a folder")
    from .zip_package import open_zip

    return open_zip(full)


def open_image(path: str, *, root: Optional[str] = None, scan_budget: Optional[int] = None,
               tag: Optional[str] = None):
    """Index a `docker save` tarball or an OCI image layout (folder or tar) as an ImagePackage.

    `tag` chooses one of several images in it (see lambdalint.artifacts.image.open_image).
    """
    from . import image

    full = resolve_path(path, root)
    if scan_budget is None:
        return image.open_image(full, tag=tag)
    return image.open_image(full, scan_budget=scan_budget, tag=tag)


class PackageCache:
    """Each package indexed once per run, however many functions and layers share it.

    Failures are cached too, so every function pointing at a missing path gets the same
    ArtifactError without touching the disk again. Thread-safe; one per process.
    """

    def __init__(self) -> None:
        self._entries: Dict[Tuple[str, str], Union[Package, ArtifactError]] = {}
        self._lock = threading.Lock()
        self._key_locks: Dict[Tuple[str, str], threading.Lock] = {}
        self._opened_as: Dict[Tuple[str, str], str] = {}  # the path each package was first opened by
        self._stamps: Dict[Tuple[str, str], Optional[Tuple[int, int]]] = {}  # (mtime, size) when indexed

    def package(self, path: str, *, root: Optional[str] = None) -> Package:
        return self._get("package", path, root)

    def image(self, path: str, *, root: Optional[str] = None, tag: Optional[str] = None):
        return self._get("image" if tag is None else f"image:{tag}", path, root)

    def __len__(self) -> int:
        return len(self._entries)

    def forget_changed(self) -> int:
        """Drop the packages whose file changed (or appeared, or went) since they were indexed, so
        that a long-lived host (the editor server) reads a rebuilt zip again and keeps the rest;
        a folder package is judged by the folder's own time, which a file added or removed in it
        changes (an edit inside a file does not). Returns how many were dropped."""
        with self._lock:
            changed = [key for key, stamp in self._stamps.items() if _stamp(self._opened_as[key]) != stamp]
            for key in changed:
                self._entries.pop(key, None)
                self._stamps.pop(key, None)
                self._opened_as.pop(key, None)
        return len(changed)

    def _get(self, kind: str, path: str, root: Optional[str]):
        full = resolve_path(path, root)
        key = (kind, os.path.realpath(full) if os.path.exists(full) else full)
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # two threads asking for one package: the second waits for the first
            found = self._entries.get(key)
            if found is None:
                self._stamps[key] = _stamp(full)
                self._opened_as[key] = full
                try:
                    if kind == "package":
                        found = open_package(full)
                    else:  # "image", or "image:TAG" for one tag of several
                        tag = kind.partition(":")[2] or None
                        found = open_image(full, tag=tag)
                except ArtifactError as exc:
                    found = exc
                self._entries[key] = found
        if isinstance(found, ArtifactError):
            # named by the path this caller gave, not the one the first caller used (a symlink)
            raise ArtifactError(found.message.replace(self._opened_as.get(key, full), full))
        return found


def _stamp(path: str) -> Optional[Tuple[int, int]]:
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return (found.st_mtime_ns, found.st_size)
