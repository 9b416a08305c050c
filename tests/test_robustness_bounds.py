"""Resource bounds: hostile inputs finish within a documented time and memory, and never hide the others.

Every case runs beside a good template whose own finding must still be reported. The bounds
are the ones in docs/robustness.md; they hold with a wide margin on a laptop and leave room
for a slow CI runner. Memory is measured with tracemalloc for in-process runs (Python
allocations, which is where an index or a parse tree lives), and proven for the largest
inputs by running the CLI under `resource.setrlimit(RLIMIT_AS)`: a run that needed more
would die of MemoryError instead of printing its findings.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import time
import tracemalloc
import zipfile

import pytest

from lambdalint.api import Linter
from lambdalint.config import Config

MB = 1024 * 1024

GOOD = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k, S3ObjectVersion: '1'}
      Timeout: 1800
"""
GOOD_FINDING = ("good.yaml", 9, "LL2002")  # Timeout 1800 s is outside 1-900 s


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    return tmp_path


def lint_bounded(paths, seconds: float, megabytes: float, **config):
    """Lint `paths` with every rule; assert the run's CPU time and traced peak memory.

    CPU time, not wall time: the bound is on the work done, which other processes on a
    loaded machine do not change."""
    linter = Linter(Config(select=("ALL",), **config))
    tracemalloc.start()
    started = time.process_time()
    try:
        report = linter.lint_paths(list(paths))
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f} s of CPU, bound {seconds} s"
    assert peak < megabytes * MB, f"peaked at {peak / MB:.0f} MB, bound {megabytes} MB"
    return report


def found(report, rule=None):
    return {(f.file, f.line, f.rule) for f in report.findings if rule is None or f.rule == rule}


def messages(report, rule):
    return [f.message for f in report.findings if f.rule == rule]


def assert_good_file_reported(report):
    assert GOOD_FINDING in found(report)
    assert not messages(report, "LL0007")


def run_cli_limited(args, cwd, address_space_mb: int, timeout: float):
    """The real CLI in a child process that cannot map more than `address_space_mb`."""
    code = ("import resource, sys; limit = %d * 1024 * 1024; "
            "resource.setrlimit(resource.RLIMIT_AS, (limit, limit)); "
            "from lambdalint.cli import main; sys.argv[0] = 'lambdalint'; main()") % address_space_mb
    started = time.monotonic()
    completed = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                               timeout=timeout)
    return completed, time.monotonic() - started


# -- templates ---------------------------------------------------------------------------------


def billion_laughs() -> str:
    lines = ["Resources: {}", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb(cwd):
    """10^9 expanded values from 1 KB: refused by counting before expanding (2 s, 32 MB)."""
    (cwd / "bomb.yaml").write_text(billion_laughs(), encoding="utf-8")
    report = lint_bounded(["bomb.yaml", "good.yaml"], seconds=2, megabytes=32)
    assert ("bomb.yaml", 8, "LL0001") in found(report)
    assert any("alias bomb" in m for m in messages(report, "LL0001"))
    assert_good_file_reported(report)


def nested(levels: int) -> dict:
    value = {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, "leaf"]}
    for depth in range(levels):
        value = {f"k{depth}": [value]} if depth % 2 else {f"k{depth}": value}
    return value


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_hundred_level_nested_template_is_checked_normally(cwd, form):
    """100 levels of maps, lists and intrinsics in Properties, Metadata and an Fn::If chain (2 s, 32 MB)."""
    deep_if = "x"
    for _ in range(100):
        deep_if = {"Fn::If": ["IsProd", deep_if, "y"]}
    template = {
        "Conditions": {"IsProd": {"Fn::Equals": ["a", "b"]}},
        "Metadata": nested(100),
        "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.13", "Handler": "app.handler", "Role": "arn:aws:iam::123456789012:role/r",
            "Code": {"S3Bucket": "b", "S3Key": "k", "S3ObjectVersion": "1"}, "Timeout": 1800,
            "Environment": {"Variables": {"DEEP": deep_if}}, "Tags": [nested(100)]}}},
    }
    if form == "json":
        text = json.dumps(template)
    else:
        import yaml

        text = yaml.safe_dump(template)
    (cwd / f"deep.{form}").write_text(text, encoding="utf-8")
    report = lint_bounded([f"deep.{form}", "good.yaml"], seconds=2, megabytes=32)
    assert (f"deep.{form}", "LL2002") in {(f.file, f.rule) for f in report.findings}
    assert not messages(report, "LL0001")
    assert_good_file_reported(report)


