"""What `lambdalint check` finds to check: .gitignore, quoted globs, standard input, and the
warning when a folder walk finds nothing."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.gitignore import repository_root
from sample_templates import TIMEOUT_TEMPLATE  # --select LL2002: one error on line 13

NOTHING_FOUND = "lambdalint: warning: no templates found in {} (folders are searched for CloudFormation/SAM " \
                "templates by content{})\n"

CDK_MANIFEST = json.dumps({"version": "36.0.0", "artifacts": {"Stack": {
    "type": "aws:cloudformation:stack", "properties": {"templateFile": "Stack.template.json"}}}})
CDK_TEMPLATE = json.dumps({"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
    "Runtime": "python3.13", "Handler": "app.handler", "Role": "arn:aws:iam::123456789012:role/r",
    "Code": {"S3Bucket": "b", "S3Key": "k"}, "Timeout": 1800}}}})

SAM_WITH_LOCAL_CODE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
"""


@pytest.fixture
def repo(cwd):
    """A git repository (a `.git` folder is what marks one; git itself is not run)."""
    (cwd / ".git" / "info").mkdir(parents=True)
    return cwd


def run(*args: str, stdin=None):
    return CliRunner().invoke(main, ["check", "--select", "LL0,LL2002", *args], input=stdin, catch_exceptions=False)


def write(folder, name: str, text: str):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def checked(result) -> list:
    """The files with findings, from a json report."""
    return sorted({f["file"].replace(os.sep, "/") for f in json.loads(result.stdout)["findings"]})


def files_count(result) -> int:
    return json.loads(result.stdout)["summary"]["files"]


# -- .gitignore --------------------------------------------------------------------------

def test_git_ignored_templates_are_left_out_of_a_walk(repo):
    write(repo, ".gitignore", "build/\n*.local.yaml\n")
    write(repo, "infra/template.yaml", TIMEOUT_TEMPLATE)
    write(repo, "build/old/template.yaml", TIMEOUT_TEMPLATE)  # the stale copy that failed the hook
    write(repo, "infra/dev.local.yaml", TIMEOUT_TEMPLATE)
    result = run(".", "--format", "json")
    assert checked(result) == ["infra/template.yaml"]
    assert result.stderr == ""
    everything = ["build/old/template.yaml", "infra/dev.local.yaml", "infra/template.yaml"]
    assert checked(run(".", "--format", "json", "--no-respect-gitignore")) == everything


@pytest.mark.parametrize("config_name, config_text", [
    (".lambdalint.yaml", "respect-gitignore: false\n"),
    ("setup.cfg", "[lambdalint]\nrespect-gitignore = false\n"),
])
def test_config_can_turn_gitignore_off(repo, config_name, config_text):
    write(repo, ".gitignore", "build/\n")
    write(repo, "build/template.yaml", TIMEOUT_TEMPLATE)
    write(repo, config_name, config_text)
    assert checked(run(".", "--format", "json")) == ["build/template.yaml"]
    # the command line wins over the file
    assert checked(run(".", "--format", "json", "--respect-gitignore")) == []


def test_respect_gitignore_must_be_a_boolean(repo):
    write(repo, ".lambdalint.yaml", "respect-gitignore: sometimes\n")
    result = run(".")
    assert result.exit_code == 2
    assert "LL0005" in result.stderr and "respect-gitignore" in result.stderr


def test_nested_gitignore_and_info_exclude_apply(repo):
    write(repo, ".git/info/exclude", "scratch/\n")
    write(repo, "infra/.gitignore", "*.yaml\n!template.yaml\n")
    write(repo, "infra/template.yaml", TIMEOUT_TEMPLATE)
    write(repo, "infra/copy.yaml", TIMEOUT_TEMPLATE)
    write(repo, "scratch/template.yaml", TIMEOUT_TEMPLATE)
    assert checked(run(".", "--format", "json")) == ["infra/template.yaml"]


def test_a_walk_below_the_repository_root_reads_the_parent_ignore_files(repo):
    write(repo, ".gitignore", "old/\n")
    write(repo, "infra/template.yaml", TIMEOUT_TEMPLATE)
    write(repo, "infra/old/template.yaml", TIMEOUT_TEMPLATE)
    assert checked(run("infra", "--format", "json")) == ["infra/template.yaml"]


