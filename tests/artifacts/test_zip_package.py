"""Zip packages: indexing from the central directory, unsafe entries, bounded reads."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.artifacts import ArtifactError, MemberNotFound, open_package
from lambdalint.artifacts.zip_package import BOMB_TOTAL_SIZE
from zipcraft import craft_zip


def write_zip(path, entries, compression=zipfile.ZIP_DEFLATED):
    """entries: (name, data, unix_mode or None); mode None leaves external_attr as zipfile sets it."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return str(path)


def reasons(package):
    return {(problem.member, problem.reason.split(":")[0]) for problem in package.problems}


def test_members_carry_sizes_modes_and_kinds(tmp_path):
    path = write_zip(tmp_path / "app.zip", [
        ("app.py", b"def handler(event, context):\n    return 1\n", stat.S_IFREG | 0o644),
        ("bootstrap", b"#!/bin/sh\n", stat.S_IFREG | 0o755),
        ("secret.txt", b"x" * 1000, stat.S_IFREG | 0o600),
        ("lib/", b"", stat.S_IFDIR | 0o755),
        ("current", b"app.py", stat.S_IFLNK | 0o777),
    ])
    package = open_package(path)
    members = {member.name: member for member in package.members}

    assert package.kind == "zip"
    assert set(members) == {"app.py", "bootstrap", "secret.txt", "lib", "current"}
    assert members["bootstrap"].permissions == 0o755
    assert members["secret.txt"].permissions == 0o600
    assert members["secret.txt"].size == 1000
    assert members["secret.txt"].compressed_size < 1000
    assert members["lib"].is_dir and not members["lib"].is_file
    assert members["current"].is_symlink and members["current"].link_target == "app.py"
    assert members["app.py"].is_file
    assert package.uncompressed_size == sum(member.size for member in members.values())
    assert package.compressed_size == (tmp_path / "app.zip").stat().st_size
    assert len(package.members) == 5
    assert package.problems == []


def test_zip_without_unix_modes_reports_mode_unknown(tmp_path):
    # zipfile.writestr with a bare name records 0o600 << 16; a Windows tool records nothing.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("handler.py")
        info.create_system = 0
        info.external_attr = 0x20  # MS-DOS "archive" attribute only
        archive.writestr(info, b"x = 1\n")
        folder = zipfile.ZipInfo("pkg\\")  # placeholder name; a DOS directory flag below
        folder.create_system = 0
        folder.external_attr = 0x10
        archive.writestr(folder, b"")
    (tmp_path / "win.zip").write_bytes(buffer.getvalue())

    package = open_package(str(tmp_path / "win.zip"))
    handler = package.member("handler.py")
    assert handler.mode is None and handler.permissions is None and handler.is_file
    assert package.member("pkg\\").is_dir


def test_has_member_and_implied_directories(tmp_path):
    path = write_zip(tmp_path / "p.zip", [("pkg/sub/mod.py", b"", None), ("./top.py", b"", None)])
    package = open_package(path)
    assert package.has("pkg/sub/mod.py")
    assert package.has("pkg") and package.has("pkg/sub/") and package.has_dir("pkg/sub")
    assert not package.has_dir("pkg/sub/mod.py")
    assert package.has("top.py")  # "./" is dropped from names
    assert not package.has("pkg/other.py")
    assert package.member("missing") is None


def test_read_is_bounded_and_follows_inner_symlinks(tmp_path):
    body = bytes(range(256)) * 400
    path = write_zip(tmp_path / "p.zip", [
        ("data.bin", body, stat.S_IFREG | 0o644),
        ("dir/alias", b"../data.bin", stat.S_IFLNK | 0o777),
        ("escape", b"../../etc/passwd", stat.S_IFLNK | 0o777),
        ("folder/", b"", stat.S_IFDIR | 0o755),
    ])
    package = open_package(path)
    assert package.read("data.bin") == body
    assert package.read("data.bin", limit=10) == body[:10]
    assert package.head("data.bin") == body[:64]
    assert package.read("dir/alias", limit=5) == body[:5]
    assert package.resolve("dir/alias") == "data.bin"
    with pytest.raises(ArtifactError, match="leaves the package"):
        package.read("escape")
    with pytest.raises(ArtifactError, match="directory"):
        package.read("folder")
    with pytest.raises(MemberNotFound):
        package.read("nope.py")
    with pytest.raises(KeyError):  # MemberNotFound is also a KeyError
        package.head("nope.py")


