"""lambdalint.gitignore: git's ignore rules, without running git.

Table tests for each part of the syntax, and a property test that compares the answers
with `git check-ignore` itself in a throwaway repository (skipped without git).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.gitignore import IgnoreFiles, ignore_files_for, parse, repository_root


def ignored(patterns: str, path: str, is_folder: bool = False) -> bool:
    """The verdict of one ignore file at the repository root on path (its parents not consulted)."""
    verdict = False
    relative = path.strip("/")
    for rule in parse(patterns):
        if rule.matches(relative, is_folder):
            verdict = not rule.negated
    return verdict


@pytest.mark.parametrize(
    "patterns, path, is_folder, expected",
    [
        # a name without a slash matches at any depth, files and folders
        ("build", "build", True, True),
        ("build", "src/build", True, True),
        ("build", "src/build", False, True),
        ("build", "builds", True, False),
        # a trailing slash: folders only
        ("build/", "build", True, True),
        ("build/", "build", False, False),
        ("build/", "src/build", True, True),
        # a leading or middle slash anchors to the ignore file's folder
        ("/build", "build", True, True),
        ("/build", "src/build", True, False),
        ("doc/frotz", "doc/frotz", False, True),
        ("doc/frotz", "a/doc/frotz", False, False),
        ("doc/frotz/", "doc/frotz", True, True),
        # * and ? stay within one segment
        ("*.yaml", "infra/template.yaml", False, True),
        ("infra/*.yaml", "infra/a/template.yaml", False, False),
        ("t?.json", "t1.json", False, True),
        ("t?.json", "t12.json", False, False),
        # ** across segments
        ("**/cdk.out", "cdk.out", True, True),
        ("**/cdk.out", "a/b/cdk.out", True, True),
        ("a/**/b", "a/b", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("a/**", "a/x/y", False, True),
        ("a/**", "a", True, False),
        ("**", "anything/at/all", False, True),
        # character classes
        ("t[0-9].yaml", "t7.yaml", False, True),
        ("t[!0-9].yaml", "t7.yaml", False, False),
        ("t[!0-9].yaml", "tx.yaml", False, True),
        ("t[ab", "t[ab", False, True),  # not closed: literal
        # negation: the last matching line wins
        ("*.yaml\n!keep.yaml", "keep.yaml", False, False),
        ("!keep.yaml\n*.yaml", "keep.yaml", False, True),
        # comments, escapes, trailing spaces
        ("# build", "# build", False, False),
        ("\\#build", "#build", False, True),
        ("\\!important", "!important", False, True),
        ("build   ", "build", False, True),
        ("build\\ ", "build ", False, True),
        ("build\\ ", "build", False, False),
        ("a\\*b", "a*b", False, True),
        ("a\\*b", "axb", False, False),
        ("", "anything", False, False),
        ("/", "anything", True, False),
    ],
)
def test_gitignore_syntax(patterns, path, is_folder, expected):
    assert ignored(patterns, path, is_folder) is expected


def test_deeper_files_win_and_info_exclude_is_weakest(tmp_path):
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("*.json\n")
    (tmp_path / ".gitignore").write_text("*.yaml\n!stack.json\n")
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / ".gitignore").write_text("!template.yaml\n/local.json\n")
    rules = IgnoreFiles(str(tmp_path))
    assert rules.is_ignored(str(tmp_path / "old.yaml"), False)
    assert not rules.is_ignored(str(tmp_path / "infra" / "template.yaml"), False)  # re-included deeper
    assert rules.is_ignored(str(tmp_path / "infra" / "other.yaml"), False)
    assert rules.is_ignored(str(tmp_path / "a.json"), False)  # info/exclude
    assert not rules.is_ignored(str(tmp_path / "stack.json"), False)  # .gitignore beats info/exclude
    assert rules.is_ignored(str(tmp_path / "infra" / "local.json"), False)
    assert rules.is_ignored(str(tmp_path / "infra" / "sub" / "stack.json"), False) is False
    assert not rules.is_ignored(str(tmp_path), True)  # the root itself never


def test_outside_a_repository_nothing_is_ignored(tmp_path):
    if repository_root(str(tmp_path)) is not None:
        pytest.skip("the temporary folder lies inside a git repository")
    (tmp_path / ".gitignore").write_text("*\n")
    assert ignore_files_for(str(tmp_path)) is None


def test_a_worktree_git_file_marks_the_repository(tmp_path):
    (tmp_path / ".git").write_text("gitdir: /elsewhere\n")
    (tmp_path / "sub").mkdir()
    assert repository_root(str(tmp_path / "sub")) == str(tmp_path)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: cannot make a linked worktree")
def test_a_linked_worktree_reads_the_repository_info_exclude(tmp_path):
    main_repo, linked = tmp_path / "main", tmp_path / "linked"
    main_repo.mkdir()
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "x"], ["worktree", "add", "-q", str(linked)]):
        subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=main_repo, env=env, check=True,
                       capture_output=True)
    (main_repo / ".git" / "info").mkdir(exist_ok=True)
    (main_repo / ".git" / "info" / "exclude").write_text("scratch.yaml\n")
    rules = IgnoreFiles(str(linked))
    assert rules.is_ignored(str(linked / "scratch.yaml"), False)
    assert not rules.is_ignored(str(linked / "template.yaml"), False)


# -- the same answers as git ---------------------------------------------------------------

FILES = ["a/a", "a/b/a", "a/b/b.yaml", "b/a/b", "ab", "b/b.yaml", "a/ab", "aa/b", "x.yaml", "a/b/c/d"]
FOLDERS = sorted({"/".join(f.split("/")[:i]) for f in FILES for i in range(1, f.count("/") + 1)})

_segment = st.sampled_from(["a", "b", "ab", "*", "?", "**", "a*", "*.yaml", "[ab]", "[!a]", "b?", "c"])
_pattern = st.builds(
    lambda negate, lead, segments, trail: ("!" if negate else "") + ("/" if lead else "") + "/".join(segments)
    + ("/" if trail else ""),
    st.booleans(), st.booleans(), st.lists(_segment, min_size=1, max_size=3), st.booleans(),
)


def git_ignored(repo, paths):
    result = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=repo, input="\n".join(paths),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    return set(result.stdout.splitlines())


def ours(rules: IgnoreFiles, repo, path: str) -> bool:
    """git's answer for a path also counts its parent folders: nothing is re-included below an ignored one."""
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if rules.is_ignored(os.path.join(repo, prefix), os.path.isdir(os.path.join(repo, prefix))):
            return True
    return False


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: cannot compare with git check-ignore")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(root_lines=st.lists(_pattern, max_size=4), nested_lines=st.lists(_pattern, max_size=3),
       exclude_lines=st.lists(_pattern, max_size=2))
def test_answers_match_git_check_ignore(tmp_path_factory, root_lines, nested_lines, exclude_lines):
    repo = str(tmp_path_factory.mktemp("repo"))
    subprocess.run(["git", "init", "-q", repo], check=True, capture_output=True)
    for name in FILES:
        os.makedirs(os.path.join(repo, os.path.dirname(name)), exist_ok=True)
        with open(os.path.join(repo, name), "w") as handle:
            handle.write("x")
    with open(os.path.join(repo, ".gitignore"), "w") as handle:
        handle.write("\n".join(root_lines) + "\n")
    with open(os.path.join(repo, "a", ".gitignore"), "w") as handle:
        handle.write("\n".join(nested_lines) + "\n")
    with open(os.path.join(repo, ".git", "info", "exclude"), "w") as handle:
        handle.write("\n".join(exclude_lines) + "\n")
    paths = FILES + FOLDERS
    by_git = git_ignored(repo, paths)
    rules = IgnoreFiles(repo)
    by_us = {path for path in paths if ours(rules, repo, path)}
    # git lists an ignored folder as `a`, never `a/`; .gitignore files themselves are not compared
    assert by_us == by_git, (root_lines, nested_lines, exclude_lines)
