"""`sam build` as its users see it (issue 15, item 7), on the real build in fixtures/real/sam-app.

The app (fixtures/real/sam-app/template.yaml) was built by aws-sam-cli without a container
(tools/real_fixtures/sam.py); its planted defects are found in the build output and reported
at the source template's lines, whether `.`, the app folder or `.aws-sam/build` is checked.
"""

from __future__ import annotations

import os

import pytest

from real_fixtures import check_json, copy_fixture, found, set_built_after_source

SOURCE = "sam-app/template.yaml"
# (line, rule, resource) of the planted defects, read from the build output
BUILD_FINDINGS = [
    (SOURCE, 28, "LL1007", "DepsLayer"),   # x86_64 wheel in the layer of arm64 OrdersFn
    (SOURCE, 38, "LL1007", "ThumbsFn"),    # npm's linux-x64 addon for an arm64 function
    (SOURCE, 47, "LL1005", "ReportsFn"),   # handler app.missing
]


@pytest.fixture
def app(tmp_path, monkeypatch):
    folder = copy_fixture("sam-app", tmp_path)
    set_built_after_source(folder)
    monkeypatch.chdir(tmp_path)
    return folder


def errors(report):
    return [item for item in found(report) if item[2] != "LL2007"]


def test_checking_the_project_reads_the_build_and_reports_at_the_source_lines(app):
    report = check_json(".", "--select", "LL1")
    assert errors(report) == BUILD_FINDINGS
    assert report["summary"]["unchecked"] == []  # a fresh build is read: nothing left out
    layer = next(item for item in report["findings"] if item["resource"] == "DepsLayer")
    assert layer["artifact"] == {"package": "sam-app/.aws-sam/build/DepsLayer",
                                 "member": "python/markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so"}
    assert "function OrdersFn runs on arm64" in layer["message"]
    thumbs = next(item for item in report["findings"] if item["resource"] == "ThumbsFn")
    assert thumbs["artifact"]["member"] == "node_modules/@node-rs/crc32-linux-x64-gnu/crc32.linux-x64-gnu.node"


@pytest.mark.parametrize("named", ["sam-app", "sam-app/.aws-sam/build", "sam-app/.aws-sam"])
def test_the_build_folder_maps_back_to_the_source_template(app, named):
    assert errors(check_json(named, "--select", "LL1")) == BUILD_FINDINGS


def test_inside_the_build_folder_the_source_template_is_checked(app, monkeypatch):
    monkeypatch.chdir(os.path.join(app, ".aws-sam", "build"))
    assert [(line, rule, resource) for _, line, rule, resource in errors(check_json(".", "--select", "LL1"))] == \
        [(line, rule, resource) for _, line, rule, resource in BUILD_FINDINGS]


def test_a_build_older_than_the_template_is_not_read(app):
    set_built_after_source(app, built_later=False)
    # only what the source folders show: the handler; the wheels are not installed there
    report = check_json(".", "--select", "LL1")
    assert errors(report) == [(SOURCE, 47, "LL1005", "ReportsFn")]
    # said once: each function's deployed (built) package was not the one read
    assert {(entry["resource"], entry["reason"]) for entry in report["summary"]["unchecked"]} == {
        (name, "sam-build-stale") for name in ("HealthFn", "OrdersFn", "ReportsFn", "ThumbsFn")}
    # and the build folder named explicitly is checked as the template it is
    built = errors(check_json("sam-app/.aws-sam/build", "--select", "LL1"))
    assert {item[0] for item in built} == {"sam-app/.aws-sam/build/template.yaml"}
    assert [item[2:] for item in built] == [item[2:] for item in BUILD_FINDINGS]


def test_a_build_of_another_template_is_not_read(app):
    path = os.path.join(app, "template.yaml")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace("  HealthFn:", "  StatusFn:"))  # a function renamed since the build
    set_built_after_source(app)
    assert errors(check_json(".", "--select", "LL1")) == [(SOURCE, 47, "LL1005", "ReportsFn")]


def test_ll1002_says_how_much_is_the_function_and_how_much_each_layer(app):
    # The real build is small; a sparse file (no disk used) makes the layer 300 MiB.
    site = os.path.join(app, ".aws-sam", "build", "DepsLayer", "python", "blob.bin")
    with open(site, "wb") as handle:
        handle.truncate(300 * 1024 * 1024)
    report = check_json(".", "--select", "LL1002")
    assert found(report) == [(SOURCE, 18, "LL1002", "OrdersFn")]
    assert report["findings"][0]["message"] == (
        "function OrdersFn: package and layers take 300.2 MB unzipped (function 0.1 MB, layer DepsLayer 300.1 MB); "
        "the limit is 250.0 MB")
