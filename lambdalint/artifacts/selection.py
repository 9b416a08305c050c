"""The part of a folder that ordered include/exclude globs select: what a packager would zip.

The Serverless Framework zips a service folder through `package.patterns` (serverless 3.40.0,
lib/plugins/package/lib/package-service.js): every file below the folder is in, then each
pattern in order puts the files it matches in (`handlers/**`) or, written with `!`, out
(`!**/*.test.js`). The globs are micromatch's with `dot: true`: `**` any number of path parts,
`*` and `?` within one part, `[abc]` and `{a,b}`. Folders are members when a selected file is
below them. Nothing is read here: the view shares the folder package's reader.

A Terraform archive_file's excludes are selected the same way (lambdalint.frontends.terraform.archives),
and its `output_file_mode` gives every file of the view one set of permission bits.
"""

from __future__ import annotations

import re
import stat
from typing import Callable, List, Optional, Pattern, Sequence, Tuple

from .package import DIRECTORY, FILE, MemberTable, Package

MAX_PATTERNS = 1000  # far more than any service writes; the rest are ignored, not compiled


def glob_regex(glob: str) -> Pattern[str]:
    """A micromatch glob (dot files included) as a regular expression over `/` paths."""
    glob = glob[2:] if glob.startswith("./") else glob
    out: List[str] = []
    index = 0
    braces = 0
    while index < len(glob):
        character = glob[index]
        if glob.startswith("**", index):
            index += 2
            if glob.startswith("/", index):  # `**/`: any number of folders, none too
                out.append("(?:[^/]*/)*")
                index += 1
            else:
                out.append(".*")
            continue
        if character == "*":
            out.append("[^/]*")
        elif character == "?":
            out.append("[^/]")
        elif character == "[":
            end = glob.find("]", index + 1)
            if end < 0:
                out.append(re.escape(character))
            else:
                body = glob[index + 1:end].replace("\\", "\\\\")
                out.append("[^" + body[1:] + "]" if body.startswith(("!", "^")) else "[" + body + "]")
                index = end
        elif character == "{":
            braces += 1
            out.append("(?:")
        elif character == "}" and braces:
            braces -= 1
            out.append(")")
        elif character == "," and braces:
            out.append("|")
        else:
            out.append(re.escape(character))
        index += 1
    out.append(")" * braces)
    expression = "".join(out).rstrip("/")
    # `dir/**` also names the folder itself, and a folder pattern its files (globby expands it)
    return re.compile(f"(?:{expression})(?:/.*)?" if glob.endswith("**") else f"(?:{expression})")


def compile_patterns(patterns: Sequence[str]) -> List[Tuple[bool, Pattern[str]]]:
    """(exclude, expression) for each pattern, in order."""
    compiled = []
    for pattern in list(patterns)[:MAX_PATTERNS]:
        if not isinstance(pattern, str) or not pattern.strip("!"):
            continue
        exclude = pattern.startswith("!")
        try:
            compiled.append((exclude, glob_regex(pattern[1:] if exclude else pattern)))
        except re.error:
            continue
    return compiled


def selector(patterns: Sequence[str]) -> Callable[[str], bool]:
    """Whether a file (its `/` path below the folder) is selected: the last pattern matching it decides."""
    compiled = compile_patterns(patterns)

    def selected(name: str) -> bool:
        keep = True
        for exclude, expression in compiled:
            if expression.fullmatch(name):
                keep = not exclude
        return keep

    return selected


def select(package: Package, patterns: Sequence[str], file_mode: Optional[int] = None) -> Package:
    """A view of `package` holding only the files the patterns select, and the folders above them;
    with `file_mode`, each regular file has those permission bits instead of its own."""
    keep = selector(patterns)
    table = MemberTable()
    folders = set()
    kept = []
    for member in package.members:
        if member.is_dir or not keep(member.name):
            continue
        kept.append(member)
        parent = member.name.rpartition("/")[0]
        while parent and parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    for folder in sorted(folders):
        table.add(folder, 0, -1, -1, DIRECTORY)
    for member in kept:
        row = package._table.row(member.name)
        assert row is not None
        mode, kind = package._table.modes[row], package._table.kinds[row]
        if file_mode is not None and kind == FILE:
            mode = stat.S_IFREG | file_mode
        table.add(member.name, member.size, -1, mode, kind, member.link_target)
    problems = [problem for problem in package.problems if problem.member is None or keep(problem.member)]
    return type(package)(package.path, table, compressed_size=None, problems=problems, skipped=list(package.skipped))
