"""Deployment packages built on the fly for tests and fixture `build.py` scripts.

Nothing here is committed as a binary: zips, native headers and images are written into a
temporary folder when a test runs. Big packages are sparse (a seek instead of written
zeros), so a 60 MB zip or an 11 GB image layer costs no disk and no time.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pathlib
import struct
import tarfile
import zipfile
import zlib
from typing import Dict, Mapping, Optional, Union

Content = Union[bytes, str]
MIB = 1024 * 1024

_ELF_MACHINES = {"x86_64": 62, "arm64": 183}


def elf(architecture: str = "x86_64", size: int = 256) -> bytes:
    """A 64-bit little-endian ELF shared object header for x86_64 or arm64, padded to `size`."""
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    header += struct.pack("<HHI", 3, _ELF_MACHINES[architecture], 1)
    return header.ljust(size, b"\0")


def macho(size: int = 256) -> bytes:
    """A thin 64-bit Mach-O header for arm64 (what a Mac builds)."""
    return struct.pack("<II", 0xFEEDFACF, 0x0100000C).ljust(size, b"\0")


_PE_MACHINES = {"x86_64": 0x8664, "arm64": 0xAA64, "i386": 0x14C}


def pe(architecture: str = "x86_64", size: int = 256) -> bytes:
    """A Windows PE header (a DOS stub whose e_lfanew points at "PE\\0\\0"), padded to `size`."""
    head = bytearray(max(size, 0x80))
    head[0:2] = b"MZ"
    head[0x3C:0x40] = struct.pack("<I", 0x40)
    head[0x40:0x46] = b"PE\0\0" + struct.pack("<H", _PE_MACHINES[architecture])
    head[0x40 + 24:0x40 + 26] = b"\x0b\x02"  # PE32+ optional header: a 64-bit image
    return bytes(head)


def write_zip(path: Union[str, pathlib.Path], files: Mapping[str, Content],
              modes: Optional[Mapping[str, int]] = None) -> pathlib.Path:
    """A zip with Unix modes (0o644 unless `modes` says otherwise); names are written as given."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    modes = modes or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.create_system = 3
            default = 0o40755 if name.endswith("/") else 0o100644
            mode = modes.get(name, default)
            if mode < 0o10000:
                mode |= 0o40000 if name.endswith("/") else 0o100000
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode() if isinstance(content, str) else content)
    return path


def write_sparse_zip(path: Union[str, pathlib.Path], size: int, name: str = "blob.bin") -> pathlib.Path:
    """A valid zip of one stored member of `size` zero bytes, written sparse (no disk used)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    crc = 0
    chunk = bytes(MIB)
    left = size
    while left:
        part = chunk if left >= MIB else bytes(left)
        crc = zlib.crc32(part, crc)
        left -= len(part)
    raw = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, crc, size, size, len(raw), 0) + raw
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, 0, 0, 0, 0x21, crc, size, size,
                          len(raw), 0, 0, 0, 0, 0o100644 << 16, 0) + raw
    with open(path, "wb") as handle:
        handle.write(local)
        handle.seek(size, os.SEEK_CUR)
        offset = handle.tell()
        handle.write(central)
        handle.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), offset, 0))
    return path


def write_folder(folder: Union[str, pathlib.Path], files: Mapping[str, Content],
                 modes: Optional[Mapping[str, int]] = None) -> pathlib.Path:
    folder = pathlib.Path(folder)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    for name, mode in (modes or {}).items():
        os.chmod(folder / name, mode)
    return folder


def _layer_tar(files: Mapping[str, Content], sparse: Mapping[str, int]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as layer:
        for name, content in files.items():
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755
            layer.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def write_oci_image(folder: Union[str, pathlib.Path], *, files: Mapping[str, Content] = None,
                    architecture: str = "amd64", cmd=None, entrypoint=None,
                    env: Optional[Dict[str, str]] = None, huge_file: int = 0) -> pathlib.Path:
    """An OCI image layout folder with one layer holding `files`.

    `huge_file` adds a second layer whose tar header claims a file of that many bytes,
    written sparse: an image of any size for the price of a few blocks.
    """
    folder = pathlib.Path(folder)
    blobs = folder / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)

    def blob(data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        return "sha256:" + digest

    layers = []
    layer = _layer_tar(files or {}, {})
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": blob(layer), "size": len(layer)})
    if huge_file:
        info = tarfile.TarInfo("opt/model.bin")
        info.size = huge_file
        header = info.tobuf(format=tarfile.PAX_FORMAT)
        name = "0" * 64
        with open(blobs / name, "wb") as handle:
            handle.write(header)
            padded = (huge_file + 511) // 512 * 512
            handle.seek(padded, os.SEEK_CUR)
            handle.write(bytes(1024))
        layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + name,
                       "size": os.path.getsize(blobs / name)})
    settings = {"Env": [f"{key}={value}" for key, value in (env or {}).items()]}
    if cmd is not None:
        settings["Cmd"] = list(cmd)
    if entrypoint is not None:
        settings["Entrypoint"] = list(entrypoint)
    config = json.dumps({"architecture": architecture, "os": "linux", "config": settings,
                         "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": blob(config), "size": len(config)},
                           "layers": layers}).encode()
    index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                                "digest": blob(manifest), "size": len(manifest),
                                                "platform": {"os": "linux", "architecture": architecture}}]}
    (folder / "index.json").write_text(json.dumps(index))
    (folder / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    return folder
