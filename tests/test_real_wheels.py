"""Real wheels (issue 15, item 12): fixtures/real/wheels holds wheels fetched with `pip download
--platform` and installed with `pip install --target` (tools/real_fixtures/wheels.py)."""

from __future__ import annotations

import pytest

from lambdalint import data
from real_fixtures import check_json, copy_fixture, found

SOURCE = "wheels/template.yaml"


@pytest.fixture
def report(tmp_path, monkeypatch):
    copy_fixture("wheels", tmp_path)
    monkeypatch.chdir(tmp_path)
    return check_json("wheels", "--select", "LL1")


def test_each_planted_wheel_is_one_error_at_its_function(report):
    assert found(report) == [
        (SOURCE, 12, "LL1022", "MuslFn"),
        (SOURCE, 19, "LL1022", "NewGlibcOnAl2Fn"),
        (SOURCE, 33, "LL1007", "X86WheelsOnArmFn"),
    ]
    # the same manylinux_2_34 wheel on python3.12 (Amazon Linux 2023, glibc 2.34) and the
    # manylinux2014 x86_64 wheel on an x86_64 function are fine


def test_the_messages_name_the_wheel_its_tag_and_the_runtime_os(report):
    messages = {item["resource"]: item for item in report["findings"]}
    assert messages["MuslFn"]["message"] == (
        "1 wheel in wheels/installed/musl built for musl libc (MarkupSafe-3.0.2 cp312-cp312-musllinux_1_2_x86_64): "
        "it does not load on Amazon Linux 2023's glibc (python3.12)")
    assert messages["MuslFn"]["artifact"] == {"package": "wheels/installed/musl",
                                              "member": "MarkupSafe-3.0.2.dist-info/WHEEL"}
    assert messages["NewGlibcOnAl2Fn"]["message"] == (
        "1 wheel in wheels/installed/glibc234 needs glibc 2.34 (bcrypt-4.3.0 cp39-abi3-manylinux_2_34_x86_64); "
        "python3.11 runs on Amazon Linux 2 with glibc 2.26")
    assert messages["X86WheelsOnArmFn"]["artifact"]["member"] == "markupsafe/_speedups.cpython-312-x86_64-linux-gnu.so"


@pytest.mark.parametrize("runtime,system,glibc", [
    ("python3.9", "Amazon Linux 2", (2, 26)), ("python3.11", "Amazon Linux 2", (2, 26)),
    ("nodejs18.x", "Amazon Linux 2", (2, 26)), ("java17", "Amazon Linux 2", (2, 26)),
    ("python3.12", "Amazon Linux 2023", (2, 34)), ("nodejs22.x", "Amazon Linux 2023", (2, 34)),
    ("provided.al2023", "Amazon Linux 2023", (2, 34)), ("provided.al2", "Amazon Linux 2", (2, 26)),
])
def test_runtimes_know_their_os_and_glibc(runtime, system, glibc):
    assert data.runtime_glibc(runtime) == (system, glibc)


def test_a_runtime_of_unknown_os_has_no_glibc():
    assert data.runtime_glibc("python3.7") is None and data.runtime_glibc("python9.9") is None