def twenty_mb_of_mappings() -> dict:
    template = json.loads(json.dumps({"Resources": {"Fn": yaml_free_function()}}))
    template["Mappings"] = {f"M{i}": {f"k{j}": {"v": "x" * 40} for j in range(100)} for i in range(3700)}
    return template


def yaml_free_function() -> dict:
    return {"Type": "AWS::Lambda::Function", "Properties": {
        "Runtime": "python3.13", "Handler": "app.handler", "Role": "arn:aws:iam::123456789012:role/r",
        "Code": {"S3Bucket": "b", "S3Key": "k", "S3ObjectVersion": "1"}, "Timeout": 1800}}


@pytest.mark.slow
def test_twenty_mb_json_template_under_a_memory_limit(cwd):
    """20 MB, 1.4 million values: checked in full by the CLI in a process limited to 1 GiB (15 s)."""
    text = json.dumps(twenty_mb_of_mappings())
    assert len(text) > 20 * MB
    (cwd / "big.json").write_text(text, encoding="utf-8")
    completed, elapsed = run_cli_limited(["check", "big.json", "good.yaml", "--format", "json", "--select", "ALL"],
                                         cwd, address_space_mb=1024, timeout=60)
    assert completed.returncode == 1, completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    assert {(f["file"], f["rule"]) for f in report["findings"]} >= {("big.json", "LL2002"), ("good.yaml", "LL2002")}
    assert not [f for f in report["findings"] if f["rule"] in ("LL0001", "LL0007")]
    assert elapsed < 15


def test_twenty_mb_yaml_template_is_refused_quickly(cwd):
    """YAML over 8 MiB: one LL0001 before parsing (1 s, 64 MB beyond the text itself)."""
    text = GOOD + "Metadata:\n  Blob: " + "x" * (20 * MB) + "\n"
    (cwd / "big.yaml").write_text(text, encoding="utf-8")
    report = lint_bounded(["big.yaml", "good.yaml"], seconds=1, megabytes=64)
    assert ("big.yaml", 1, "LL0001") in found(report)
    assert "over the 8388608" in messages(report, "LL0001")[0]
    assert_good_file_reported(report)


def ten_thousand_resources() -> str:
    parts = ["Resources:"]
    for i in range(0, 10_000, 4):
        parts.append(f"""\
  Fn{i}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: !GetAtt Role{i + 1}.Arn
      Code: {{S3Bucket: b, S3Key: k{i}, S3ObjectVersion: '1'}}
      Timeout: {1 + i % 1000}
      Environment: {{Variables: {{QUEUE: !Ref Queue{i + 2}}}}}
  Role{i + 1}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {{Statement: [{{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}]}}
      Policies: [{{PolicyName: p, PolicyDocument: {{Statement: [{{Effect: Allow, Action: 'sqs:*', Resource: !GetAtt Queue{i + 2}.Arn}}]}}}}]
  Queue{i + 2}:
    Type: AWS::SQS::Queue
    Properties: {{VisibilityTimeout: 30}}
  Esm{i + 3}:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {{FunctionName: !Ref Fn{i}, EventSourceArn: !GetAtt Queue{i + 2}.Arn, BatchSize: 10}}""")
    return "\n".join(parts) + "\n"