def test_named_files_and_folders_are_checked_even_when_ignored(repo):
    write(repo, ".gitignore", "build/\n")
    write(repo, "build/template.yaml", TIMEOUT_TEMPLATE)
    assert checked(run("build/template.yaml", "--format", "json")) == ["build/template.yaml"]
    assert checked(run("build", "--format", "json")) == ["build/template.yaml"]
    # pre-commit names tracked files: git ignores none of those, nor does --skip-non-templates
    assert checked(run("--skip-non-templates", "build/template.yaml", "--format", "json")) == ["build/template.yaml"]


def test_an_ignored_cdk_out_is_still_read_through_its_manifest(repo):
    write(repo, ".gitignore", "cdk.out\n.aws-sam/\n")
    write(repo, "cdk.out/manifest.json", CDK_MANIFEST)
    write(repo, "cdk.out/Stack.template.json", CDK_TEMPLATE)
    write(repo, "cdk.out/asset.abc/template.yaml", TIMEOUT_TEMPLATE)  # asset folders hold code, not templates
    write(repo, ".aws-sam/build/template.yaml", TIMEOUT_TEMPLATE)  # reached through the source template
    result = run(".", "--format", "json")
    assert checked(result) == ["cdk.out/Stack.template.json"]
    # an explicit sam build folder is read, ignored or not
    assert checked(run(".aws-sam/build", "--format", "json")) == [".aws-sam/build/template.yaml"]


def test_outside_a_repository_gitignore_files_are_not_read(cwd):
    if repository_root(str(cwd)) is not None:
        pytest.skip("the temporary folder lies inside a git repository")
    write(cwd, ".gitignore", "build/\n")
    write(cwd, "build/template.yaml", TIMEOUT_TEMPLATE)
    assert checked(run(".", "--format", "json")) == ["build/template.yaml"]


# -- nothing found is said -----------------------------------------------------------------

def test_a_folder_without_templates_says_so_and_exits_0(cwd):
    write(cwd, "infra/README.md", "nothing here\n")
    write(cwd, "infra/docker-compose.yml", "services: {}\n")
    result = run("infra")
    assert result.exit_code == 0
    assert result.stderr == NOTHING_FOUND.format("infra/", "")


def test_quiet_silences_the_nothing_found_warning(cwd):
    write(cwd, "infra/README.md", "nothing here\n")
    result = run("infra", "-q")
    assert result.exit_code == 0 and result.stderr == ""


def test_an_exclude_that_leaves_nothing_says_so(cwd):
    write(cwd, "infra/template.yaml", TIMEOUT_TEMPLATE)
    write(cwd, "infra/sub/template.yaml", TIMEOUT_TEMPLATE)
    result = run("infra", "--exclude", "*.yaml", "--format", "json")
    assert result.exit_code == 0 and files_count(result) == 0
    assert result.stderr == NOTHING_FOUND.format("infra/", "; 2 file(s) or folder(s) left out by exclude patterns")


def test_gitignore_that_leaves_nothing_says_so(repo):
    write(repo, ".gitignore", "build/\n")
    write(repo, "build/template.yaml", TIMEOUT_TEMPLATE)
    result = run(".")
    assert result.exit_code == 0
    assert result.stderr == NOTHING_FOUND.format("./", "; 1 git-ignored (--no-respect-gitignore checks them)")


def test_config_paths_without_templates_say_so_relative_to_the_cwd(cwd):
    write(cwd, ".lambdalint.yaml", "paths: [docs]\n")
    write(cwd, "docs/index.md", "# docs\n")
    result = run()
    assert result.exit_code == 0
    assert result.stderr == NOTHING_FOUND.format("docs/", "")


def test_no_warning_when_something_was_checked_or_named(cwd):
    write(cwd, "infra/template.yaml", TIMEOUT_TEMPLATE)
    write(cwd, "empty/README.md", "\n")
    assert run("infra", "empty").stderr == ""  # one template found: nothing to warn about
    assert run("missing-folder").stderr == ""  # a missing path is a finding already
    write(cwd, "package.json", '{"name": "x"}\n')
    # pre-commit named only non-templates: skipped silently, as the hook promises
    result = run("--skip-non-templates", "package.json")
    assert result.exit_code == 0 and result.stderr == ""