def test_read_detects_corrupt_member_data(tmp_path):
    path = tmp_path / "p.zip"
    write_zip(path, [("a.txt", b"hello world" * 10, None)], compression=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"hello world")
    raw[at] ^= 0xFF  # the CRC no longer matches
    path.write_bytes(bytes(raw))
    package = open_package(str(path))
    with pytest.raises(ArtifactError, match="a.txt"):
        package.read("a.txt")


def test_absolute_and_parent_names_are_unsafe(tmp_path):
    path = write_zip(tmp_path / "evil.zip", [
        ("../evil", b"x", None), ("/abs", b"y", None), ("ok/../../out", b"z", None),
        ("C:/windows.txt", b"w", None), ("..\\dos", b"d", None), ("fine..name.py", b"", None),
    ])
    package = open_package(path)
    assert reasons(package) == {
        ("../evil", "'..' path component"),
        ("/abs", "absolute path"),
        ("ok/../../out", "'..' path component"),
        ("C:/windows.txt", "absolute path"),
        ("..\\dos", "'..' path component"),
    }


def test_symlink_leaving_the_package_is_unsafe(tmp_path):
    path = write_zip(tmp_path / "links.zip", [
        ("etc", b"/etc/passwd", stat.S_IFLNK | 0o777),
        ("up", b"../outside", stat.S_IFLNK | 0o777),
        ("sibling", b"lib/real.py", stat.S_IFLNK | 0o777),
        ("lib/real.py", b"", None),
    ])
    assert reasons(open_package(path)) == {("etc", "symlink to '/etc/passwd' leaves the package"),
                                           ("up", "symlink to '../outside' leaves the package")}


def test_duplicate_names_are_reported_and_the_last_one_wins(tmp_path):
    path = tmp_path / "dup.zip"
    with pytest.warns(UserWarning, match="Duplicate name"):
        write_zip(path, [("app.py", b"first", None), ("app.py", b"second!", None)])
    package = open_package(str(path))
    assert ("app.py", "duplicate name") in reasons(package)
    assert len(package.members) == 1
    assert package.member("app.py").size == 7
    assert package.read("app.py") == b"second!"
    assert package.uncompressed_size == 7


def test_highly_compressed_member_is_a_zip_bomb(tmp_path):
    # 4 MiB of zeros deflates to about 4 KB: ratio ~1000:1 on a member over 1 MiB.
    path = write_zip(tmp_path / "bomb.zip", [("zeros.bin", bytes(4 * 1024 * 1024), None),
                                             ("small-zeros.bin", bytes(512 * 1024), None)])
    package = open_package(path)
    assert reasons(package) == {("zeros.bin", "zip bomb")}
    assert "ratio" in package.problems[0].reason


def test_directory_claiming_huge_sizes_is_a_zip_bomb_without_decompressing(tmp_path):
    # The central directory says 20 GiB; the member holds 10 bytes. Nothing is inflated.
    data = craft_zip([("huge.bin", b"0123456789", 20 * 1024 ** 3, stat.S_IFREG | 0o644)])
    (tmp_path / "claims.zip").write_bytes(data)
    package = open_package(str(tmp_path / "claims.zip"))
    assert package.member("huge.bin").size == 20 * 1024 ** 3
    assert package.uncompressed_size > BOMB_TOTAL_SIZE
    found = reasons(package)
    assert ("huge.bin", "stored (uncompressed) member claims 21474836480 bytes but holds 10") in found
    assert (None, "zip bomb") in found


def test_deflate_claim_beyond_what_deflate_can_produce(tmp_path):
    data = craft_zip([("lie.txt", b"a" * 100, 50 * 1024 * 1024, stat.S_IFREG | 0o644)], method=8)
    (tmp_path / "lie.zip").write_bytes(data)
    problems = open_package(str(tmp_path / "lie.zip")).problems
    assert [problem.member for problem in problems] == ["lie.txt"]
    assert "beyond what deflate can produce" in problems[0].reason


def test_directory_claiming_more_than_the_file_holds(tmp_path):
    data = bytearray(craft_zip([("a.bin", b"x" * 100, None, stat.S_IFREG | 0o644)]))
    # Patch the compressed size in the central directory entry: 100 -> 10,000,000.
    central = data.index(b"PK\x01\x02")
    data[central + 20:central + 24] = (10_000_000).to_bytes(4, "little")
    (tmp_path / "short.zip").write_bytes(bytes(data))
    package = open_package(str(tmp_path / "short.zip"))
    assert any(problem.member == "a.bin" and "the file holds only" in problem.reason
               for problem in package.problems)