@pytest.mark.slow
def test_ten_thousand_resources_under_a_memory_limit(cwd):
    """2,500 functions with roles, queues and mappings (2 MB): every rule, 1 GiB address space, 30 s."""
    (cwd / "many.yaml").write_text(ten_thousand_resources(), encoding="utf-8")
    completed, elapsed = run_cli_limited(["check", "many.yaml", "good.yaml", "--format", "json", "--select", "ALL"],
                                         cwd, address_space_mb=1024, timeout=120)
    assert completed.returncode == 1, completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    timeouts = [f for f in report["findings"] if f["rule"] == "LL2002" and f["file"] == "many.yaml"]
    assert len(timeouts) == sum(1 for i in range(0, 10_000, 4) if 1 + i % 1000 > 900)
    assert ("good.yaml", 9, "LL2002") in {(f["file"], f["line"], f["rule"]) for f in report["findings"]}
    assert not [f for f in report["findings"] if f["rule"] in ("LL0001", "LL0007")]
    assert elapsed < 30


# -- packages ----------------------------------------------------------------------------------

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {package}
      Handler: app.handler
      Runtime: python3.13
"""


def sam_for(cwd, name: str, package: str):
    (cwd / name).write_text(SAM.format(package=package), encoding="utf-8")


def small_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
        archive.writestr("lib/data.txt", "x" * 1000)
    return buffer.getvalue()


def test_zip_whose_directory_claims_more_than_the_file_holds(cwd):
    """A central directory entry pointing past the end of the file: LL1012, from the directory alone (2 s, 32 MB)."""
    raw = bytearray(small_zip())
    directory = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, directory + 20, 50 * MB)  # compressed size of the last entry
    (cwd / "liar.zip").write_bytes(bytes(raw))
    sam_for(cwd, "liar.yaml", "liar.zip")
    report = lint_bounded(["liar.yaml", "good.yaml"], seconds=2, megabytes=32)
    unsafe = messages(report, "LL1012")
    assert any("central directory claims" in m and "file holds only" in m for m in unsafe), report.findings
    assert_good_file_reported(report)


def million_entry_zip(path, entries: int = 1_000_000) -> None:
    """A real zip of `entries` empty files, written as bytes: local headers, central directory, zip64 end."""
    local = struct.Struct("<IHHHHHIIIHH")
    central = struct.Struct("<IHHHHHHIIIHHHHHII")
    locals_, directory = [], []
    offset = 0
    for number in range(entries):
        name = b"f%07d" % number
        header = local.pack(0x04034B50, 20, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0) + name
        directory.append(central.pack(0x02014B50, 0x314, 20, 0, 0, 0, 0x21, 0, 0, 0, len(name), 0, 0, 0, 0,
                                      0o100644 << 16, offset) + name)
        locals_.append(header)
        offset += len(header)
    body = b"".join(directory)
    zip64_end = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, entries, entries, len(body), offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, offset + len(body), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(path, "wb") as handle:
        handle.write(b"".join(locals_))
        handle.write(body)
        handle.write(zip64_end + locator + end)


@pytest.mark.slow
def test_zip_with_a_million_entries_is_refused_from_its_end_record(cwd):
    """1,000,000 entries (88 MB): one LL0004 naming the count, from the last bytes of the file (1 s, 16 MB)."""
    million_entry_zip(cwd / "million.zip")
    assert zipfile.is_zipfile(cwd / "million.zip")
    sam_for(cwd, "million.yaml", "million.zip")
    report = lint_bounded(["million.yaml", "good.yaml"], seconds=1, megabytes=16)
    unreadable = messages(report, "LL0004")
    assert unreadable and "lists 1000000 entries" in unreadable[0] and "over the 250000 entries" in unreadable[0]
    assert_good_file_reported(report)


def test_truncated_zip(cwd):
    """Cut in the middle of the central directory: LL0004, never a traceback (1 s, 16 MB)."""
    raw = small_zip()
    (cwd / "cut.zip").write_bytes(raw[: len(raw) - 40])
    sam_for(cwd, "cut.yaml", "cut.zip")
    report = lint_bounded(["cut.yaml", "good.yaml"], seconds=1, megabytes=16)
    assert any("cut.zip" in m and "not a valid zip" in m for m in messages(report, "LL0004")), report.findings
    assert_good_file_reported(report)


def test_zip64_archive_is_read_and_its_huge_claim_reported(cwd):
    """A zip64 member claiming 5 GiB from 13 bytes: indexed, and reported as a bomb and oversize (1 s, 16 MB)."""
    spec = importlib.util.spec_from_file_location(
        "zipcraft_for_bounds", os.path.join(os.path.dirname(__file__), "artifacts", "zipcraft.py"))
    zipcraft = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(zipcraft)
    raw = zipcraft.craft_zip([("app.py", b"def handler(e, c): pass\n", None, 0o100644),
                              ("blob.bin", b"0123456789abc", 5 * 1024 ** 3, 0o100644)])
    (cwd / "z64.zip").write_bytes(raw)
    sam_for(cwd, "z64.yaml", "z64.zip")
    report = lint_bounded(["z64.yaml", "good.yaml"], seconds=1, megabytes=16)
    rules = {f.rule for f in report.findings if f.file == "z64.yaml"}
    assert "LL1004" not in rules and "LL1005" not in rules  # app.handler was found in the zip64 archive
    assert "LL1002" in rules  # over Lambda's 250 MB unzipped
    assert any("blob.bin" in m for m in messages(report, "LL1012"))
    assert_good_file_reported(report)


def docker_save_with_traversal(path) -> None:
    def tar(files) -> bytes:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    layer = tar({"var/task/app.py": b"def handler(event, context):\n    return 1\n",
                 "../../etc/passwd": b"root::0:0::/root:/bin/sh\n"})
    config = {"architecture": "amd64", "os": "linux",
              "config": {"Cmd": ["app.handler"], "Entrypoint": ["/lambda-entrypoint.sh"], "WorkingDir": "/var/task"}}
    manifest = [{"Config": "config.json", "RepoTags": ["app:latest"], "Layers": ["layer/layer.tar"]}]
    path.write_bytes(tar({"config.json": json.dumps(config).encode(), "layer/layer.tar": layer,
                          "manifest.json": json.dumps(manifest).encode()}))


def test_image_tarball_with_a_parent_traversal_layer_entry(cwd):
    """A docker save tarball whose layer holds ../../etc/passwd: LL1012, nothing extracted (2 s, 32 MB)."""
    docker_save_with_traversal(cwd / "image.tar")
    (cwd / "image.yaml").write_text("""\
