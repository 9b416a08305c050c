"""What an archive_file zips, read before apply: its excludes, its one source_file, its output_file_mode,
and a `filename` written as the archive's output_path rather than as a reference to it."""

from __future__ import annotations

import fnmatch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.api import Linter
from lambdalint.artifacts.selection import selector
from lambdalint.config import Config
from lambdalint.frontends.terraform import read
from lambdalint.frontends.terraform.archives import PackageView, archive_source, exclusion_globs
from lambdalint.frontends.terraform.configuration import Reference
from lambdalint.model.values import UNKNOWN
from packagecraft import elf
from terraform_blocks import block, configuration

WORKER = "aws_lambda_function.worker"
ARCHIVE = "data.archive_file.zip"
HANDLER = "def handler(event, context):\n    return 1\n"


def worker(**values):
    arguments = dict(function_name="worker", runtime="python3.12", handler="app.handler",
                     filename=Reference(ARCHIVE, ("output_path",)))
    arguments.update(values)
    return block(WORKER, line=10, **arguments)


def checked(folder, *blocks):
    return Linter(Config(select=("ALL",))).check_configuration(read.prepared(configuration(*blocks, folder=str(folder))))


def found(folder, rules, *blocks):
    return sorted((f.line, f.rule, f.resource) for f in checked(folder, *blocks).findings if f.rule in rules)


def write(folder, files, mode=0o644):
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        path.chmod(mode)


def test_excludes_leave_out_files_and_whole_folders(tmp_path):
    write(tmp_path / "src", {"app.py": HANDLER, "tests/test_app.py": "def test():\n    pass\n",
                             "lib/__pycache__/util.cpython-312.pyc": b"\0" * 900, "lib/util.py": "x = 1\n"})
    archive = dict(source_dir="src", output_path="build/app.zip")
    assert found(tmp_path, {"LL1011"}, block(ARCHIVE, line=1, **archive), worker()) == [
        (14, "LL1011", WORKER)]  # at filename
    excluded = block(ARCHIVE, line=1, excludes=["tests", "**/__pycache__"], **archive)
    assert found(tmp_path, {"LL1011", "LL1004"}, excluded, worker()) == []
    # the handler's file left out by a glob is missing from the package
    assert found(tmp_path, {"LL1004"}, block(ARCHIVE, line=1, excludes=["*.py"], **archive), worker()) == [
        (13, "LL1004", WORKER)]


@pytest.mark.parametrize("excludes", [
    ["./tests"],  # matched against `tests`, never `./tests`: the provider leaves it in
    ["tests/"],
    [r"te\sts"],
    ["tests**"],  # doublestar reads a `**` inside a part as `*`
    ["/abs"],
    [UNKNOWN],
    UNKNOWN,
])
def test_excludes_lambdalint_cannot_mirror_leave_the_package_unknown(tmp_path, excludes):
    write(tmp_path / "src", {"app.py": HANDLER, "tests/test_app.py": "x = 1\n"})
    result = checked(tmp_path, block(ARCHIVE, line=1, source_dir="src", output_path="build/app.zip",
                                     excludes=excludes), worker())
    assert [f.rule for f in result.findings if f.rule.startswith("LL10")] == []
    assert [(entry.resource, entry.reason) for entry in result.unchecked] == [(WORKER, "code-not-known-before-apply")]


def test_exclusion_globs_cover_a_folder_and_what_is_below_it():
    assert exclusion_globs(["tests", "", "**/*.pyc"]) == ("!tests", "!tests/**", "!**/*.pyc", "!**/*.pyc/**")
    assert exclusion_globs(["docs/**"]) == ("!docs/**", "!docs/**/**", "!docs")
    assert exclusion_globs(["docs/**/**"]) == ("!docs/**/**", "!docs/**/**/**", "!docs/**", "!docs")
    assert exclusion_globs("tests") is None
    assert exclusion_globs(["*"]) is None and exclusion_globs(["?"]) is None  # source_dir itself: no zip


