"""What a native binary was built for, from its first bytes or its file name.

`sniff` reads the ELF, Mach-O and PE headers (never the rest of the file), and
`python_extension_tag` reads the interpreter tag CPython puts in extension module
names. Both accept anything and answer None when unsure: the rules built on them
(wrong architecture, built on macOS/Windows, wrong Python) must not guess.

Architectures use Lambda's names where Lambda has one: "x86_64" and "arm64".
"""

from __future__ import annotations

import re
import struct
from typing import NamedTuple, Optional, Tuple

from ..lazy import lazy_pattern

# Enough for every header `sniff` reads: PE headers usually start within 0x80-0x118
# (DOS stub plus Rich header) and a fat Mach-O lists at most 30 slices of 20-32 bytes.
SNIFF_BYTES = 1024

# e_machine values: https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html
# (and the registry in binutils include/elf/common.h for the newer ones).
_ELF_MACHINES = {
    2: "sparc", 3: "x86", 8: "mips", 18: "sparc32plus", 20: "ppc", 21: "ppc64", 22: "s390",
    40: "arm", 43: "sparcv9", 50: "ia64", 62: "x86_64", 183: "arm64", 243: "riscv", 258: "loongarch",
}
# cputype values from <mach/machine.h>: CPU_ARCH_ABI64 = 0x01000000, CPU_ARCH_ABI64_32 = 0x02000000.
_MACHO_CPUS = {
    7: "x86", 0x01000007: "x86_64", 12: "arm", 0x0100000C: "arm64", 0x0200000C: "arm64_32",
    18: "ppc", 0x01000012: "ppc64",
}
# IMAGE_FILE_MACHINE_* from the PE format specification:
# https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#machine-types
_PE_MACHINES = {
    0x014C: "x86", 0x8664: "x86_64", 0xAA64: "arm64", 0x01C0: "arm", 0x01C4: "arm",
    0x0200: "ia64", 0xA641: "arm64",  # ARM64EC
}

_MACHO_THIN = {  # magic as read big-endian -> (bits, byte order of the rest of the header)
    0xFEEDFACE: (32, ">"), 0xCEFAEDFE: (32, "<"), 0xFEEDFACF: (64, ">"), 0xCFFAEDFE: (64, "<"),
}
_MACHO_FAT = {0xCAFEBABE: (20, ">"), 0xBEBAFECA: (20, "<"), 0xCAFEBABF: (32, ">"), 0xBFBAFECA: (32, "<")}
# 0xCAFEBABE also starts every Java class file; there the next word is the class version
# (45 and up), where a fat Mach-O has its slice count. file(1) draws the line the same way.
_MAX_FAT_SLICES = 30


# Plain immutable records are NamedTuples, not frozen dataclasses: creating a dataclass
# execs its generated methods (~0.7 ms each at import), which a cold start pays for every one.
class BinaryInfo(NamedTuple):
    """A recognised native binary.

    `format` is "elf", "macho" or "pe". `architecture` is one name ("x86_64", "arm64",
    "x86", "arm", another known name, or "unknown-<number>"), or "universal" for a fat
    Mach-O, whose slices are listed in `architectures`.
    """

    format: str
    architecture: str
    bits: Optional[int]
    endian: Optional[str]  # "little" or "big"
    architectures: Tuple[str, ...]


def sniff(head: bytes) -> Optional[BinaryInfo]:
    """Recognise a binary from its first bytes (SNIFF_BYTES is always enough). None if not one."""
    if not isinstance(head, (bytes, bytearray, memoryview)):
        return None
    head = bytes(head[:SNIFF_BYTES])
    if head.startswith(b"\x7fELF"):
        return _elf(head)
    if head.startswith(b"MZ"):
        return _pe(head)
    if len(head) >= 8:
        magic = struct.unpack(">I", head[:4])[0]
        if magic in _MACHO_THIN:
            return _macho(head, *_MACHO_THIN[magic])
        if magic in _MACHO_FAT:
            return _fat_macho(head, *_MACHO_FAT[magic])
    return None


def _elf(head: bytes) -> Optional[BinaryInfo]:
    if len(head) < 20:
        return None
    bits = {1: 32, 2: 64}.get(head[4])
    order = {1: "<", 2: ">"}.get(head[5])
    if bits is None or order is None:
        return None
    machine = struct.unpack(order + "H", head[18:20])[0]
    name = _ELF_MACHINES.get(machine, f"unknown-{machine}")
    return BinaryInfo("elf", name, bits, _endian(order), (name,))


def _macho(head: bytes, bits: int, order: str) -> BinaryInfo:
    cpu = struct.unpack(order + "I", head[4:8])[0]
    name = _MACHO_CPUS.get(cpu, f"unknown-{cpu}")
    return BinaryInfo("macho", name, bits, _endian(order), (name,))


