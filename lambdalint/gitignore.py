"""Which paths git ignores, read from the ignore files themselves (git is not run).

The rules are git's (https://git-scm.com/docs/gitignore), as ruff applies them through the
`ignore` crate: inside a git repository, the `.gitignore` of every folder from the repository
root down, and `.git/info/exclude`; a deeper file's patterns win over a shallower one's, and
within a file the last matching pattern wins. Outside a repository nothing is ignored. The
user's global excludes file (`core.excludesFile`) is not read: finding it needs git's config.

Pattern syntax: `#` comments, `!` negation, a trailing `/` for folders only, a leading or
middle `/` anchoring the pattern to its file's folder (otherwise it matches a name at any
depth), `*` `?` `[...]` within one path segment, `**` across segments, `\\` escapes, and
trailing spaces dropped unless escaped.
"""

from __future__ import annotations

import os
import re
from typing import Dict, List, Optional, Pattern, Tuple


class Rule:
    """One pattern line of an ignore file whose folder is `base` (relative to the repository, posix)."""

    __slots__ = ("regex", "negated", "folders_only", "anchored", "base", "text")

    def __init__(self, regex: Pattern[str], negated: bool, folders_only: bool, anchored: bool, base: str, text: str):
        self.regex, self.negated, self.folders_only, self.anchored = regex, negated, folders_only, anchored
        self.base, self.text = base, text

    def matches(self, relative: str, is_folder: bool) -> bool:
        """relative: the path from the repository root, posix, no leading or trailing slash."""
        if self.folders_only and not is_folder:
            return False
        if self.base:
            if not relative.startswith(self.base + "/"):
                return False
            relative = relative[len(self.base) + 1:]
        subject = relative if self.anchored else relative.rsplit("/", 1)[-1]
        return self.regex.fullmatch(subject) is not None


def parse(text: str, base: str = "") -> List[Rule]:
    """The rules of one ignore file (lines that are blank or comments make none)."""
    rules = []
    for line in text.splitlines():
        rule = parse_line(line, base)
        if rule is not None:
            rules.append(rule)
    return rules


def parse_line(line: str, base: str = "") -> Optional[Rule]:
    original = line
    line = line.rstrip("\r")
    line = _strip_trailing_spaces(line)
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    folders_only = line.endswith("/") and not line.endswith("\\/")
    if folders_only:
        line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    if line.startswith("/"):
        line = line[1:]
    try:
        regex = re.compile(_translate(line), re.DOTALL)
    except re.error:  # a class git would also reject: the line matches nothing
        return None
    return Rule(regex, negated, folders_only, anchored, base, original)


def _strip_trailing_spaces(line: str) -> str:
    while line.endswith(" ") and not line.endswith("\\ "):
        line = line[:-1]
    return line


def _translate(pattern: str) -> str:
    """A gitignore pattern (no leading `/`, no trailing `/`) as a regex for the whole path."""
    segments = pattern.split("/")
    regex = ""
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            # `a/**`: everything inside a; `**/a` and `a/**/b`: zero or more folders between
            regex += ".*" if last else "(?:[^/]*/)*"
        else:
            regex += _translate_segment(segment) + ("" if last else "/")
    return regex


def _translate_segment(segment: str) -> str:
    out = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "\\" and index + 1 < len(segment):
            out.append(re.escape(segment[index + 1]))
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end, klass = _character_class(segment, index)
            if klass is None:
                out.append(re.escape(char))
            else:
                out.append(klass)
                index = end
                continue
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def _character_class(segment: str, start: int) -> Tuple[int, Optional[str]]:
    """`[...]` at start: (index after it, its regex), or (start, None) when it is not closed."""
    index = start + 1
    negate = index < len(segment) and segment[index] in "!^"
    if negate:
        index += 1
    members = []
    if index < len(segment) and segment[index] == "]":  # a leading ] is a member
        members.append("\\]")
        index += 1
    while index < len(segment) and segment[index] != "]":
        char = segment[index]
        if char == "\\" and index + 1 < len(segment):
            members.append(re.escape(segment[index + 1]))
            index += 2
            continue
        if char == "-" and members and index + 1 < len(segment) and segment[index + 1] != "]":
            members.append("-")
        else:
            members.append("\\" + char if char in "\\^[]" else char)
        index += 1
    if index >= len(segment):
        return start, None
    body = "".join(members)
    return index + 1, f"(?!/)[{'^' if negate else ''}{body}]"


def repository_root(path: str) -> Optional[str]:
    """The nearest folder at or above path holding `.git` (a folder, or a worktree's file)."""
    folder = os.path.abspath(path)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def git_directory(root: str) -> str:
    """The folder holding info/exclude: `.git`, or for a linked worktree (`.git` is a file naming
    its gitdir) the repository's common folder."""
    dot_git = os.path.join(root, ".git")
    if not os.path.isfile(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8", errors="replace") as handle:
            first = handle.readline().strip()
        if not first.startswith("gitdir:"):
            return dot_git
        gitdir = os.path.join(root, first[len("gitdir:"):].strip())
        common = os.path.join(gitdir, "commondir")
        if os.path.isfile(common):
            with open(common, encoding="utf-8", errors="replace") as handle:
                return os.path.normpath(os.path.join(gitdir, handle.readline().strip()))
        return os.path.normpath(gitdir)
    except OSError:
        return dot_git


class IgnoreFiles:
    """The ignore rules of one repository, read folder by folder as a walk reaches them."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self._by_folder: Dict[str, List[Rule]] = {}
        self._base = self._read(os.path.join(git_directory(self.root), "info", "exclude"), "")

    def is_ignored(self, path: str, is_folder: bool) -> bool:
        """path (absolute or relative to the cwd) inside the repository; its parents are not consulted."""
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        if relative == "." or relative.startswith("../"):
            return False
        folder = relative.rsplit("/", 1)[0] if "/" in relative else ""
        for rule in reversed(self._rules_for(folder)):
            if rule.matches(relative, is_folder):
                return not rule.negated
        return False

    def _rules_for(self, folder: str) -> List[Rule]:
        """The rules that apply in folder (relative, posix): info/exclude, then root to folder."""
        found = self._by_folder.get(folder)
        if found is None:
            parent = self._rules_for(folder.rsplit("/", 1)[0] if "/" in folder else "") if folder else self._base
            own = self._read(os.path.join(self.root, *folder.split("/"), ".gitignore"), folder)
            found = parent + own if own else parent
            self._by_folder[folder] = found
        return found

    @staticmethod
    def _read(path: str, base: str) -> List[Rule]:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                return parse(handle.read(), base)
        except OSError:
            return []


def ignore_files_for(path: str) -> Optional[IgnoreFiles]:
    """The ignore rules that apply below path, or None outside a git repository."""
    root = repository_root(path)
    return IgnoreFiles(root) if root is not None else None
