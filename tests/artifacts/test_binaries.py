"""Binary headers and extension module names, built byte by byte with struct."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.artifacts.binaries import SNIFF_BYTES, BinaryInfo, ExtensionTag, python_extension_tag, sniff


def elf(bits: int, order: str, machine: int) -> bytes:
    ident = b"\x7fELF" + bytes([1 if bits == 32 else 2, 1 if order == "<" else 2, 1, 0]) + bytes(8)
    return ident + struct.pack(order + "HHI", 3, machine, 1) + bytes(40)  # e_type ET_DYN, e_machine, e_version


@pytest.mark.parametrize("bits, order, machine, name", [
    (64, "<", 62, "x86_64"),
    (64, "<", 183, "arm64"),
    (32, "<", 3, "x86"),
    (32, "<", 40, "arm"),
    (64, ">", 22, "s390"),
    (64, "<", 9999, "unknown-9999"),
])
def test_elf(bits, order, machine, name):
    info = sniff(elf(bits, order, machine))
    assert info == BinaryInfo("elf", name, bits, "little" if order == "<" else "big", (name,))


def test_elf_with_bad_class_or_short_header_is_not_recognised():
    assert sniff(b"\x7fELF\x03\x01" + bytes(20)) is None
    assert sniff(elf(64, "<", 62)[:19]) is None


def macho(magic: int, cpu: int, order: str) -> bytes:
    return struct.pack(">I", magic) + struct.pack(order + "II", cpu, 3) + bytes(20)


@pytest.mark.parametrize("magic, order, bits, cpu, name", [
    (0xFEEDFACF, ">", 64, 0x0100000C, "arm64"),  # MH_MAGIC_64 read big-endian
    (0xCFFAEDFE, "<", 64, 0x01000007, "x86_64"),  # MH_CIGAM_64: what little-endian machines write
    (0xCEFAEDFE, "<", 32, 7, "x86"),
    (0xFEEDFACE, ">", 32, 18, "ppc"),
])
def test_thin_macho(magic, order, bits, cpu, name):
    info = sniff(macho(magic, cpu, order))
    assert (info.format, info.architecture, info.bits) == ("macho", name, bits)
    assert info.endian == ("little" if order == "<" else "big")


@pytest.mark.parametrize("magic, slice_size", [(0xCAFEBABE, 20), (0xCAFEBABF, 32)])
def test_fat_macho_lists_its_slices(magic, slice_size):
    slices = b"".join(struct.pack(">II", cpu, 0) + bytes(slice_size - 8) for cpu in (0x01000007, 0x0100000C))
    info = sniff(struct.pack(">II", magic, 2) + slices)
    assert info.format == "macho" and info.architecture == "universal"
    assert info.architectures == ("x86_64", "arm64")


def test_java_class_file_is_not_a_fat_macho():
    # CAFEBABE, minor 0, major 61 (Java 17): the second word is 61, not a slice count.
    assert sniff(struct.pack(">IHH", 0xCAFEBABE, 0, 61) + bytes(32)) is None


def pe(machine: int, lfanew: int = 0x80, optional_magic: int = 0x20B) -> bytes:
    dos = bytearray(lfanew)
    dos[0:2] = b"MZ"
    dos[0x3C:0x40] = struct.pack("<I", lfanew)
    coff = b"PE\0\0" + struct.pack("<HHIIIHH", machine, 3, 0, 0, 0, 240, 0x22)
    return bytes(dos) + coff + struct.pack("<H", optional_magic) + bytes(64)


@pytest.mark.parametrize("machine, name, magic, bits", [
    (0x8664, "x86_64", 0x20B, 64), (0xAA64, "arm64", 0x20B, 64), (0x14C, "x86", 0x10B, 32),
])
def test_pe(machine, name, magic, bits):
    assert sniff(pe(machine, optional_magic=magic)) == BinaryInfo("pe", name, bits, "little", (name,))


def test_mz_without_pe_signature_is_not_a_windows_binary():
    assert sniff(b"MZ this is just text that starts with MZ" + bytes(100)) is None
    assert sniff(pe(0x8664, lfanew=SNIFF_BYTES + 16)) is None  # header beyond what we were given
    assert sniff(pe(0x8664)[:0x84]) is None  # cut before the machine field


def test_pe_cut_before_the_optional_header_still_names_its_machine():
    assert sniff(pe(0x8664)[:0x90]) == BinaryInfo("pe", "x86_64", None, "little", ("x86_64",))


@pytest.mark.parametrize("head", [b"", b"#!/bin/sh\n", b"PK\x03\x04", b"\x7fEL", bytes(64)])
def test_other_content_is_not_a_binary(head):
    assert sniff(head) is None


@given(st.binary(max_size=2048))
def test_sniff_never_raises(head):
    result = sniff(head)
    assert result is None or isinstance(result, BinaryInfo)


@given(st.sampled_from([b"\x7fELF", b"MZ", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xbf\xba\xfe\xca"]),
       st.binary(max_size=600))
def test_sniff_never_raises_on_magic_followed_by_noise(magic, tail):
    result = sniff(magic + tail)
    assert result is None or isinstance(result, BinaryInfo)


@pytest.mark.parametrize("name, tag", [
    ("_foo.cpython-39-x86_64-linux-gnu.so", ExtensionTag("cpython", "3.9", "linux", "x86_64")),
    ("pkg/_foo.cpython-312-aarch64-linux-gnu.so", ExtensionTag("cpython", "3.12", "linux", "arm64")),
    ("_foo.cpython-310-x86_64-linux-musl.so", ExtensionTag("cpython", "3.10", "linux", "x86_64")),
    ("foo.cpython-312-darwin.so", ExtensionTag("cpython", "3.12", "darwin", None)),
    ("foo.cpython-37m-x86_64-linux-gnu.so", ExtensionTag("cpython", "3.7", "linux", "x86_64", flags="m")),
    ("foo.cpython-313t-x86_64-linux-gnu.so", ExtensionTag("cpython", "3.13", "linux", "x86_64", flags="t")),
    ("foo.cpython-311.so", ExtensionTag("cpython", "3.11")),
    ("foo.cp311-win_amd64.pyd", ExtensionTag("cpython", "3.11", "win", "x86_64")),
    ("foo.cp38-win32.pyd", ExtensionTag("cpython", "3.8", "win", "x86")),
    ("foo.cp312-win_arm64.pyd", ExtensionTag("cpython", "3.12", "win", "arm64")),
    ("foo.abi3.so", ExtensionTag("cpython", None, abi3=True)),
    ("foo.abi3.pyd", ExtensionTag("cpython", None, "win", abi3=True)),
    ("foo.pypy39-pp73-x86_64-linux-gnu.so", ExtensionTag("pypy", "3.9", "linux", "x86_64")),
    ("C:\\build\\foo.cp39-win_amd64.pyd", ExtensionTag("cpython", "3.9", "win", "x86_64")),
])
def test_extension_tags(name, tag):
    assert python_extension_tag(name) == tag


def test_unpacks_as_implementation_and_version():
    implementation, version = python_extension_tag("_foo.cpython-39-x86_64-linux-gnu.so")[:2]
    assert (implementation, version) == ("cpython", "3.9")


@pytest.mark.parametrize("name", ["libfoo.so", "foo.so.1", "foo.py", "cpython-39.txt", "foo.cpython-39.so.bak", ""])
def test_untagged_names(name):
    assert python_extension_tag(name) is None


@given(st.text(max_size=80))
def test_extension_tag_never_raises(name):
    result = python_extension_tag(name)
    assert result is None or isinstance(result, ExtensionTag)


@given(st.sampled_from(["cpython-", "cp", "pypy", "abi3"]), st.text(max_size=30), st.sampled_from([".so", ".pyd"]))
def test_extension_tag_never_raises_on_near_misses(prefix, middle, suffix):
    result = python_extension_tag("foo." + prefix + middle + suffix)
    assert result is None or isinstance(result, ExtensionTag)
