"""Zip packages, read from the central directory alone: nothing is extracted.

`zipfile` parses the directory once; we copy what rules need into a compact
MemberTable and let the ZipInfo objects go, so a million-entry zip costs tens of
megabytes after indexing. Reading a member later reopens the file without parsing
the directory again (see `_MemberReader`).
"""

from __future__ import annotations

import functools
import os
import stat
import struct
import zlib
from array import array
from typing import Dict, List, NamedTuple, Optional, Sequence

from .package import (
    DIRECTORY,
    FILE,
    OTHER,
    SYMLINK,
    ArtifactError,
    MemberTable,
    Package,
    UnsafeEntry,
    link_destination,
    normalize_member_name,
    unsafe_name_reason,
)

# Zip bomb thresholds, judged from the central directory without decompressing.
# - A member over 1 MiB that claims more than 100 times its compressed size. Source code,
#   wheels and native libraries compress 2:1 to 10:1; 100:1 is what Apache POI's
#   ZipSecureFile uses as its default minimum inflate ratio (0.01) to stop zip bombs
#   (https://poi.apache.org/apidocs/dev/org/apache/poi/openxml4j/util/ZipSecureFile.html).
#   The 1 MiB floor keeps small runs of zeros (empty __init__ padding, sparse data) out.
# - A member whose claim deflate itself cannot produce: deflate tops out near 1032:1, so a
#   larger ratio is a lying directory whatever the size; a stored member must claim its own size.
# - A declared total over 16 GiB: 64 times Lambda's 250 MB unzipped quota and above any
#   container image Lambda runs (10 GB), so nothing deployable is that big.
# - Entries whose data overlap (David Fifield's "better zip bomb", https://www.bamsoftware.com/hacks/zipbomb/)
#   or that claim more bytes than the file holds.
BOMB_RATIO = 100
BOMB_MIN_MEMBER_SIZE = 1024 * 1024
DEFLATE_MAX_RATIO = 1032
BOMB_TOTAL_SIZE = 16 * 1024 ** 3

# zipfile builds one ZipInfo per entry before we see any (about 10 us and 500 bytes each), so a
# directory of a million entries costs seconds and half a gigabyte before the first rule runs.
# Above these the zip is refused from its end record alone. A real deployment package holds far
# fewer: 250,000 files of Lambda's 250 MB unzipped quota would average 1 KB each.
MAX_ZIP_MEMBERS = 250_000
MAX_CENTRAL_DIRECTORY_BYTES = 32 * 1024 * 1024

# A symlink's target is the member's content; real targets are paths, far below this.
SYMLINK_READ_CAP = 4096

_LOCAL_HEADER_SIZE = 30
_MSDOS_DIRECTORY = 0x10
# What zipfile lets escape on damaged input besides BadZipFile (bad zlib streams, encrypted
# members, undecodable names, impossible offsets); all mean "cannot read", never a crash.
_UNZIP_ERRORS = (OSError, EOFError, ValueError, struct.error, NotImplementedError,
                 RuntimeError, UnicodeError, zlib.error, IndexError, KeyError, OverflowError)


class ZipPackage(Package):
    kind = "zip"

    def __init__(self, path: str, table: MemberTable, locations: _Locations, *,
                 compressed_size: int, problems: List[UnsafeEntry]):
        super().__init__(path, table, compressed_size=compressed_size, problems=problems)
        self._locations = locations

    def _read_raw(self, name: str, row: int, limit: int) -> bytes:
        import zipfile

        info = self._locations.zipinfo(row, name, self._table.sizes[row], self._table.compressed[row])
        try:
            with _member_reader()(self.path) as archive, archive.open(info) as stream:
                return stream.read(limit)
        except (zipfile.BadZipFile,) + _UNZIP_ERRORS as exc:
            raise ArtifactError(f"{self.path}: cannot read {name}: {_describe(exc)}") from None


