"""The pre-commit hooks, run by the real `pre-commit` against a throwaway repository.

`pre-commit try-repo` installs the hook repository into its own virtualenv with
pip, as a user's pre-commit would. The hook repository is a snapshot of this
working tree (copied, then committed in a temporary git repository), so the
test checks the code as it is on disk, whatever is committed or untracked in
the checkout, and never touches the checkout's git state.

The first test that installs takes about 40 s (virtualenv plus pip from the
package index pip is configured with); the others reuse the environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from repo_paths import REPO

SNAPSHOT = ("lambdalint", "rules", "setup.cfg", "pyproject.toml", "README.md", "MANIFEST.in", "LICENSE",
            ".pre-commit-hooks.yaml")

BROKEN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Properties:
      Runtime: python3.12
"""

CLEAN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""

# What a user repository also holds: YAML and JSON that are not templates. Linted
# as templates they would be LL0002 errors ("no Resources mapping").
NOT_TEMPLATES = {
    "docker-compose.yml": "services:\n  web:\n    image: nginx\n",
    "package.json": '{"name": "app", "version": "1.0.0"}\n',
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
}


def git(*args, cwd):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=cwd, env=env, check=True, capture_output=True)


def commit_all(folder):
    git("add", "-A", cwd=folder)
    git("commit", "-q", "--allow-empty", "-m", "snapshot", cwd=folder)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SNAPSHOT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, snapshot / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, snapshot / name)
    git("init", "-q", cwd=snapshot)
    commit_all(snapshot)
    return snapshot


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    # one home for the module: the hook environment is built once, then reused
    return tmp_path_factory.mktemp("pre-commit-home")


def user_repo(folder, template, config="select: [LL0002, LL0003]\n"):
    files = dict(NOT_TEMPLATES)
    files["infra/template.yaml"] = template
    files[".lambdalint.yaml"] = config
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git("init", "-q", cwd=folder)
    commit_all(folder)
    return folder


def try_repo(hook_repo, home, cwd, hook):
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("LAMBDALINT_TEST", None)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--all-files", "--verbose"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


def test_manifest_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"lambdalint", "lambdalint-all"}
    # the suffixes lambdalint searches folders for (discover.TEMPLATE_SUFFIXES), by name
    from lambdalint.discover import TEMPLATE_SUFFIXES

    hook = hooks["lambdalint"]
    assert hook["types"] == ["file"] and hook["types_or"] == []
    from lambdalint.frontends.terraform.files import SUFFIXES, VARIABLE_SUFFIXES

    for name in ["a/template.yaml", "t.yml", "stack.json", "Stack.Template", "T.YAML", *(f"x{s}" for s in TEMPLATE_SUFFIXES),
                 "infra/main.tf", *(f"x{s}" for s in SUFFIXES + VARIABLE_SUFFIXES)]:
        assert re.search(hook["files"], name), name
    for name in ["serverless.ts", "svc/serverless.js", "a/serverless.mjs", "serverless.cjs"]:
        assert re.search(hook["files"], name), name  # a JS/TS service: said not to be read, or its package
    for name in ["template.yaml.bak", "README.md", "ymlfile", "template", "app.ts", "myserverless.ts"]:
        assert not re.search(hook["files"], name), name
    assert "--skip-non-templates" in hooks["lambdalint"]["entry"]
    assert hooks["lambdalint-all"]["pass_filenames"] is False


@pytest.mark.slow
def test_hook_fails_on_a_broken_template_and_skips_other_files(hook_repo, pre_commit_home, tmp_path):
    repo = user_repo(tmp_path, BROKEN)
    result = try_repo(hook_repo, pre_commit_home, repo, "lambdalint")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "infra/template.yaml:3:3: LL0002 error" in output
    # only the template was checked: the other YAML/JSON files made no findings
    assert "1 error, 0 warnings, 0 infos in 1 file" in output
    for name in NOT_TEMPLATES:
        assert f"{name}:" not in output


@pytest.mark.slow
def test_hook_receives_dot_template_files(hook_repo, pre_commit_home, tmp_path):
    # CloudFormation's own extension: identify gives it no yaml/json type, the hook's files regex takes it
    repo = user_repo(tmp_path, CLEAN)
    (repo / "infra" / "stack.template").write_text(BROKEN)
    commit_all(repo)
    result = try_repo(hook_repo, pre_commit_home, repo, "lambdalint")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "infra/stack.template:3:3: LL0002 error" in output
    assert "in 2 files" in output