def _doublestar(pattern, parts):
    """doublestar.PathMatch (v4) over `/` parts, for the globs the alphabet below makes: `**` any
    number of whole parts, else fnmatch within one part."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_doublestar(pattern[1:], parts[index:]) for index in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and _doublestar(pattern[1:], parts[1:])


def _provider_keeps(name, excludes):
    """Whether the archive provider's walk zips the file `name`: neither it nor a folder above it
    matches an exclude (a matched folder is skipped whole)."""
    parts = name.split("/")
    return not any(_doublestar(exclude.split("/"), parts[:end]) for exclude in excludes
                   for end in range(1, len(parts) + 1))


_PARTS = st.sampled_from(["a", "b", ".c", "a.py"])
_GLOB_PARTS = st.sampled_from(["a", "*", "**", "?", "*.py", "[!a]", ".*", "a*"])


@settings(max_examples=200, deadline=None)
@given(files=st.sets(st.lists(_PARTS, min_size=1, max_size=3).map("/".join), max_size=12),
       excludes=st.lists(st.lists(_GLOB_PARTS, min_size=1, max_size=3).map("/".join), max_size=3))
def test_exclusion_globs_select_what_the_provider_zips(files, excludes):
    files = {name for name in files if not any(other.startswith(name + "/") for other in files)}  # files, not folders
    globs = exclusion_globs(excludes)
    if globs is None:  # refused: only for a glob matching source_dir itself
        assert any(_doublestar(exclude.split("/"), ["."]) for exclude in excludes)
        return
    keep = selector(globs)
    assert {name for name in files if keep(name)} == {name for name in files if _provider_keeps(name, excludes)}


@pytest.mark.parametrize("text, mode", [
    ("0755", 0o755), ("0o755", 0o755), ("493", 0o755), ("0x1ed", 0o755), ("0b111101101", 0o755), ("0", 0),
    ("644", None),  # decimal 644 is 0o1204, beyond the permission bits
    ("rwxr-xr-x", None), ("", None), ("0o4755", None), (UNKNOWN, None),
])
def test_output_file_mode_is_read_as_go_parses_it(tmp_path, text, mode):
    (tmp_path / "src").mkdir()
    source = archive_source(block(ARCHIVE, source_dir="src", output_path="build/app.zip", output_file_mode=text),
                            str(tmp_path))
    assert (source.view.file_mode if source is not None else None) == mode
    assert source is None or source == source.replace(path="src", view=PackageView(None, False, mode))


def test_output_file_mode_is_the_mode_of_every_file(tmp_path):
    write(tmp_path / "bin", {"bootstrap": elf("x86_64")}, mode=0o644)
    custom = dict(runtime="provided.al2023", handler="bootstrap")
    archive = dict(source_dir="bin", output_path="build/app.zip")
    assert found(tmp_path, {"LL1006"}, block(ARCHIVE, line=1, **archive), worker(**custom)) == [
        (14, "LL1006", WORKER)]
    fixed = block(ARCHIVE, line=1, output_file_mode="0755", **archive)
    assert found(tmp_path, {"LL1006"}, fixed, worker(**custom)) == []
    (tmp_path / "bin" / "bootstrap").chmod(0o755)
    assert found(tmp_path, {"LL1006"}, block(ARCHIVE, line=1, output_file_mode="0666", **archive),
                 worker(**custom)) == [(14, "LL1006", WORKER)]


def test_source_file_is_the_only_member_under_its_base_name(tmp_path):
    write(tmp_path / "src", {"app.py": HANDLER, "other.py": "x = 1\n"})
    archive = block(ARCHIVE, line=1, source_file="src/app.py", output_path="build/app.zip")
    assert found(tmp_path, {"LL1004"}, archive, worker()) == []
    assert found(tmp_path, {"LL1004"}, archive, worker(handler="other.handler")) == [(13, "LL1004", WORKER)]


def test_source_file_beside_more_entries_than_a_package_holds_is_read_alone(tmp_path, monkeypatch):
    from lambdalint.artifacts import folder_package

    monkeypatch.setattr(folder_package, "MAX_FOLDER_ENTRIES", 3)
    write(tmp_path, {f"notes/{index}.txt": "x" for index in range(5)})
    write(tmp_path, {"app.py": HANDLER})
    archive = block(ARCHIVE, line=1, source_file="app.py", output_path="build/app.zip")
    result = checked(tmp_path, archive, worker())
    assert [f.rule for f in result.findings if f.rule in ("LL0004", "LL1004")] == [] and result.unchecked == ()


def test_a_filename_written_as_the_archives_output_path_reads_what_it_zips(tmp_path):
    write(tmp_path / "src", {"main.py": HANDLER})
    archive = block(ARCHIVE, line=1, source_dir="src", output_path="./build/app.zip")
    assert found(tmp_path, {"LL1004"}, archive, worker(filename="build/app.zip")) == [(13, "LL1004", WORKER)]
    twice = block("data.archive_file.again", line=5, source_dir="src", output_path="build/app.zip")
    result = checked(tmp_path, archive, twice, worker(filename="build/app.zip"))  # which one: not known
    assert [f.rule for f in result.findings if f.rule == "LL1004"] == []
    assert [(entry.resource, entry.reason) for entry in result.unchecked] == [(WORKER, "code-not-known-before-apply")]


def test_an_s3_object_uploading_an_archive_reads_what_it_zips(tmp_path):
    write(tmp_path / "src", {"main.py": HANDLER})
    archive = block(ARCHIVE, line=1, source_dir="src", output_path="build/app.zip")
    upload = block("aws_s3_object.code", line=5, bucket="artifacts", key="app.zip",
                   source=Reference(ARCHIVE, ("output_path",)))
    function = worker(filename=None, s3_bucket="artifacts", s3_key=Reference(upload.address, ("key",)))
    assert found(tmp_path, {"LL1004"}, archive, upload, function) == [(13, "LL1004", WORKER)]
