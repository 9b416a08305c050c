"""The trust boundary: which folders a checked template may make lambdalint read.

lambdalint runs on pull requests, often from forks, and publishes what it finds (SARIF in
code scanning, annotations, JUnit). A template names the paths of its packages, so without a
boundary a pull request could have the CI machine's folders (`CodeUri: /home/runner/.ssh`)
listed into public output. A `TrustBoundary` says which paths may be read:

- the project root of the checked file: the git work tree that holds it (the folder with a
  `.git` folder, or a `.git` file for worktrees and submodules, found upwards without running
  git), else the folder given on the command line (for a file argument: its folder);
- plus the folders the configuration names in `artifact-roots` (a shared build folder).

A path is inside when both its normalised form and its real path (every symlink followed)
lie below one of those roots; anything else is not read at all, whether it exists or not.
Monorepos keep working: `CodeUri: ../../shared/src` inside the same work tree is inside.

One object for every front end: a Serverless `package.artifact` or a Terraform `file()` asks
the same `admits` question (docs/robustness.md, "Trust boundary").
"""

from __future__ import annotations

import functools
import os
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from .records import Record

OUTSIDE_PROJECT = "outside-project"


class TrustBoundary(Record):
    """The folders one checked file may have read: its project root first, then configured roots."""

    __slots__ = ("roots",)

    def __init__(self, roots: Sequence[str]) -> None:
        # Each root in both spellings: as written (for paths not yet resolved) and real.
        forms = []
        for root in roots:
            absolute = os.path.normpath(os.path.abspath(root))
            real = real_path(absolute)
            forms.append(absolute)
            if real is not None and real != absolute:
                forms.append(real)
        self.roots: Tuple[str, ...] = tuple(dict.fromkeys(forms))

    @classmethod
    def around(cls, folder: str, given: Optional[str] = None, artifact_roots: Sequence[str] = ()) -> TrustBoundary:
        """The boundary of a template in `folder`, checked as part of command-line path `given`."""
        return cls((project_root(folder, given),) + tuple(artifact_roots))

    @property
    def project(self) -> str:
        return self.roots[0]

    def admits(self, path: str) -> bool:
        """True when `path` (absolute, or relative to the current folder) may be read.

        The written form is judged first, without touching the disk, so an absolute or
        climbing path outside is refused before anything is looked up; then the real path,
        so a symlink inside the project that leads out of it is refused too.
        """
        try:
            written = os.path.normpath(os.path.abspath(path))
        except ValueError:  # an embedded NUL byte
            return False
        if not any(is_inside(written, root) for root in self.roots):
            return False
        real = real_path(written)
        return real is not None and any(is_inside(real, root) for root in self.roots)

    def display(self, path: str) -> str:
        """A path for messages and artifacts: never the runner's absolute path.

        Relative to the current folder when below it, else relative to the root that holds
        it; a path outside every root (an image given on the command line) shows its name.
        """
        absolute = os.path.normpath(os.path.abspath(path))
        cwd = os.getcwd()
        if is_inside(absolute, cwd):
            return os.path.relpath(absolute, cwd)
        real = real_path(absolute) or absolute
        for candidate in (absolute, real):
            for root in self.roots:
                if is_inside(candidate, root):
                    return os.path.relpath(candidate, root)
        return os.path.basename(absolute) or "."


def project_root(folder: str, given: Optional[str] = None) -> str:
    """The git work tree holding `folder`, else the command-line folder `given`, else `folder`."""
    work_tree = git_work_tree(folder)
    if work_tree is not None:
        return work_tree
    if given is not None:
        return os.path.abspath(given if os.path.isdir(given) else os.path.dirname(given) or ".")
    return os.path.abspath(folder)


def git_work_tree(folder: str) -> Optional[str]:
    """What `git rev-parse --show-toplevel` says for `folder`, found without running git.

    The nearest folder upwards with a `.git` entry: a folder in a plain clone, a file
    (`gitdir: ...`) in a worktree or a submodule, which are projects of their own.
    """
    return _work_tree(os.path.normpath(os.path.abspath(folder)))


@functools.lru_cache(maxsize=1024)  # every template of a folder asks the same question
def _work_tree(folder: str) -> Optional[str]:
    current = folder
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# Real paths found during one run (`remembered_real_paths`), else None: each asks the disk.
_REAL_PATHS: Optional[Dict[str, str]] = None


@contextmanager
def remembered_real_paths() -> Iterator[None]:
    """Within the block, a folder's real path is found once and reused.

    os.path.realpath looks up every component of a path; the templates of one tree share
    most of theirs, and a corpus run asked for about 8,000 real paths (a tenth of its time).
    A run is short, and what it reads may change under it anyway between the check and the
    read; a long-lived caller (the editor server) opens a block per lint, so a folder that
    became a symlink since is seen as one. Pool workers made by fork inherit the block.
    """
    global _REAL_PATHS
    outer = _REAL_PATHS
    if outer is None:
        _REAL_PATHS = {}
    try:
        yield
    finally:
        _REAL_PATHS = outer


def real_path(path: str) -> Optional[str]:
    """os.path.realpath of `path` (remembered within a `remembered_real_paths` block), or None
    when it cannot be resolved (an embedded NUL byte)."""
    try:
        if _REAL_PATHS is None or os.pardir in _components(path):  # `..` after a symlink climbs from its target
            return os.path.realpath(path)
        return _remembered_real(os.path.abspath(path), _REAL_PATHS)
    except (OSError, ValueError):
        return None


def _components(path: str) -> List[str]:
    return (path.replace(os.altsep, os.sep) if os.altsep else path).split(os.sep)


def _remembered_real(path: str, known: Dict[str, str]) -> str:
    """os.path.realpath of a normalised absolute path, from its parent's remembered real path:
    one lookup of the last component (is it a symlink?) instead of one per component."""
    real = known.get(path)
    if real is None:
        parent, name = os.path.split(path)
        if not name or parent == path:  # the file system root
            real = os.path.realpath(path)
        else:
            candidate = os.path.join(_remembered_real(parent, known), name)
            real = os.path.realpath(candidate) if os.path.islink(candidate) else candidate
        known[path] = real
    return real


def is_inside(path: str, root: str) -> bool:
    """Whether `path` is `root` or below it; both absolute and normalised, so the spelling decides
    (os.path.commonpath, which would split both again, was most of a boundary check's time)."""
    return path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep)