Resources:
  Img:
    Type: AWS::Lambda::Function
    Properties:
      PackageType: Image
      Role: arn:aws:iam::123456789012:role/r
      Code: {ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1}
""", encoding="utf-8")
    before = set(os.listdir(cwd))
    report = lint_bounded(["image.yaml", "good.yaml"], seconds=2, megabytes=32, images={"Img": "image.tar"})
    assert any("../../etc/passwd" in m for m in messages(report, "LL1012")), report.findings
    assert set(os.listdir(cwd)) == before and not (cwd.parent / "etc").exists()
    assert_good_file_reported(report)


def test_a_template_over_the_size_limit_is_the_same_ll0001_on_disk_and_in_an_editor_buffer(cwd):
    from lambdalint.loading import MAX_TEMPLATE_BYTES

    head = "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n#"
    text = head + "x" * (MAX_TEMPLATE_BYTES + 1 - len(head))
    (cwd / "template.yaml").write_text(text, encoding="utf-8")
    linter = Linter()
    on_disk = linter.check_file("template.yaml").findings
    in_buffer = linter.check_buffer(str(cwd / "template.yaml"), text).findings
    assert [(f.file, f.line, f.column, f.rule, f.message) for f in on_disk] == [
        ("template.yaml", 1, 1, "LL0001", f"file is {MAX_TEMPLATE_BYTES + 1} bytes, over the {MAX_TEMPLATE_BYTES} "
                                          "byte limit for a template")]
    assert in_buffer == on_disk
