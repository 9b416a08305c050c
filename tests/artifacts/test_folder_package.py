"""Folder packages: a walk that never follows links, never enters `.git`, and is bounded."""

from __future__ import annotations

import os

import pytest

from lambdalint.artifacts import ArtifactError, open_package


@pytest.fixture
def package_dir(tmp_path):
    root = tmp_path / "src"
    (root / "pkg").mkdir(parents=True)
    (root / "app.py").write_text("def handler(event, context):\n    return 1\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "bootstrap").write_bytes(b"#!/bin/sh\necho hi\n")
    os.chmod(root / "bootstrap", 0o755)
    (root / "private.txt").write_text("x" * 300)
    os.chmod(root / "private.txt", 0o600)
    (root / ".git" / "objects").mkdir(parents=True)
    (root / ".git" / "objects" / "blob").write_bytes(b"\0" * 50)
    (root / "to_etc").symlink_to("/etc")
    (root / "etc_passwd").symlink_to("/etc/passwd")
    (root / "sibling").symlink_to("app.py")
    (root / "pkg" / "up_and_back").symlink_to("../app.py")
    (root / "dangling").symlink_to("does-not-exist")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_bytes(b"\0" * 10_000)
    (root / "linked_dir").symlink_to(outside)
    return root


def test_walk_lists_files_dirs_and_links_with_lstat_sizes(package_dir):
    package = open_package(str(package_dir))
    members = {member.name: member for member in package.members}

    assert package.kind == "folder" and package.compressed_size is None
    assert set(members) == {
        "app.py", "bootstrap", "private.txt", "pkg", "pkg/__init__.py", "pkg/up_and_back",
        "to_etc", "etc_passwd", "sibling", "dangling", "linked_dir",
    }
    assert members["bootstrap"].permissions == 0o755
    assert members["private.txt"].permissions == 0o600 and members["private.txt"].size == 300
    assert members["pkg"].is_dir
    assert not package.skipped  # .git is left out deliberately, not as something unreadable
    # linked_dir points at a folder outside: it is one member, never descended into.
    assert members["linked_dir"].is_symlink and not members["linked_dir"].is_dir
    assert not any(name.startswith("linked_dir/") for name in members)
    assert members["sibling"].link_target == "app.py"
    assert members["sibling"].size == len("app.py")  # lstat: the link, not its target
    assert members["app.py"].compressed_size is None


def test_links_leaving_the_root_are_unsafe(package_dir):
    package = open_package(str(package_dir))
    unsafe = {problem.member for problem in package.problems}
    assert unsafe == {"to_etc", "etc_passwd", "linked_dir"}
    assert all("leaves the package" in problem.reason for problem in package.problems)


def test_read_follows_links_only_inside_the_package(package_dir):
    package = open_package(str(package_dir))
    handler = b"def handler(event, context):\n    return 1\n"
    assert package.read("app.py") == handler
    assert package.read("sibling") == handler
    assert package.read("pkg/up_and_back", limit=3) == b"def"
    assert package.head("bootstrap", 9) == b"#!/bin/sh"
    with pytest.raises(ArtifactError, match="leaves the package"):
        package.read("etc_passwd")
    with pytest.raises(ArtifactError, match="leaves the package or loops"):
        package.read("dangling")
    with pytest.raises(ArtifactError, match="directory"):
        package.read("pkg")


def test_uncompressed_size_sums_lstat_sizes(package_dir):
    package = open_package(str(package_dir))
    assert package.uncompressed_size == sum(member.size for member in package.members)
    assert package.uncompressed_size < 10_000  # the outside folder's big.bin is not counted


def test_root_given_through_a_symlink_is_walked(tmp_path, package_dir):
    (tmp_path / "alias").symlink_to(package_dir)
    package = open_package("alias", root=str(tmp_path))
    assert package.has("app.py")
    assert {problem.member for problem in package.problems} == {"to_etc", "etc_passwd", "linked_dir"}


def test_unlistable_subfolder_is_recorded_not_dropped(tmp_path, monkeypatch):
    root = tmp_path / "src"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "hidden.py").write_text("")
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "locked":  # chmod 000 would not stop root, so refuse here
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    package = open_package(str(root))
    assert package.has("locked") and not package.has("locked/hidden.py")
    assert [(skipped.member, skipped.reason) for skipped in package.skipped] == [
        ("locked", "cannot list folder: Permission denied")]


def test_missing_folder_is_an_artifact_error(tmp_path):
    with pytest.raises(ArtifactError, match="No such file"):
        open_package(str(tmp_path / "nope"))
