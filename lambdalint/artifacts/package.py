"""The one interface every deployment package offers: a zip, a folder or a container image.

Rules see members (name, size, mode, link), can ask whether a name exists and read a
bounded prefix of one member. Nothing is ever extracted or executed.

Members are kept in a `MemberTable`: parallel columns instead of one object per member,
because a package may hold a million entries and the index of each one must stay small.
`Member` objects are made only while a rule looks at them.
"""

from __future__ import annotations

import posixpath
import stat
from array import array
from typing import Dict, Iterator, List, NamedTuple, Optional, Set

# What `read` returns at most when the caller names no limit. A handler module a rule
# parses with `ast` is far below this; anything larger is data, not code to inspect.
DEFAULT_READ_LIMIT = 4 * 1024 * 1024

# A symlink chain longer than this inside a package is treated as a loop (Linux gives up at 40).
MAX_SYMLINK_HOPS = 40

FILE, DIRECTORY, SYMLINK, OTHER = 0, 1, 2, 3


class ArtifactError(Exception):
    """A package cannot be read: missing path, unreadable file, corrupt archive.

    The message is one line meant for the user; the engine reports it as LL0004.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MemberNotFound(ArtifactError, KeyError):
    """`read`/`head` of a name the package does not hold."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


# Plain immutable records are NamedTuples, not frozen dataclasses: creating a dataclass
# execs its generated methods (~0.7 ms each at import), which a cold start pays for every one.
class Member(NamedTuple):
    """One entry of a package, named POSIX-style relative to the package root.

    `mode` is the full `st_mode` (type and permission bits), or None when the archive does
    not record Unix permissions (zips made on Windows): rules about permissions skip those.
    `compressed_size` is None outside zips.

    A NamedTuple rather than a frozen dataclass: iterating a million-entry package makes a
    million of these, and a tuple is built several times faster. It is just as immutable.
    """

    name: str
    size: int
    compressed_size: Optional[int]
    mode: Optional[int]
    is_dir: bool
    is_symlink: bool
    link_target: Optional[str]

    @property
    def is_file(self) -> bool:
        if self.is_dir or self.is_symlink:
            return False
        return self.mode is None or stat.S_IFMT(self.mode) in (0, stat.S_IFREG)

    @property
    def permissions(self) -> Optional[int]:
        return None if self.mode is None else stat.S_IMODE(self.mode)


class UnsafeEntry(NamedTuple):
    """Something in the package that extraction would turn into harm (LL1012).

    `member` is None when the problem is the archive as a whole (total size, layout).
    """

    member: Optional[str]
    reason: str


class Skipped(NamedTuple):
    """Part of a package that could not be indexed (e.g. a folder we may not list)."""

    member: str
    reason: str


class MemberTable:
    """Compact, append-only storage of members: one list of names plus typed columns.

    About 40 bytes per member beyond its name, against several hundred for a ZipInfo or
    a dataclass per entry. A name added twice keeps its last row (what an unzip leaves).
    """

    __slots__ = ("names", "index", "sizes", "compressed", "modes", "kinds", "links", "_dirs")

    def __init__(self) -> None:
        self.names: List[str] = []
        self.index: Dict[str, int] = {}
        self.sizes = array("q")
        self.compressed = array("q")  # -1: not compressed (folder, image)
        self.modes = array("q")  # -1: unknown
        self.kinds = array("b")
        self.links: Dict[int, str] = {}  # row -> symlink target, for the few symlinks
        self._dirs: Optional[Set[str]] = None

    def add(self, name: str, size: int, compressed: int, mode: int, kind: int, link: Optional[str] = None) -> int:
        row = len(self.names)
        self.names.append(name)
        self.index[name] = row
        self.sizes.append(size)
        self.compressed.append(compressed)
        self.modes.append(mode)
        self.kinds.append(kind)
        if link is not None:
            self.links[row] = link
        self._dirs = None
        return row

    def __len__(self) -> int:
        return len(self.index)

    def row(self, name: str) -> Optional[int]:
        return self.index.get(name)

    def member(self, row: int) -> Member:
        kind = self.kinds[row]
        mode = self.modes[row]
        compressed = self.compressed[row]
        return Member(
            name=self.names[row],
            size=self.sizes[row],
            compressed_size=None if compressed < 0 else compressed,
            mode=None if mode < 0 else mode,
            is_dir=kind == DIRECTORY,
            is_symlink=kind == SYMLINK,
            link_target=self.links.get(row),
        )

    def live_rows(self) -> Iterator[int]:
        """Rows in archive order, skipping rows shadowed by a later duplicate."""
        if len(self.index) == len(self.names):  # no duplicates: the usual case
            return iter(range(len(self.names)))
        index = self.index
        return (row for row, name in enumerate(self.names) if index[name] == row)

    def all_members(self) -> Iterator[Member]:
        """Every live member, built straight from the columns (the hot loop of every rule)."""
        if len(self.index) != len(self.names):
            yield from map(self.member, self.live_rows())
            return
        links = self.links
        columns = zip(self.names, self.sizes, self.compressed, self.modes, self.kinds)
        for row, (name, size, compressed, mode, kind) in enumerate(columns):
            yield Member(name, size, None if compressed < 0 else compressed, None if mode < 0 else mode,
                         kind == DIRECTORY, kind == SYMLINK, links.get(row) if links else None)

    def directories(self) -> Set[str]:
        """Every directory named explicitly or implied by a member's path."""
        if self._dirs is None:
            dirs: Set[str] = set()
            for row in self.live_rows():
                name = self.names[row]
                if self.kinds[row] == DIRECTORY:
                    dirs.add(name)
                parent = posixpath.dirname(name)
                while parent and parent not in dirs:
                    dirs.add(parent)
                    parent = posixpath.dirname(parent)
            self._dirs = dirs
        return self._dirs