# -- quoted globs ------------------------------------------------------------------------

def test_quoted_globs_are_expanded(cwd):
    for name in ("infra/a.yaml", "infra/b.yaml", "infra/sub/c.yaml"):
        write(cwd, name, TIMEOUT_TEMPLATE)
    assert checked(run("infra/*.yaml", "--format", "json")) == ["infra/a.yaml", "infra/b.yaml"]
    assert checked(run("infra/**/*.yaml", "--format", "json")) == ["infra/a.yaml", "infra/b.yaml", "infra/sub/c.yaml"]
    assert checked(run("infr?", "--format", "json")) == ["infra/a.yaml", "infra/b.yaml", "infra/sub/c.yaml"]


def test_glob_matches_are_named_files_like_a_shell_expansion(cwd):
    write(cwd, "infra/a.yaml", TIMEOUT_TEMPLATE)
    write(cwd, "infra/compose.yaml", "services: {}\n")
    result = run("infra/*.yaml", "--format", "json")
    assert checked(result) == ["infra/a.yaml", "infra/compose.yaml"]  # the second one: LL0002, as named
    assert files_count(result) == 2


def test_a_glob_matching_nothing_is_reported_like_a_missing_path(cwd):
    result = run("nothing/*.yaml")
    assert result.exit_code == 1
    assert "nothing/*.yaml:1:1: LL0001 error: no file or folder matches this pattern" in result.stdout


def test_an_existing_path_with_glob_characters_is_taken_literally(cwd):
    write(cwd, "t[1].yaml", TIMEOUT_TEMPLATE)
    write(cwd, "t1.yaml", TIMEOUT_TEMPLATE)
    assert checked(run("t[1].yaml", "--format", "json")) == ["t[1].yaml"]


# -- standard input ------------------------------------------------------------------------

def test_stdin_is_reported_under_the_stdin_filename(cwd):
    result = run("-", "--stdin-filename", "infra/template.yaml", stdin=TIMEOUT_TEMPLATE)
    assert result.exit_code == 1
    assert "infra/template.yaml:13:7: LL2002 error:" in result.stdout
    assert "in 1 file" in result.stdout


def test_stdin_without_a_filename_is_named_stdin(cwd):
    result = run("-", stdin=TIMEOUT_TEMPLATE)
    assert "<stdin>:13:7: LL2002 error:" in result.stdout


def test_stdin_code_paths_resolve_from_the_stdin_filename_folder(cwd):
    write(cwd, "infra/src/app.py", "def handler(event, context):\n    return event\n")
    here = run("-", "--stdin-filename", "infra/template.yaml", "--select", "LL0004", "--format", "json",
               stdin=SAM_WITH_LOCAL_CODE)
    assert json.loads(here.stdout)["findings"] == []
    elsewhere = run("-", "--stdin-filename", "other/template.yaml", "--select", "LL0004", "--format", "json",
                    stdin=SAM_WITH_LOCAL_CODE)
    assert [f["rule"] for f in json.loads(elsewhere.stdout)["findings"]] == ["LL0004"]


def test_stdin_filename_alone_reads_stdin(cwd):
    result = run("--stdin-filename", "t.yaml", stdin=TIMEOUT_TEMPLATE)
    assert "t.yaml:13:7: LL2002 error:" in result.stdout


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"Resources:\n  A: \xff\n", "not valid UTF-8"),
])
def test_unreadable_stdin_is_one_ll0001_line(cwd, data, message):
    result = run("-", "--stdin-filename", "t.yaml", stdin=data)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": LL" in line]
    assert len(lines) == 1 and lines[0].startswith("t.yaml:") and "LL0001" in lines[0] and message in lines[0]


@pytest.mark.parametrize("args", [["-", "t.yaml"], ["t.yaml", "--stdin-filename", "x.yaml"]])
def test_stdin_with_other_paths_is_a_usage_error(cwd, args):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    result = run(*args, stdin=TIMEOUT_TEMPLATE)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