class _Locations:
    """What reopening one member needs: where its local header is and how it is packed."""

    __slots__ = ("offsets", "crcs", "methods", "flags", "original_names")

    def __init__(self) -> None:
        self.offsets = array("q")
        self.crcs = array("L")
        self.methods = array("H")
        self.flags = array("H")
        self.original_names: Dict[int, str] = {}  # row -> name as written, when we normalised it

    def zipinfo(self, row: int, name: str, size: int, compressed_size: int):
        import zipfile

        written = self.original_names.get(row, name)
        info = zipfile.ZipInfo(written)
        # ZipInfo() normalises the name it is given; the local header check compares the raw one.
        info.orig_filename = written
        info.file_size = size
        info.compress_size = compressed_size
        info.header_offset = self.offsets[row]
        info.CRC = self.crcs[row]
        info.compress_type = self.methods[row]
        info.flag_bits = self.flags[row]
        return info


@functools.cache
def _member_reader():
    """A ZipFile class that skips parsing the central directory: we already hold what `open` needs.

    Built on first use so that importing this module does not import zipfile. Overriding
    `_RealGetContents` (zipfile's directory parser, unchanged in name since Python 2) is what
    lets one member be read from a million-entry zip without parsing a million entries again.
    """
    import zipfile

    class MemberReader(zipfile.ZipFile):
        def _RealGetContents(self):  # noqa: N802 - zipfile's name
            pass

    return MemberReader


def open_zip(path: str) -> ZipPackage:
    """Index a zip from its central directory. Raises ArtifactError for anything unreadable."""
    import zipfile

    try:
        file_size = os.path.getsize(path)
        _refuse_huge_directory(path, file_size)
        entries = _read_directory(path, file_size)
        if entries is not None:
            return _index(path, entries, file_size, None)
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ArtifactError(f"{path}: not a valid zip file ({exc})") from None
    except zipfile.LargeZipFile as exc:
        raise ArtifactError(f"{path}: unsupported zip ({exc})") from None
    except _UNZIP_ERRORS as exc:
        raise ArtifactError(f"{path}: cannot read zip: {_describe(exc)}") from None
    try:
        with archive:
            return _index(path, archive.infolist(), file_size, archive)
    except zipfile.BadZipFile as exc:
        raise ArtifactError(f"{path}: corrupt zip ({exc})") from None
    except _UNZIP_ERRORS as exc:
        raise ArtifactError(f"{path}: cannot read zip: {_describe(exc)}") from None


class _Entry(NamedTuple):
    """The ZipInfo fields the index reads, parsed straight from a central directory record."""

    filename: str
    orig_filename: str
    external_attr: int
    file_size: int
    compress_size: int
    header_offset: int
    CRC: int
    compress_type: int
    flag_bits: int


_END = struct.Struct("<4s4H2LH")  # end of central directory record
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory header, zipfile's structCentralDir
_ZIP64_SENTINEL = 0xFFFFFFFF


def _read_directory(path: str, file_size: int) -> Optional[List[_Entry]]:
    """The central directory of a well-formed zip, read with struct: several times faster
    than zipfile, which builds a full ZipInfo per entry. None for anything unusual
    (multi-disk, data before the archive, zip64 ends, odd records, NUL in names): those take
    zipfile's path, which knows every corner of the format and reports damage its own way.
    """
    with open(path, "rb") as handle:
        tail_size = min(file_size, 65_535 + _END.size)
        handle.seek(file_size - tail_size)
        tail = handle.read(tail_size)
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or end + _END.size > len(tail):
            return None
        _, disk, directory_disk, disk_entries, count, size, offset, comment = _END.unpack_from(tail, end)
        end_offset = file_size - tail_size + end
        if (disk or directory_disk or disk_entries != count or end + _END.size + comment != len(tail)
                or offset + size != end_offset or 0xFFFF in (count, disk_entries) or _ZIP64_SENTINEL in (size, offset)):
            return None
        handle.seek(offset)
        directory = handle.read(size)
    if len(directory) != size:
        return None
    entries: List[_Entry] = []
    position, unpack, record_size = 0, _CENTRAL.unpack_from, _CENTRAL.size
    for _ in range(count):
        if position + record_size > size:
            return None
        (signature, _, _, _, _, flags, method, _, _, crc, packed, unpacked,
         name_length, extra_length, comment_length, _, _, external, local_offset) = unpack(directory, position)
        if signature != b"PK\x01\x02":
            return None
        start = position + record_size
        raw = directory[start:start + name_length]
        position = start + name_length + extra_length + comment_length
        if position > size or b"\x00" in raw or _ZIP64_SENTINEL in (packed, unpacked, local_offset):
            return None
        if raw.isascii():
            name = raw.decode("ascii")  # the same text in utf-8 and cp437, decoded in C
        else:
            try:
                name = raw.decode("utf-8") if flags & 0x800 else raw.decode("cp437")
            except UnicodeDecodeError:
                return None
        entries.append(_Entry(name, name, external, unpacked, packed, local_offset, crc, method, flags))
    return entries if position == size else None