@pytest.mark.slow
def test_hook_passes_on_a_clean_template(hook_repo, pre_commit_home, tmp_path):
    repo = user_repo(tmp_path, CLEAN)
    result = try_repo(hook_repo, pre_commit_home, repo, "lambdalint")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output


@pytest.mark.slow
def test_all_hook_checks_the_configured_paths(hook_repo, pre_commit_home, tmp_path):
    config = textwrap.dedent("""\
        select: [LL0002, LL0003]
        paths: [infra]
    """)
    repo = user_repo(tmp_path, BROKEN, config)
    (repo / "elsewhere").mkdir()
    (repo / "elsewhere" / "template.yaml").write_text(BROKEN)  # outside `paths`: not checked
    commit_all(repo)
    result = try_repo(hook_repo, pre_commit_home, repo, "lambdalint-all")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "LL0002 error" in output and "in 1 file" in output
    assert "elsewhere" not in output


@pytest.mark.slow
def test_all_hook_leaves_git_ignored_templates_out(hook_repo, pre_commit_home, tmp_path):
    repo = user_repo(tmp_path, CLEAN)
    (repo / ".gitignore").write_text("build/\n")
    (repo / "build" / "old").mkdir(parents=True)
    (repo / "build" / "old" / "template.yaml").write_text(BROKEN)  # a stale build output, never committed
    commit_all(repo)
    result = try_repo(hook_repo, pre_commit_home, repo, "lambdalint-all")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "build/old" not in output


# --- the option the `lambdalint` hook relies on, without pre-commit ---------------------

def run_check(args, cwd):
    from click.testing import CliRunner

    from lambdalint.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", "--select", "LL0002,LL0003", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def test_skip_non_templates_judges_named_files_by_content(tmp_path):
    for name, text in NOT_TEMPLATES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "template.yaml").write_text(BROKEN)
    names = [*NOT_TEMPLATES, "template.yaml"]
    # without the option a named file is always a template: the others fail as LL0002
    assert "in 4 files" in run_check(names, tmp_path).stdout
    result = run_check(["--skip-non-templates", *names], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.count("LL0002") == 1 and "in 1 file" in result.stdout


def test_skip_non_templates_with_nothing_left_checks_nothing(tmp_path):
    # not "no paths, so check the current folder": pre-commit named files, none of them templates
    (tmp_path / "package.json").write_text(NOT_TEMPLATES["package.json"])
    (tmp_path / "broken.yaml").write_text(BROKEN)  # not named: must not be found
    result = run_check(["--skip-non-templates", "package.json"], tmp_path)
    assert result.exit_code == 0
    assert "in 0 files" in result.stdout


def test_skip_non_templates_applies_the_config_exclude(tmp_path):
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "bad.yaml").write_text(BROKEN)
    (tmp_path / ".lambdalint.yaml").write_text('exclude: ["fixtures/*"]\n')
    result = run_check(["--skip-non-templates", "fixtures/bad.yaml"], tmp_path)
    assert result.exit_code == 0 and "in 0 files" in result.stdout
    # named without the option, a file is checked even when excluded (the user asked for it)
    assert run_check(["fixtures/bad.yaml"], tmp_path).exit_code == 1


@pytest.mark.slow
@pytest.mark.parametrize("packaged", [True, False], ids=["serverless-package", "serverless-yml"])
def test_hook_in_a_serverless_project_reports_at_serverless_yml(hook_repo, pre_commit_home, tmp_path, packaged):
    # the hook unchanged: it passes serverless.yml (and package.json & co., judged by content);
    # findings land at serverless.yml lines, from .serverless/ when committed, else read directly
    from test_serverless_frontend import copy_app

    app = copy_app("shop", tmp_path / "apps")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.move(str(app), str(repo / "svc"))
    if not packaged:
        shutil.rmtree(repo / "svc" / ".serverless")
    (repo / ".lambdalint.yaml").write_text("select: [LL6001, LL1004]\n")
    git("init", "-q", cwd=repo)
    commit_all(repo)
    result = try_repo(hook_repo, pre_commit_home, repo, "lambdalint")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "svc/serverless.yml:32:9: LL6001 error" in output
    assert "svc/serverless.yml:38:5: LL1004 error" in output
    assert "2 errors, 0 warnings, 0 infos" in output