def _fat_macho(head: bytes, slice_size: int, order: str) -> Optional[BinaryInfo]:
    count = struct.unpack(order + "I", head[4:8])[0]
    if not 1 <= count <= _MAX_FAT_SLICES:
        return None  # a Java class file, or garbage
    names = []
    for number in range(count):
        start = 8 + number * slice_size
        if start + 4 > len(head):
            break
        cpu = struct.unpack(order + "I", head[start:start + 4])[0]
        names.append(_MACHO_CPUS.get(cpu, f"unknown-{cpu}"))
    return BinaryInfo("macho", "universal", None, _endian(order), tuple(names))


def _pe(head: bytes) -> Optional[BinaryInfo]:
    # "MZ" alone also starts DOS programs and the odd text file; only a PE signature at
    # e_lfanew makes it a Windows binary.
    if len(head) < 0x40:
        return None
    offset = struct.unpack("<I", head[0x3C:0x40])[0]
    if offset < 0x40 or offset + 6 > len(head) or head[offset:offset + 4] != b"PE\0\0":
        return None
    machine = struct.unpack("<H", head[offset + 4:offset + 6])[0]
    name = _PE_MACHINES.get(machine, f"unknown-{machine}")
    bits = None
    optional_magic = head[offset + 24:offset + 26]
    if optional_magic == b"\x0b\x01":
        bits = 32
    elif optional_magic == b"\x0b\x02":
        bits = 64
    return BinaryInfo("pe", name, bits, "little", (name,))


def _endian(order: str) -> str:
    return "little" if order == "<" else "big"


# --- extension module names --------------------------------------------------------------


class ExtensionTag(NamedTuple):
    """The interpreter an extension module was built for, from its file name.

    `version` is "3.9"-style, or None for a stable-ABI (abi3) module that loads on any
    later CPython. `os` is "linux", "darwin", "win" or None; `architecture` uses the same
    names as `sniff` or None when the name does not say.
    """

    implementation: str  # "cpython" or "pypy"
    version: Optional[str]
    os: Optional[str] = None
    architecture: Optional[str] = None
    abi3: bool = False
    flags: str = ""  # ABI flags after the version: "d" debug, "m" pymalloc (<=3.7), "t" free-threaded


# _foo.cpython-39-x86_64-linux-gnu.so, foo.cpython-312-darwin.so, foo.cpython-37m-...so,
# foo.cpython-313t-aarch64-linux-musl.so, foo.pypy39-pp73-x86_64-linux-gnu.so,
# foo.cp311-win_amd64.pyd, foo.abi3.so, foo.pyd
_CPYTHON = lazy_pattern(r"\.cpython-(\d)(\d+)([dmut]*)(?:-([A-Za-z0-9_.-]+?))?\.(?:so|pyd)$")
_PYPY = lazy_pattern(r"\.pypy(\d)(\d+)-pp\d+(?:-([A-Za-z0-9_.-]+?))?\.(?:so|pyd)$")
_WINDOWS = lazy_pattern(r"\.cp(\d)(\d+)([dmt]*)-(win32|win_amd64|win_arm64)\.pyd$")
_ABI3 = lazy_pattern(r"\.abi3(?:-([A-Za-z0-9_.-]+?))?\.(?:so|pyd)$")

_ARCH_WORDS = {
    "x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64",
    "i386": "x86", "i686": "x86", "x86": "x86", "win32": "x86",
    "arm": "arm", "armv7l": "arm", "armv7": "arm", "armv6l": "arm",
    "ppc64le": "ppc64", "powerpc64le": "ppc64", "s390x": "s390", "riscv64": "riscv",
}


def python_extension_tag(name: str) -> Optional[ExtensionTag]:
    """The tag in an extension module's file name (a path is fine), or None if it has none."""
    if not isinstance(name, str):
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    match = _CPYTHON.search(base)
    if match:
        major, minor, flags, platform = match.groups()
        os_name, arch = _platform(platform)
        return ExtensionTag("cpython", f"{major}.{int(minor)}", os_name, arch, False, flags)
    match = _WINDOWS.search(base)
    if match:
        major, minor, flags, platform = match.groups()
        os_name, arch = _platform(platform)
        return ExtensionTag("cpython", f"{major}.{int(minor)}", "win", arch, False, flags)
    match = _PYPY.search(base)
    if match:
        major, minor, platform = match.groups()
        os_name, arch = _platform(platform)
        return ExtensionTag("pypy", f"{major}.{int(minor)}", os_name, arch)
    match = _ABI3.search(base)
    if match:
        os_name, arch = _platform(match.group(1))
        if base.endswith(".pyd"):
            os_name = "win"
        return ExtensionTag("cpython", None, os_name, arch, True)
    return None


def _platform(text: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    """("linux", "x86_64") from "x86_64-linux-gnu", ("darwin", None) from "darwin", ..."""
    if not text:
        return None, None
    words = re.split(r"[-.]", text.lower())
    if text.lower().startswith("win"):
        return "win", _ARCH_WORDS.get(text.lower()[4:] if text.lower() != "win32" else "win32")
    os_name = None
    if "linux" in words:
        os_name = "linux"
    elif "darwin" in words or "macosx" in words:
        os_name = "darwin"
    arch = None
    for word in words:
        if word in _ARCH_WORDS:
            arch = _ARCH_WORDS[word]
            break
    return os_name, arch
