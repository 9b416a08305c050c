"""What a Terraform `archive_file` zips, read before `terraform apply` has made the zip.

The hashicorp/archive provider zips `source_dir` less what its `excludes` match, or the one
`source_file` under its base name, each file with its mode on disk unless `output_file_mode`
gives every file that one mode
(https://registry.terraform.io/providers/hashicorp/archive/latest/docs/data-sources/file).
Its excludes are doublestar globs matched against each path below `source_dir`, and a folder
one matches is left out whole (internal/provider/zip_archiver.go of v2.7-v2.8: checkMatch with
doublestar.PathMatch, then filepath.SkipDir). A PackageView tells the package reader to do
the same; what lambdalint could not mirror exactly (`source` blocks, `source_content`, a glob
doublestar and lambdalint's selection globs would read differently, a computed value) leaves
the package unknown: said unchecked, never guessed.
"""

from __future__ import annotations

import os
import re
from typing import Any, Optional, Sequence, Tuple

from ...artifacts.selection import glob_regex
from ...records import Record
from .configuration import Block
from .shapes import ARCHIVE_FILE


class PackageView(Record):
    """How a package is made of the local path its code names.

    `selection`: the include/exclude globs that pick the files out of a folder
    (lambdalint.artifacts.selection), None for all of it; `single_file`: the path is one file,
    zipped as the package's only member; `file_mode`: the permission bits every file is zipped
    with, None when each keeps its own.
    """

    __slots__ = ("selection", "single_file", "file_mode")

    def __init__(self, selection: Optional[Tuple[str, ...]] = None, single_file: bool = False,
                 file_mode: Optional[int] = None) -> None:
        self.selection = selection
        self.single_file = single_file
        self.file_mode = file_mode


class ArchiveSource(Record):
    """The local path an archive_file's package is read from (relative to the root module's
    folder, as Terraform reads it), and the view that makes the package of it (None: as it is)."""

    __slots__ = ("path", "view")

    def __init__(self, path: str, view: Optional[PackageView] = None) -> None:
        self.path = path
        self.view = view


_CANNOT = object()  # a value lambdalint cannot mirror: the package is unknown


def archive_source(block: Block, folder: str) -> Optional[ArchiveSource]:
    """What the `archive_file` data block zips: its zip when it was built, else its source_dir or
    source_file with the view the provider's arguments ask for; None when that cannot be known."""
    values = block.values
    output = values.get("output_path")
    if isinstance(output, str) and os.path.isfile(os.path.join(folder, output)):
        return ArchiveSource(output)
    if any(values.get(key) is not None for key in ("source", "source_content", "source_content_filename")):
        return None
    mode = _file_mode(values.get("output_file_mode"))
    if mode is _CANNOT:
        return None
    source_dir, source_file = values.get("source_dir"), values.get("source_file")
    if isinstance(source_dir, str) and source_file is None:
        excludes = values.get("excludes")
        selection = exclusion_globs(excludes) if excludes is not None else None
        if excludes is not None and selection is None:
            return None
        selection = selection or None  # `excludes = []` leaves it all in
        view = PackageView(selection, False, mode) if selection is not None or mode is not None else None
        return ArchiveSource(source_dir, view)
    if isinstance(source_file, str) and source_dir is None:
        return ArchiveSource(source_file, PackageView(None, True, mode))
    return None


def exclusion_globs(excludes: Any) -> Optional[Tuple[str, ...]]:
    """`excludes` as selection globs: each leaves out what it matches and, when that is a folder,
    everything below it. None when one is computed, a glob lambdalint would read otherwise, or one
    that matches source_dir itself (`*`, `?`: the provider then makes no zip, so nothing deploys)."""
    if not isinstance(excludes, (list, tuple)):
        return None
    globs = []
    for pattern in excludes:
        if not isinstance(pattern, str):
            return None
        if not pattern:
            continue  # the provider skips an empty one
        if not _read_alike(pattern) or glob_regex(pattern).fullmatch("."):
            return None
        globs += ["!" + pattern, "!" + pattern + "/**"]
        stem = pattern
        while stem.endswith("/**"):  # doublestar's `**` matches no part too: `a/**` and `a/**/**` are also `a`
            stem = stem[:-3]
            globs.append("!" + stem)
    return tuple(globs)


def _read_alike(pattern: str) -> bool:
    """Whether lambdalint's selection globs match `pattern` as doublestar does: no escapes, `**`
    only as a whole path part (doublestar reads `a**` as `a*`), and a relative path without
    `.`/`..`/empty parts (the paths it is matched against have none: `./src` matches nothing)."""
    if "\\" in pattern or pattern.startswith("!"):
        return False
    return all(part not in ("", ".", "..") and ("**" not in part or part == "**") for part in pattern.split("/"))


# Go's strconv.ParseUint(text, 0, 32), which the provider parses output_file_mode with: a 0x, 0b,
# 0o or bare 0 prefix picks the base, else the text is decimal ("644" is 0o1204).
_GO_UNSIGNED = re.compile(r"0[xX](?P<hex>[0-9a-fA-F]+)|0[bB](?P<bin>[01]+)|0[oO]?(?P<oct>[0-7]+)"
                          r"|(?P<dec>[1-9][0-9]*|0)")
_BASES = {"hex": 16, "bin": 2, "oct": 8, "dec": 10}


def _file_mode(value: Any) -> Any:
    """output_file_mode as permission bits, None when it is not set, _CANNOT when it is computed or
    not a mode the provider takes (it fails then: nothing is deployed that lambdalint could judge)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return _CANNOT
    match = _GO_UNSIGNED.fullmatch(value)
    if match is None:
        return _CANNOT
    base = next(name for name, digits in match.groupdict().items() if digits is not None)
    number = int(match.group(base), _BASES[base])
    # Go's FileMode keeps the permission bits in the low nine; higher ones are types and flags
    # lambdalint does not mirror.
    return number if number <= 0o777 else _CANNOT


def archive_named(blocks: Sequence[Block], path: str) -> Optional[Block]:
    """The one archive_file data block whose output_path is `path` (a `filename` written as the
    same path rather than as a reference to it), or None."""
    wanted = os.path.normpath(path)
    found = [block for block in blocks if block.type == ARCHIVE_FILE and block.mode == "data"
             and isinstance(block.values.get("output_path"), str)
             and os.path.normpath(block.values["output_path"]) == wanted]
    return found[0] if len(found) == 1 else None

