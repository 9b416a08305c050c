"""Container images as umoci and skopeo make them (issue 15, items 8-11 and 13).

fixtures/real/images/layout is one OCI layout holding three tags (tools/real_fixtures/images.py);
layout-zstd holds one of them again with zstd-compressed layers (skopeo copy
--dest-compress-format zstd). The template beside them has four image functions.
"""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.model.packages import reset_package_cache
from real_fixtures import check_json, copy_fixture, found

SOURCE = "images/template.yaml"
EVERY_TAG = ["--image", "OrdersImageFn=images/layout:orders-arm64", "--image", "ReportsImageFn=images/layout:reports",
             "--image", "WebFn=images/layout:web", "--image", "WorkerFn=images/layout:web"]


@pytest.fixture(autouse=True)
def images(tmp_path, monkeypatch):
    copy_fixture("images", tmp_path)
    monkeypatch.chdir(tmp_path)
    reset_package_cache()  # each test opens the images afresh (the zstd tests change what can read them)
    yield
    reset_package_cache()


def test_each_tag_is_read_for_its_function_and_the_planted_defects_are_found():
    report = check_json("images", "--select", "LL0,LL1", *EVERY_TAG)
    assert found(report) == [
        (SOURCE, 15, "LL1007", "OrdersImageFn"),   # x86_64 library in /var/task of an arm64 image
        (SOURCE, 22, "LL1005", "ReportsImageFn"),  # CMD app.missing; app.py defines handler
        (SOURCE, 38, "LL1019", "WorkerFn"),        # ImageConfig.Command runs a plain script
    ]
    messages = {item["resource"]: item["message"] for item in report["findings"]}
    assert messages["OrdersImageFn"] == (
        "1 native binary in image images/layout:orders-arm64 (/var/task and /opt) built for x86_64, but function "
        "OrdersImageFn runs on arm64: var/task/markupsafe/_speedups.cpython-312-x86_64-linux-gnu.so")
    assert messages["ReportsImageFn"] == ("handler 'app.missing' (the image's CMD): var/task/app.py in image "
                                          "images/layout:reports does not define 'missing'")
    # LL1019 quotes what the function runs (its ImageConfig.Command), not the image's CMD
    assert messages["WorkerFn"] == ("image images/layout:web runs 'python3 worker.py' without a Lambda runtime "
                                    "interface client: it never receives events")
    # WebFn's ImageConfig runs `python3 -m awslambdaric app.handler` on the same image: nothing to say
    assert report["summary"]["unchecked"] == []


def test_several_tags_and_no_tag_is_ll0004_listing_the_tags():
    report = check_json("images", "--select", "LL0,LL1", "--image", "OrdersImageFn=images/layout")
    assert found(report) == [(SOURCE, 15, "LL0004", "OrdersImageFn")]
    assert report["findings"][0]["message"] == (
        "image given for OrdersImageFn cannot be read: images/layout: the layout holds 3 tagged images "
        "(orders-arm64, reports, web): choose one with --image LOGICAL_ID=PATH:TAG")


def test_a_tag_the_layout_does_not_hold_is_ll0004_listing_the_tags():
    report = check_json("images", "--select", "LL0", "--image", "ReportsImageFn=images/layout:v2")
    assert [item["message"] for item in report["findings"]] == [
        "image given for ReportsImageFn cannot be read: images/layout: no image tagged 'v2' "
        "(tags: orders-arm64, reports, web)"]


def test_the_function_imageconfig_command_replaces_the_image_cmd_for_the_handler(tmp_path):
    template = tmp_path / "images" / "template.yaml"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace(
        "      ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/reports:1\n",
        "      ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/reports:1\n"
        "      ImageConfig:\n        Command: [app.handler]\n"), encoding="utf-8")
    report = check_json("images", "--select", "LL1005", "--image", "ReportsImageFn=images/layout:reports")
    assert found(report) == []


def test_image_with_an_unknown_logical_id_is_a_usage_error_naming_the_image_functions():
    result = CliRunner().invoke(main, ["check", "images", "--image", "OrderFn=images/layout:orders-arm64"])
    assert result.exit_code == 2
    assert ("--image OrderFn: no image function OrderFn in the checked templates (image functions: "
            "OrdersImageFn, ReportsImageFn, WebFn, WorkerFn)") in result.output


def _zstd_decoder() -> bool:
    try:
        from compression import zstd  # noqa: F401
        return True
    except ImportError:
        pass
    try:
        import zstandard  # noqa: F401
        return True
    except ImportError:
        return False


