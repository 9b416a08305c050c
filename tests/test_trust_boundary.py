"""A template cannot make lambdalint read outside its project (docs/robustness.md, "Trust boundary").

Every case builds a project in tmp_path and an "outside" folder beside it that holds a file
with a unique name. A package path that leads outside (absolute, climbing, through a symlink
of a folder or a file, a CDK asset in the temp folder) gives one LL0004 that quotes only the
template's value and one `summary.unchecked` entry; nothing from the outside folder reaches
any output format. Paths inside the git work tree (monorepo siblings) and configured
`artifact-roots` are read as before.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import tempfile
import textwrap

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fixture_runner import FIXTURE_TODAY, built_fixture
from lambdalint.api import Linter
from lambdalint.artifacts import folder_package
from lambdalint.boundary import TrustBoundary, git_work_tree, project_root, real_path, remembered_real_paths
from lambdalint.cli import main
from lambdalint.config import Config
from lambdalint.model import packages as packages_model
from packagecraft import write_zip
from repo_paths import FIXTURES, REPO

SECRET = "zz_secret_credentials_4f1c9a.txt"  # the name that must never appear in any output
HANDLER = "def handler(event, context):\n    return 1\n"
FORMATS = ("text", "json", "sarif", "junit", "github")


@pytest.fixture(autouse=True)
def fresh_cache():
    packages_model.reset_package_cache()
    yield
    packages_model.reset_package_cache()


@pytest.fixture
def outside(tmp_path):
    """A folder outside the project with files a package rule would report (sizes, a .pyc, a secret)."""
    folder = tmp_path / "outside"
    (folder / "__pycache__").mkdir(parents=True)
    (folder / SECRET).write_text("aws_secret_access_key = x\n")
    (folder / "__pycache__" / "zz_cached_4f1c9a.cpython-311.pyc").write_bytes(b"\0" * 5000)
    (folder / "zz_link_4f1c9a").symlink_to("/etc")
    write_zip(folder / "zz_outside_4f1c9a.zip", {SECRET: "x", "app.py": HANDLER})
    return folder


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A git work tree (a `.git` folder) to run in; the outside folder is its sibling."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text(HANDLER)
    monkeypatch.chdir(root)
    return root


def sam(folder: pathlib.Path, functions: dict, name: str = "template.yaml") -> pathlib.Path:
    """A SAM template with one python function per (logical ID, CodeUri)."""
    body = "".join(
        f"  {logical_id}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        f"      Runtime: python3.13\n      Handler: app.handler\n      CodeUri: {json.dumps(code)}\n"
        for logical_id, code in functions.items()
    )
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n" + body, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def json_report(*args: str) -> dict:
    return json.loads(run(*args, "--select", "ALL", "--format", "json").stdout)


def outside_findings(report: dict):
    return [f for f in report["findings"] if f["rule"] == "LL0004" and "outside the project" in f["message"]]


def assert_refused(report: dict, written: str, resource: str = "Fn") -> None:
    """One LL0004 naming the value as written, one unchecked entry, and no package finding at all."""
    refused = [f for f in outside_findings(report) if f["resource"] == resource]
    assert [f["message"].split(" is outside")[0] for f in refused] == [repr(written)]
    assert "artifact-roots" in refused[0]["message"]
    assert {"resource": resource, "origin": None, "reason": "outside-project"} in report["summary"]["unchecked"]
    assert not [f for f in report["findings"] if f["rule"].startswith("LL1") and f["resource"] == resource]


# -- what is refused ---------------------------------------------------------------------


def test_an_absolute_path_is_not_read(project):
    sam(project, {"Fn": "/usr"})
    report = json_report("template.yaml")
    assert_refused(report, "/usr")
    assert "lib" not in json.dumps(report["findings"])  # nothing of /usr's content is named


def test_a_path_climbing_past_the_root_is_not_read(project, outside):
    climbing = "../../../../../../../../../../etc"
    sam(project, {"Fn": climbing, "Out": "../outside"})
    report = json_report("template.yaml")
    assert_refused(report, climbing)
    assert_refused(report, "../outside", "Out")


def test_a_cloudformation_code_path_into_proc_is_not_read(project):
    (project / "template.yaml").write_text(textwrap.dedent("""\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.13
              Handler: app.handler
              Role: arn:aws:iam::123456789012:role/r
              Code: /proc
        """))
    report = json_report("template.yaml")
    assert_refused(report, "/proc")
    assert len(report["findings"]) < 20  # not one finding per process


def test_a_symlinked_folder_leading_out_is_not_read(project, outside):
    (project / "linked").symlink_to(outside, target_is_directory=True)
    sam(project, {"Fn": "linked", "Deeper": "linked/__pycache__"})
    report = json_report("template.yaml")
    assert_refused(report, "linked")
    assert_refused(report, "linked/__pycache__", "Deeper")


def test_a_symlinked_file_leading_out_is_not_read(project, outside):
    (project / "app.zip").symlink_to(outside / "zz_outside_4f1c9a.zip")
    sam(project, {"Fn": "app.zip"})
    assert_refused(json_report("template.yaml"), "app.zip")


def test_a_symlink_deep_inside_a_folder_package_is_never_followed(project, outside):
    (project / "src" / "vendor").mkdir()
    (project / "src" / "vendor" / "escape").symlink_to(outside, target_is_directory=True)
    sam(project, {"Fn": "src"})
    report = json_report("template.yaml")
    assert not outside_findings(report)  # the package itself is inside: it is read
    unsafe = [f for f in report["findings"] if f["rule"] == "LL1012"]
    assert [f["artifact"]["member"] for f in unsafe] == ["vendor/escape"]  # one member, not descended
    assert SECRET not in json.dumps(report)


def test_a_cdk_asset_in_the_system_temp_folder_is_not_read(project, outside):
    """`cdk synth --no-staging` writes asset paths that point where the code was, e.g. a temp build folder."""
    staged = tempfile.mkdtemp(prefix="cdk-asset-")
    try:
        (pathlib.Path(staged) / SECRET).write_text("x")
        cdk_out = project / "cdk.out"
        cdk_out.mkdir()
        (cdk_out / "cdk.out").write_text('{"version": "36.0.0"}')
        (cdk_out / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {"AppStack": {
            "type": "aws:cloudformation:stack", "properties": {"templateFile": "AppStack.template.json"}}}}))
        (cdk_out / "AppStack.template.json").write_text(json.dumps({"Resources": {"Fn": {
            "Type": "AWS::Lambda::Function",
            "Properties": {"Runtime": "python3.13", "Handler": "app.handler", "Role": "arn:aws:iam::1:role/r",
                           "Code": {"S3Bucket": "b", "S3Key": "k.zip"}},
            "Metadata": {"aws:asset:path": staged, "aws:asset:property": "Code"}}}}))
        report = json_report("cdk.out")
        assert_refused(report, staged)
        assert SECRET not in json.dumps(report)
    finally:
        shutil.rmtree(staged)


def _cdk_stack(timeout: int) -> str:
    return json.dumps({"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
        "Runtime": "python3.13", "Handler": "app.handler", "Role": "arn:aws:iam::1:role/r", "Timeout": timeout,
        "Code": {"S3Bucket": "b", "S3Key": "k.zip"}}}}})


def test_a_cdk_manifest_cannot_name_templates_outside_its_assembly(project, outside):
    (outside / "Evil.template.json").write_text(_cdk_stack(7777))
    (outside / "manifest.json").write_text(json.dumps({"artifacts": {"Nested": {
        "type": "aws:cloudformation:stack", "properties": {"templateFile": "Evil.template.json"}}}}))
    cdk_out = project / "cdk.out"
    cdk_out.mkdir()
    (cdk_out / "cdk.out").write_text("{}")
    (cdk_out / "Own.template.json").write_text(_cdk_stack(900))
    (cdk_out / "Linked.template.json").symlink_to(outside / "Evil.template.json")
    (cdk_out / "manifest.json").write_text(json.dumps({"version": "36.0.0", "artifacts": {
        "Own": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Own.template.json"}},
        "Climbing": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../../outside/Evil.template.json"}},
        "Linked": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Linked.template.json"}},
        "Stage": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "../../outside"}}}}))
    report = json.loads(run("cdk.out", "--select", "LL2002", "--format", "json").stdout)
    assert report["summary"]["files"] == 1 and report["findings"] == []  # only Own, whose timeout is fine
    (cdk_out / "manifest.json").write_text("{}")  # no artifacts: every *.template.json of the folder
    report = json.loads(run("cdk.out", "--select", "LL2002", "--format", "json").stdout)
    assert report["summary"]["files"] == 1 and "Evil" not in json.dumps(report)


def test_outside_is_said_the_same_whether_or_not_the_path_exists(project, tmp_path):
    sam(project, {"Fn": str(tmp_path / "outside-and-missing"), "Other": str(tmp_path)})
    messages = sorted(f["message"].split("' ", 1)[1] for f in outside_findings(json_report("template.yaml")))
    assert len(messages) == 2 and messages[0] == messages[1]  # no oracle for what exists out there


def test_a_layer_outside_is_refused_too(project):
    (project / "template.yaml").write_text(textwrap.dedent("""\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Libs:
            Type: AWS::Serverless::LayerVersion
            Properties:
              ContentUri: /usr/lib
        """))
    refused = outside_findings(json_report("template.yaml"))
    assert [(f["resource"], f["line"]) for f in refused] == [("Libs", 6)]


# -- what is still read ------------------------------------------------------------------


def test_a_monorepo_sibling_inside_the_work_tree_is_read(project):
    (project / "shared" / "src").mkdir(parents=True)
    (project / "shared" / "src" / "other.py").write_text(HANDLER)  # no app.py: LL1004 proves it was read
    sam(project / "services" / "api", {"Fn": "../../shared/src"})
    report = json_report("services/api/template.yaml")
    assert not outside_findings(report) and report["summary"]["unchecked"] == []
    assert any(f["rule"] == "LL1004" and f["resource"] == "Fn" for f in report["findings"])


def test_a_git_worktree_or_submodule_is_found_by_its_git_file(tmp_path):
    (tmp_path / "checkout" / "infra").mkdir(parents=True)
    (tmp_path / "checkout" / ".git").write_text("gitdir: /elsewhere/.git/worktrees/checkout\n")
    assert git_work_tree(str(tmp_path / "checkout" / "infra")) == str(tmp_path / "checkout")
    assert project_root(str(tmp_path / "checkout" / "infra"), given=str(tmp_path / "checkout" / "infra")) == str(
        tmp_path / "checkout")


def test_without_git_the_folder_given_is_the_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app" / "src").mkdir(parents=True)
    (tmp_path / "app" / "src" / "app.py").write_text(HANDLER)
    sam(tmp_path / "app" / "infra", {"Fn": "../src"})
    assert not outside_findings(json_report("app"))  # the folder given holds both
    refused = outside_findings(json_report("app/infra/template.yaml"))  # a file: its folder is the root
    assert [f["resource"] for f in refused] == ["Fn"]


def test_a_configured_artifact_root_is_read(project, tmp_path):
    builds = tmp_path / "builds" / "fn"
    builds.mkdir(parents=True)
    (builds / "other.py").write_text(HANDLER)
    sam(project, {"Fn": str(builds), "Rel": "../builds/fn", "Out": "../elsewhere"})
    (project / ".lambdalint.yaml").write_text("artifact-roots: [../builds]\n")
    report = json_report("template.yaml")
    assert [f["resource"] for f in outside_findings(report)] == ["Out"]
    read = {f["resource"] for f in report["findings"] if f["rule"] == "LL1004"}
    assert read == {"Fn", "Rel"}  # both spellings reach the configured root and are read


def test_artifact_roots_must_be_a_list_of_paths(project):
    (project / ".lambdalint.yaml").write_text("artifact-roots: ../builds\n")
    result = run("template.yaml")
    assert result.exit_code == 2 and "LL0005" in result.stderr and "artifact-roots" in result.stderr


def test_artifact_roots_from_setup_cfg_are_relative_to_it(project):
    (project / "setup.cfg").write_text("[lambdalint]\nartifact-roots =\n    ../builds\n    /opt/shared\n")
    from lambdalint.config import load_config

    config = load_config(str(project / "setup.cfg"))
    assert config.artifact_roots == (str(project.parent / "builds"), "/opt/shared")


def test_an_image_given_on_the_command_line_is_trusted(project, tmp_path):
    from packagecraft import write_oci_image

    image = write_oci_image(tmp_path / "images" / "fn.oci", cmd=["app.handler"])
    (project / "template.yaml").write_text(textwrap.dedent("""\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              PackageType: Image
              Role: arn:aws:iam::123456789012:role/r
              Code: {ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fn:1}
        """))
    report = json_report("template.yaml", "--image", f"Fn={image}")
    assert not outside_findings(report) and report["summary"]["unchecked"] == []
    unread = json_report("template.yaml")
    assert unread["summary"]["unchecked"] == [{"resource": "Fn", "origin": None, "reason": "image-not-given"}]


# -- bounds on size ------------------------------------------------------------------------


def test_a_huge_folder_is_one_ll0004_not_a_long_walk(project, monkeypatch):
    monkeypatch.setattr(folder_package, "MAX_FOLDER_ENTRIES", 50)
    modules = project / "node_modules"
    for number in range(60):
        (modules / f"pkg{number}").mkdir(parents=True)
    sam(project, {"Fn": "."})
    report = json_report("template.yaml")
    unreadable = [f for f in report["findings"] if f["rule"] == "LL0004"]
    assert len(unreadable) == 1 and "more than 50 entries" in unreadable[0]["message"]
    assert str(project) not in unreadable[0]["message"]


def test_a_deeply_nested_folder_is_one_ll0004(project, monkeypatch):
    monkeypatch.setattr(folder_package, "MAX_FOLDER_DEPTH", 3)
    (project / "src" / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)
    sam(project, {"Fn": "src"})
    unreadable = [f for f in json_report("template.yaml")["findings"] if f["rule"] == "LL0004"]
    assert len(unreadable) == 1 and "deeper than 3 levels" in unreadable[0]["message"]


def test_the_real_bound_matches_the_zip_bound():
    from lambdalint.artifacts.zip_package import MAX_ZIP_MEMBERS

    assert folder_package.MAX_FOLDER_ENTRIES == MAX_ZIP_MEMBERS == 250_000


def test_git_is_never_part_of_a_folder_package(project):
    (project / ".git" / "objects").mkdir()
    (project / ".git" / "objects" / "pack.bin").write_bytes(b"\0" * 300_000)
    (project / "src" / "vendored").mkdir()
    (project / "src" / "vendored" / ".git").write_text("gitdir: ../../.git/modules/vendored\n")
    (project / "app.py").write_text(HANDLER)
    sam(project, {"Fn": "."})
    report = json_report("template.yaml")
    assert not [f for f in report["findings"] if ".git" in json.dumps(f)]
    package = folder_package.open_folder(str(project))
    assert not [name for name in package.names() if ".git" in name.split("/")]


# -- nothing from outside reaches any output ------------------------------------------------


@pytest.mark.parametrize("format_name", FORMATS)
def test_no_output_format_names_anything_outside(project, outside, format_name):
    (project / "linked").symlink_to(outside, target_is_directory=True)
    (project / "app.zip").symlink_to(outside / "zz_outside_4f1c9a.zip")
    sam(project, {"Absolute": str(outside), "Climbing": "../outside", "Folder": "linked",
                  "File": "app.zip", "Inside": "src"})
    result = run("template.yaml", "--select", "ALL", "--format", format_name)
    assert result.exit_code == 1
    output = result.stdout + result.stderr
    for name in (SECRET, "zz_cached_4f1c9a", "zz_link_4f1c9a", "zz_outside_4f1c9a", "aws_secret"):
        assert name not in output
    # only the template's own values name the outside folder; the runner's path of the project never appears
    assert str(project) not in output
    if format_name == "json":
        unchecked = json.loads(result.stdout)["summary"]["unchecked"]
        assert sorted(entry["resource"] for entry in unchecked) == ["Absolute", "Climbing", "File", "Folder"]


def test_text_output_says_once_what_was_not_inspected(project):
    sam(project, {"Fn": "/usr", "Inside": "src", "Other": "/etc"})
    lines = run("template.yaml", "--select", "LL0004").stdout.splitlines()
    assert lines[-1] == "code not inspected for 2 of 3 functions: 2 outside the project"
    assert sum("not inspected" in line for line in lines) == 1


def test_projects_with_their_own_configs_are_summed_up_together(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / ".lambdalint.yaml").write_text("select: [LL0004]\n")
        sam(tmp_path / name, {f"Fn{name}": "/usr", f"In{name}": "."})
    report = json.loads(run("a", "b", "--format", "json").stdout)
    assert [entry["resource"] for entry in report["summary"]["unchecked"]] == ["Fna", "Fnb"]
    assert run("a", "b").stdout.splitlines()[-1] == "code not inspected for 2 of 4 functions: 2 outside the project"


def test_quiet_text_output_leaves_the_line_out_with_the_summary(project):
    sam(project, {"Fn": "/usr"})
    result = run("template.yaml", "--select", "LL0004", "--quiet")
    assert "LL0004" in result.stdout and "not inspected" not in result.stdout


def test_text_output_has_no_such_line_when_everything_was_inspected(project):
    sam(project, {"Inside": "src"})
    assert "not inspected" not in run("template.yaml").stdout


# -- no absolute paths in messages ------------------------------------------------------


@pytest.mark.slow
def test_rule_fixtures_run_from_another_folder_print_no_absolute_path(tmp_path, monkeypatch):
    """Package paths are relative to the current folder when below it, else to the project root."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    fixtures = sorted(path for path in (FIXTURES / "rules").glob("LL*/*")
                      if path.name.startswith(("bad_", "good_")) and path.suffix in (".yaml", ".yml", ".json"))
    checked = 0
    for fixture in fixtures:
        packages_model.reset_package_cache()
        with built_fixture(fixture) as (target, extra):
            options = dict(select=("ALL",), today=FIXTURE_TODAY, **extra)
            if (target.parent / "rules").is_dir():
                options["rules_dirs"] = (str(target.parent / "rules"),)
            runner_paths = {str(target.parent), os.path.realpath(target.parent), str(REPO), str(elsewhere),
                            os.path.realpath(REPO)}
            for finding in Linter(Config(**options)).lint_file(str(target)):
                shown = [finding.message] + ([finding.artifact.package] if finding.artifact else [])
                for text in shown:
                    assert not any(path in text for path in runner_paths), (fixture.name, text)
                checked += finding.rule.startswith(("LL0004", "LL1"))
    assert checked > 50  # the package rules really ran and reported


def test_a_package_outside_the_current_folder_is_shown_relative_to_the_project(project, tmp_path, monkeypatch):
    (project / "src" / "app.py").unlink()
    (project / "src" / "other.py").write_text(HANDLER)
    sam(project / "infra", {"Fn": "../src"})
    monkeypatch.chdir(project / "infra")
    report = json_report("template.yaml")
    missing = [f for f in report["findings"] if f["rule"] == "LL1004"]
    assert missing and missing[0]["artifact"]["package"] == "src"


# -- the boundary itself ---------------------------------------------------------------------


SEGMENTS = st.lists(st.sampled_from(["a", "b", "..", ".", "src", "node_modules"]), max_size=8)


@given(SEGMENTS)
def test_admits_exactly_the_paths_that_stay_below_the_root(segments):
    """Without symlinks, a path is admitted iff its normalised form lies below the root."""
    root = os.path.join(tempfile.gettempdir(), "trust-boundary-property", "project")
    boundary = TrustBoundary([root])
    path = os.path.join(root, *segments)
    expected = os.path.normpath(path) == root or os.path.normpath(path).startswith(root + os.sep)
    assert boundary.admits(path) is expected


@given(st.text(max_size=40))
def test_display_is_never_absolute(text):
    boundary = TrustBoundary([os.path.join(tempfile.gettempdir(), "trust-boundary-property")])
    for candidate in (text, os.path.join(tempfile.gettempdir(), "x", text), "/" + text):
        if "\0" in candidate:
            continue
        assert not os.path.isabs(boundary.display(candidate))


def test_a_nul_byte_is_never_admitted(tmp_path):
    assert not TrustBoundary([str(tmp_path)]).admits(str(tmp_path / "a\0b"))


_NAMES = ["a", "b", "c"]
_LINK_TARGETS = ["a", "../a", "../..", "b/c", "missing", "/", ".", "loop"]


@settings(max_examples=60, deadline=None)
@given(links=st.dictionaries(st.sampled_from(["a/b", "b", "c", "a/c/b", "loop", "b/a"]),
                             st.sampled_from(_LINK_TARGETS), max_size=4),
       queries=st.lists(st.lists(st.sampled_from(_NAMES + ["loop", "missing", ".", "..", ""]), min_size=0,
                                 max_size=4), min_size=1, max_size=12))
def test_a_run_remembering_real_paths_finds_what_realpath_finds(links, queries):
    """The run-long memory of real paths answers as os.path.realpath does, whatever the order of
    the questions, through symlinks relative and absolute, dangling and looping, and for paths
    written with `.`, `..` and doubled slashes."""
    with tempfile.TemporaryDirectory() as temp:
        root = os.path.realpath(temp)
        for folder in ("a/b/c", "a/c", "b", "c/a"):
            os.makedirs(os.path.join(root, folder), exist_ok=True)
        for link, target in sorted(links.items(), key=lambda item: -item[0].count("/")):
            path = os.path.join(root, link)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            elif os.path.lexists(path):
                os.remove(path)
            os.symlink(target if target != "loop" else link.rsplit("/", 1)[-1], path)
        with remembered_real_paths():
            for parts in queries:
                path = root + "".join("/" + part for part in parts)  # `//`, `/./` and `/../` too
                # A path with `..` is os.path.realpath's alone. Elsewhere `//` is `/`, where
                # os.path.realpath answers the text after it alone when a looping link comes
                # before it (`c//a` with c -> c is `/a`, outside any project)
                expected = os.path.realpath(path if ".." in parts else re.sub("/+", "/", path))
                assert real_path(path) == expected
