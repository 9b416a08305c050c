"""The struct-based central directory reader agrees with zipfile on every zip it accepts."""

from __future__ import annotations

import os
import stat
import zipfile

import pytest

from hypothesis import given, settings, strategies as st

from lambdalint.artifacts.zip_package import _index, _read_directory


def _same_index(path):
    size = os.path.getsize(path)
    entries = _read_directory(str(path), size)
    with zipfile.ZipFile(path) as archive:
        slow = _index(str(path), archive.infolist(), size, archive)
    if entries is None:
        return None
    fast = _index(str(path), entries, size, None)
    assert list(fast.names()) == list(slow.names())
    assert [tuple(m) for m in fast.members] == [tuple(m) for m in slow.members]
    assert fast.problems == slow.problems
    assert fast.uncompressed_size == slow.uncompressed_size
    return fast


def _add(archive, name, data=b"x", mode=0o644, kind=stat.S_IFREG, method=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name)
    info.external_attr = (kind | mode) << 16
    info.compress_type = method
    archive.writestr(info, data)


def test_ordinary_zip_takes_the_fast_path_and_matches(tmp_path):
    path = tmp_path / "package.zip"
    with zipfile.ZipFile(path, "w") as archive:
        _add(archive, "app.py", b"def handler(e, c):\n    return e\n")
        _add(archive, "lib/", b"", mode=0o755, kind=stat.S_IFDIR)
        _add(archive, "lib/native.so", b"\x7fELF" + b"\0" * 60, mode=0o755, method=zipfile.ZIP_STORED)
        _add(archive, "bin/tool", b"../../etc/passwd", mode=0o777, kind=stat.S_IFLNK)
        _add(archive, "données/été.txt", "é".encode())  # utf-8 flag set by zipfile
        _add(archive, "../escape.py")
        archive.comment = b"built by a test"
    assert _same_index(path) is not None


def test_unusual_zips_fall_back_to_zipfile(tmp_path):
    prefixed = tmp_path / "sfx.zip"
    with zipfile.ZipFile(tmp_path / "plain.zip", "w") as archive:
        _add(archive, "app.py")
    prefixed.write_bytes(b"#!/bin/sh\nexit 0\n" + (tmp_path / "plain.zip").read_bytes())
    assert _read_directory(str(prefixed), prefixed.stat().st_size) is None  # data before the archive
    with_nul = tmp_path / "nul.zip"
    with zipfile.ZipFile(with_nul, "w") as archive:
        archive.writestr("a.py", b"x")
    raw = with_nul.read_bytes().replace(b"a.py", b"a\0py")
    with_nul.write_bytes(raw)
    assert _read_directory(str(with_nul), len(raw)) is None


@pytest.mark.filterwarnings("ignore:Duplicate name")
@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
                                  min_size=1, max_size=12),
                          st.binary(max_size=64),
                          st.sampled_from([0o644, 0o755, 0o600, 0]),
                          st.sampled_from([stat.S_IFREG, stat.S_IFDIR, stat.S_IFLNK, 0])),
                min_size=1, max_size=12))
def test_fast_reader_matches_zipfile_on_generated_zips(tmp_path_factory, files):
    path = tmp_path_factory.mktemp("z") / "generated.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, mode, kind in files:
            info = zipfile.ZipInfo(name)
            info.external_attr = (kind | mode) << 16
            archive.writestr(info, data)
    _same_index(path)