@pytest.mark.skipif(not _zstd_decoder(), reason="no zstd decoder (pip install zstandard)")
def test_zstd_layers_are_read_like_gzip_ones():
    report = check_json("images", "--select", "LL1", "--image", "OrdersImageFn=images/layout-zstd:orders-arm64")
    assert found(report) == [(SOURCE, 15, "LL1007", "OrdersImageFn")]
    assert "images/layout-zstd:orders-arm64" in report["findings"][0]["message"]
    assert {item["reason"] for item in report["summary"]["unchecked"]} == {"image-not-given"}


def test_without_a_zstd_decoder_the_run_says_the_layers_were_not_read(monkeypatch):
    monkeypatch.setitem(sys.modules, "zstandard", None)  # importing it raises ImportError
    monkeypatch.setitem(sys.modules, "compression", None)
    args = ["images", "--select", "LL1", "--image", "OrdersImageFn=images/layout-zstd:orders-arm64"]
    report = check_json(*args)
    assert found(report) == []  # nothing concluded from an image whose files were not read
    assert {"resource": "OrdersImageFn", "origin": None, "reason": "zstd-layers-not-read"} in \
        report["summary"]["unchecked"]
    reset_package_cache()
    text = CliRunner().invoke(main, ["check", *args]).output
    assert text.rstrip().splitlines()[-1] == (
        "code not inspected for 4 of 4 functions: 3 image not given (--image), "
        "1 image with zstd layers not read (pip install zstandard)")


def _with_command(tmp_path, image_uri: str, lines: str) -> None:
    template = tmp_path / "images" / "template.yaml"
    text = template.read_text(encoding="utf-8")
    old = f"      ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/{image_uri}\n"
    assert old in text
    template.write_text(text.replace(old, old + lines, 1), encoding="utf-8")


def test_a_handler_file_missing_from_the_task_root_is_ll1004(tmp_path):
    # the reports image runs /lambda-entrypoint.sh; /var/task holds app.py, not ledger.py
    _with_command(tmp_path, "reports:1", "      ImageConfig:\n        Command: [ledger.handler]\n")
    report = check_json("images", "--select", "LL1004,LL1005", "--image", "ReportsImageFn=images/layout:reports")
    assert found(report) == [(SOURCE, 24, "LL1004", "ReportsImageFn")]
    assert report["findings"][0]["message"] == (
        "handler 'ledger.handler' (ImageConfig.Command): no ledger.py or ledger/__init__.py in /var/task "
        "of image images/layout:reports")
    assert report["findings"][0]["artifact"] == {"package": "images/layout:reports", "member": "var/task/ledger.py"}


def test_a_runtime_interface_client_looks_in_its_working_folder(tmp_path):
    # WebFn runs `python3 -m awslambdaric`: its handler file must be in /app, the image's working folder
    template = tmp_path / "images" / "template.yaml"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("        Command: [app.handler]\n", "        Command: [billing.handler]\n"),
                        encoding="utf-8")
    report = check_json("images", "--select", "LL1004", "--image", "WebFn=images/layout:web")
    assert [item["message"] for item in report["findings"]] == [
        "handler 'billing.handler' (ImageConfig.Command): no billing.py or billing/__init__.py in /app "
        "of image images/layout:web"]


def test_the_handler_files_that_are_there_say_nothing():
    assert found(check_json("images", "--select", "LL1004", *EVERY_TAG)) == []


def test_an_entrypoint_that_is_no_runtime_is_not_judged(tmp_path):
    # `python3 ledger.handler` is the image's own business, whatever CMD means to it
    template = tmp_path / "images" / "template.yaml"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("EntryPoint: [python3, -m, awslambdaric]", "EntryPoint: [python3]").replace(
        "        Command: [app.handler]\n", "        Command: [ledger.handler]\n"), encoding="utf-8")
    report = check_json("images", "--select", "LL0,LL1004", "--image", "WebFn=images/layout:web")
    assert found(report) == []


@pytest.mark.parametrize("command", [
    "example.Handler::handleRequest",  # a Java handler on the base entrypoint: no Python or Node.js module
    "!Ref AWS::StackName",             # behind an intrinsic: what runs is not known
])
def test_a_command_that_is_not_a_script_handler_is_not_judged(tmp_path, command):
    _with_command(tmp_path, "reports:1", f"      ImageConfig:\n        Command: [{command}]\n")
    report = check_json("images", "--select", "LL0,LL1004", "--image", "ReportsImageFn=images/layout:reports")
    assert found(report) == []