def _refuse_huge_directory(path: str, file_size: int) -> None:
    """ArtifactError when the end record announces more entries or directory bytes than we index.

    Reads only the end of the file (the end record, and the zip64 one it may point to). A
    directory whose end record lies is left to zipfile, which reports it as corrupt.
    """
    with open(path, "rb") as handle:
        tail_size = min(file_size, 65_535 + 22 + 20)  # the longest comment, the end record, a zip64 locator
        handle.seek(file_size - tail_size)
        tail = handle.read(tail_size)
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or end + 22 > len(tail):
            return
        entries, directory_size = struct.unpack_from("<HI", tail, end + 10)
        locator = end - 20
        if (entries == 0xFFFF or directory_size == 0xFFFFFFFF) and locator >= 0 \
                and tail[locator:locator + 4] == b"PK\x06\x07":
            (zip64_end,) = struct.unpack_from("<Q", tail, locator + 8)
            if zip64_end + 56 <= file_size:
                handle.seek(zip64_end)
                record = handle.read(56)
                if record[:4] == b"PK\x06\x06":
                    entries, directory_size = struct.unpack_from("<QQ", record, 32)
    if entries > MAX_ZIP_MEMBERS or directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise ArtifactError(f"{path}: the zip lists {entries} entries in a {directory_size}-byte central directory, "
                            f"over the {MAX_ZIP_MEMBERS} entries / {MAX_CENTRAL_DIRECTORY_BYTES} bytes "
                            f"lambdalint indexes (a deployment package holds far fewer)")


def _index(path: str, infos, file_size: int, archive) -> ZipPackage:
    table = MemberTable()
    locations = _Locations()
    problems: List[UnsafeEntry] = []
    seen_twice = set()
    declared_total = 0
    # The loop runs once per entry (a million for some archives): bind what it calls.
    names, index = table.names, table.index
    add_name, add_size, add_packed = names.append, table.sizes.append, table.compressed.append
    add_mode, add_kind = table.modes.append, table.kinds.append
    add_offset, add_crc = locations.offsets.append, locations.crcs.append
    add_method, add_flags = locations.methods.append, locations.flags.append
    regular = stat.S_IFREG

    for info in infos:
        raw_name = info.filename
        name = raw_name
        if name.endswith("/") or name.startswith("./"):
            name = normalize_member_name(raw_name)
        unix_mode = info.external_attr >> 16
        size, packed, offset = info.file_size, info.compress_size, info.header_offset
        if stat.S_IFMT(unix_mode) == regular and raw_name[-1:] != "/":
            kind = FILE
        else:
            kind = _kind(raw_name, info.external_attr, size)

        if name in index:
            seen_twice.add(name)
        row = len(names)
        add_name(name)
        index[name] = row
        add_size(size)
        add_packed(packed)
        add_mode(unix_mode if unix_mode else -1)
        add_kind(kind)
        add_offset(offset)
        add_crc(info.CRC & 0xFFFFFFFF)
        add_method(info.compress_type & 0xFFFF)
        add_flags(info.flag_bits & 0xFFFF)
        if info.orig_filename != name:
            locations.original_names[row] = info.orig_filename

        if kind == SYMLINK:
            link = _symlink_target(path, archive, locations.zipinfo(row, name, size, packed))
            if link is not None:
                table.links[row] = link
                if link_destination(name, link) is None:
                    problems.append(UnsafeEntry(name, f"symlink to {link!r} leaves the package"))
        if raw_name[:1] in ("/", "\\") or ".." in raw_name or raw_name[1:2] == ":":
            reason = unsafe_name_reason(raw_name)
            if reason:
                problems.append(UnsafeEntry(raw_name, reason))

        declared_total += size
        if (offset + _LOCAL_HEADER_SIZE + packed > file_size or (size > 1024 and size > BOMB_RATIO * packed)
                or (size != packed and info.compress_type == 0)):
            problems.extend(_bomb_problems(name, info, file_size))

    for name in sorted(seen_twice):
        problems.append(UnsafeEntry(name, "duplicate name: the archive holds it more than once"))
    if declared_total > BOMB_TOTAL_SIZE:
        problems.append(UnsafeEntry(None, f"zip bomb: members claim {declared_total} bytes "
                                          f"uncompressed (limit {BOMB_TOTAL_SIZE})"))
    overlap = _overlap_problem(locations.offsets, table.compressed)
    if overlap:
        problems.append(overlap)
    return ZipPackage(path, table, locations, compressed_size=file_size, problems=problems)