class Members:
    """A re-iterable, sized view of a package's members."""

    __slots__ = ("_table",)

    def __init__(self, table: MemberTable):
        self._table = table

    def __iter__(self) -> Iterator[Member]:
        return self._table.all_members()

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"<{len(self)} members>"


def normalize_member_name(name: str) -> str:
    """The key a rule uses: no leading `./`, no trailing `/`.

    Backslashes are kept: Lambda unpacks `pkg\\mod.py` from a zip made on Windows as a
    file with that literal name, so the handler `pkg/mod.py` is really missing there
    (https://github.com/aws/aws-cli/issues/8501).
    """
    while name.startswith("./"):
        name = name[2:]
    return name.rstrip("/")


class Package:
    """A deployment package: zip, folder or image. Subclasses fill the table and `_read_raw`."""

    kind: str = ""
    # In an image, an absolute symlink target is a path inside the image's own root.
    absolute_links_stay_inside: bool = False

    def __init__(self, path: str, table: MemberTable, *, compressed_size: Optional[int],
                 problems: List[UnsafeEntry], skipped: Optional[List[Skipped]] = None):
        self.path = path
        self._table = table
        self.compressed_size = compressed_size
        self.problems: List[UnsafeEntry] = problems
        self.skipped: List[Skipped] = skipped or []
        if len(table.index) == len(table.names):
            self.uncompressed_size = sum(table.sizes)
        else:
            self.uncompressed_size = sum(table.sizes[row] for row in table.live_rows())

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind} {self.path!r}: {len(self._table)} members>"

    @property
    def members(self) -> Members:
        return Members(self._table)

    def names(self) -> Iterator[str]:
        table = self._table
        return (table.names[row] for row in table.live_rows())

    def has(self, name: str) -> bool:
        """True for a member, including a directory only implied by deeper members."""
        name = normalize_member_name(name)
        return name in self._table.index or name in self._table.directories()

    def has_dir(self, name: str) -> bool:
        return normalize_member_name(name) in self._table.directories()

    def member(self, name: str) -> Optional[Member]:
        row = self._table.row(normalize_member_name(name))
        return None if row is None else self._table.member(row)

    def resolve(self, name: str) -> Optional[str]:
        """The member a name leads to after following symlinks inside the package.

        None when the name is missing, a link leaves the package, or links loop.
        """
        table = self._table
        name = normalize_member_name(name)
        for _ in range(MAX_SYMLINK_HOPS):
            row = table.row(name)
            if row is None:
                return None
            if table.kinds[row] != SYMLINK:
                return name
            target = table.links.get(row)
            if not target:
                return None
            joined = link_destination(name, target, self.absolute_links_stay_inside)
            if joined is None:
                return None
            name = joined
        return None

    def read(self, name: str, limit: int = DEFAULT_READ_LIMIT) -> bytes:
        """At most `limit` bytes of a member, following in-package symlinks.

        Raises MemberNotFound for a missing name and ArtifactError when the member is a
        directory, a link leaving the package, or cannot be read.
        """
        key = normalize_member_name(name)
        if self._table.row(key) is None:
            raise MemberNotFound(f"{self.path}: no member {name!r}")
        target = self.resolve(key)
        if target is None:
            raise ArtifactError(f"{self.path}: {name} is a symlink that leaves the package or loops")
        row = self._table.row(target)
        if row is None:  # resolve() names members of the table: not reached
            raise MemberNotFound(f"{self.path}: no member {name!r}")
        if self._table.kinds[row] == DIRECTORY:
            raise ArtifactError(f"{self.path}: {name} is a directory")
        if limit <= 0:
            return b""
        return self._read_raw(target, row, limit)

    def head(self, name: str, n: int = 64) -> bytes:
        return self.read(name, limit=n)

    def _read_raw(self, name: str, row: int, limit: int) -> bytes:
        raise NotImplementedError


def link_destination(link_name: str, target: str, absolute_stays_inside: bool = False) -> Optional[str]:
    """Where a symlink member points, as a member name; None if it leaves the package root."""
    if target.startswith("/"):
        if not absolute_stays_inside:
            return None
        joined = posixpath.normpath(target).lstrip("/")
        return joined if ".." not in joined.split("/") else None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(link_name), target))
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


def unsafe_name_reason(name: str) -> Optional[str]:
    """Why extracting an entry with this name could write outside the target folder."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":" and name[0].isalpha()):
        return "absolute path"
    # Info-ZIP treats backslashes as separators in archives made on Windows, so check both.
    if ".." in name.replace("\\", "/").split("/"):
        return "'..' path component"
    return None