def test_overlapping_entries_are_a_zip_bomb(tmp_path):
    data = bytearray(craft_zip([("a.bin", b"x" * 100, None, stat.S_IFREG | 0o644),
                                ("b.bin", b"y" * 100, None, stat.S_IFREG | 0o644)]))
    # Point the second entry's local header offset into the first entry's data.
    second = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    data[second + 42:second + 46] = (40).to_bytes(4, "little")
    (tmp_path / "overlap.zip").write_bytes(bytes(data))
    problems = open_package(str(tmp_path / "overlap.zip")).problems
    assert any(problem.member is None and "overlapping entries" in problem.reason for problem in problems)


def test_truncated_zip_is_an_artifact_error(tmp_path):
    path = write_zip(tmp_path / "full.zip", [("a.py", b"print(1)\n" * 100, None)])
    raw = (tmp_path / "full.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(raw[: len(raw) // 2])
    assert open_package(path).has("a.py")
    with pytest.raises(ArtifactError, match="not a valid zip file"):
        open_package(str(tmp_path / "cut.zip"))


def test_missing_and_non_zip_paths_are_artifact_errors(tmp_path):
    with pytest.raises(ArtifactError, match="No such file"):
        open_package("nothing-here.zip", root=str(tmp_path))
    (tmp_path / "notes.txt").write_text("not a zip")
    with pytest.raises(ArtifactError, match="not a valid zip"):
        open_package("notes.txt", root=str(tmp_path))


def test_relative_path_is_resolved_against_root_and_may_leave_it(tmp_path):
    (tmp_path / "templates").mkdir()
    write_zip(tmp_path / "build.zip", [("a.py", b"", None)])
    package = open_package("../build.zip", root=str(tmp_path / "templates"))
    assert package.has("a.py")
    assert package.path == str(tmp_path / "build.zip")


def test_zip64_archive(tmp_path):
    path = tmp_path / "z64.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("big.txt", "w", force_zip64=True) as stream:
            stream.write(b"line\n" * 1000)
    assert b"\x01\x00\x10\x00" in path.read_bytes()  # zip64 extra field present
    package = open_package(str(path))
    assert package.member("big.txt").size == 5000
    assert package.read("big.txt", limit=10) == b"line\nline\n"
    assert package.problems == []


@pytest.mark.slow
def test_hundred_thousand_entries_index_compactly(tmp_path):
    count = 100_000  # above 65,535: also exercises the zip64 end-of-directory record
    data = craft_zip((f"pkg/m{number:06d}.py", b"", None, stat.S_IFREG | 0o644) for number in range(count))
    (tmp_path / "many.zip").write_bytes(data)
    package = open_package(str(tmp_path / "many.zip"))
    assert len(package.members) == count
    assert sum(1 for _ in package.members) == count
    assert package.has("pkg/m099999.py") and package.has_dir("pkg")
    assert package.read("pkg/m054321.py") == b""
    assert package.problems == []


def test_members_view_is_reiterable(tmp_path):
    path = write_zip(tmp_path / "p.zip", [("a", b"1", None), ("b", b"22", None)])
    members = open_package(path).members
    assert [member.name for member in members] == ["a", "b"]
    assert [member.size for member in members] == [1, 2]


@st.composite
def mutated_zip(draw):
    names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    min_size=1, max_size=12)
    entries = draw(st.lists(st.tuples(names, st.binary(max_size=64)), max_size=4,
                            unique_by=lambda entry: entry[0]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    for _ in range(draw(st.integers(0, 6))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        raw[at] = draw(st.integers(0, 255))
    if draw(st.booleans()) and raw:
        raw = raw[: draw(st.integers(0, len(raw)))]
    return bytes(raw)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated_zip(), st.binary(max_size=300)))
def test_any_bytes_either_index_or_raise_artifact_error(tmp_path, raw):
    path = tmp_path / "fuzz.zip"
    path.write_bytes(raw)
    try:
        package = open_package(str(path))
    except ArtifactError as error:
        assert error.message and "\n" not in error.message
        return
    for member in package.members:
        try:
            package.read(member.name, limit=128)
        except ArtifactError:
            pass


def test_encrypted_member_cannot_be_read_but_is_indexed(tmp_path):
    data = bytearray(craft_zip([("secret.py", b"x = 1\n", None, stat.S_IFREG | 0o644)]))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag bit in both headers
        at = data.index(header) + (6 if header == b"PK\x03\x04" else 8)
        data[at] |= 0x01
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    package = open_package(str(tmp_path / "locked.zip"))
    assert package.member("secret.py").size == 6
    with pytest.raises(ArtifactError, match="encrypted"):
        package.read("secret.py")


def test_import_does_not_load_zipfile():
    import subprocess
    import sys

    code = "import sys, lambdalint.artifacts; print('zipfile' in sys.modules, 'tarfile' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