def _kind(raw_name: str, external_attr: int, size: int) -> int:
    unix_mode = external_attr >> 16
    file_type = stat.S_IFMT(unix_mode)
    if raw_name.endswith("/") or file_type == stat.S_IFDIR:
        return DIRECTORY
    if file_type == stat.S_IFLNK:
        return SYMLINK
    if file_type not in (0, stat.S_IFREG):
        return OTHER
    if not unix_mode and external_attr & _MSDOS_DIRECTORY and not size:
        return DIRECTORY
    return FILE


def _bomb_problems(name: str, info, file_size: int):
    import zipfile

    size, packed = info.file_size, info.compress_size
    if info.header_offset + _LOCAL_HEADER_SIZE + packed > file_size:
        yield UnsafeEntry(name, f"central directory claims {packed} compressed bytes at offset "
                                f"{info.header_offset}, but the file holds only {file_size}")
    if info.compress_type == zipfile.ZIP_STORED and size != packed and not info.flag_bits & 0x1:
        yield UnsafeEntry(name, f"stored (uncompressed) member claims {size} bytes but holds {packed}")
    elif info.compress_type == zipfile.ZIP_DEFLATED and size > DEFLATE_MAX_RATIO * max(packed, 1) + 1024:
        yield UnsafeEntry(name, f"zip bomb: claims {size} bytes from {packed}, beyond what deflate can produce")
    elif size > BOMB_MIN_MEMBER_SIZE and size > BOMB_RATIO * max(packed, 1):
        yield UnsafeEntry(name, f"zip bomb: compression ratio {size // max(packed, 1)}:1 "
                                f"({size} bytes from {packed})")


def _overlap_problem(offsets: array, packed_sizes: array) -> Optional[UnsafeEntry]:
    """Two members whose local header + data share bytes: one compressed kernel reused many times.

    The span checked (30-byte header + compressed data) is a lower bound of what each member
    occupies, so a well-formed zip never trips it. Archives list members in file order almost
    always; only an unordered one pays for sorting.
    """
    order: Sequence[int] = range(len(offsets))
    if any(offsets[i] > offsets[i + 1] for i in range(len(offsets) - 1)):
        order = sorted(order, key=offsets.__getitem__)
    previous = None
    for row in order:
        if previous is not None:
            end = offsets[previous] + _LOCAL_HEADER_SIZE + packed_sizes[previous]
            if end > offsets[row]:
                return UnsafeEntry(None, f"zip bomb: member data at offset {offsets[previous]} overlaps "
                                         f"the member at offset {offsets[row]} (overlapping entries)")
        previous = row
    return None


def _symlink_target(path: str, archive, info) -> Optional[str]:
    """A zip symlink stores its target as content; read a few bytes of it, never more."""
    try:
        if archive is None:
            with _member_reader()(path) as reader, reader.open(info) as stream:
                raw = stream.read(SYMLINK_READ_CAP)
        else:
            with archive.open(info) as stream:
                raw = stream.read(SYMLINK_READ_CAP)
    except Exception:  # noqa: BLE001 - an unreadable link target is reported, not fatal
        return None
    return raw.decode("utf-8", errors="replace")


def _describe(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0] if text else type(exc).__name__
