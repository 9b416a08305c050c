"""Zip bytes written by hand, for inputs `zipfile` will not produce (lying directories, huge counts).

Only the layout the format requires: local headers, central directory, end record.
"""

from __future__ import annotations

import struct
import zlib
from typing import Iterable, Optional, Tuple

# (name, data, claimed_size, unix_mode) — claimed_size overrides the uncompressed size recorded.
Entry = Tuple[str, bytes, Optional[int], int]


def craft_zip(entries: Iterable[Entry], *, method: int = 0) -> bytes:
    """A zip whose members hold `data` (stored, or raw-deflated when method=8) but may claim any size."""
    local_parts = []
    central_parts = []
    offset = 0
    count = 0
    for name, data, claimed, mode in entries:
        raw_name = name.encode("utf-8")
        crc = zlib.crc32(data) & 0xFFFFFFFF
        if method == 8:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = packer.compress(data) + packer.flush()
        else:
            packed = data
        size = len(data) if claimed is None else claimed
        extra = b""
        recorded_size = size
        if size >= 0xFFFFFFFF:  # zip64: the real size goes into the extra field
            extra = struct.pack("<HHQ", 0x0001, 8, size)
            recorded_size = 0xFFFFFFFF
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0x800, method, 0, 0x21,
                            crc, len(packed), recorded_size, len(raw_name), len(extra)) + raw_name + extra
        central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 45, 45, 0x800, method, 0, 0x21,
                              crc, len(packed), recorded_size, len(raw_name), len(extra), 0, 0, 0,
                              (mode << 16), offset) + raw_name + extra
        local_parts.append(local)
        local_parts.append(packed)
        central_parts.append(central)
        offset += len(local) + len(packed)
        count += 1
    directory = b"".join(central_parts)
    if count <= 0xFFFF:
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), offset, 0)
        return b"".join(local_parts) + directory + end
    # Over 65,535 entries the counts live in the zip64 end record, found through its locator.
    zip64_end = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(directory), offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, offset + len(directory), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, len(directory), offset, 0)
    return b"".join(local_parts) + directory + zip64_end + locator + end
