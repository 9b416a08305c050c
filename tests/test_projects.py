"""Config per project: found from each checked path, globs relative to the config's folder.

The same files give the same findings whether lambdalint runs in the repository, in a
subfolder of it or in its parent; several projects checked in one run each keep their own
configuration. Also: `[tool.lambdalint]` in pyproject.toml, and precedence in one folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.config import ConfigError, find_config, load_config
from repo_paths import REPO
from sample_templates import TIMEOUT_TEMPLATE  # LL2002 line 13, LL0003 and LL2005 line 16


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(cwd, *args):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["check", *args, "--format", "json"], catch_exceptions=False)
    finally:
        os.chdir(old)
    report = json.loads(result.stdout) if result.stdout.startswith("{") else None
    return result, report


def seen(report, cwd):
    """(absolute file, rule, line) of each finding: comparable across working folders."""
    return sorted((os.path.normpath(os.path.join(str(cwd), f["file"])), f["rule"], f["line"]) for f in report["findings"])


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "parent" / "repo"
    write(root, ".lambdalint.yaml",
          "select: [LL0, LL2]\nexclude: ['infra/old/**', 'generated.yaml']\n"
          "per-file-ignores:\n  'infra/legacy/*.yaml': [LL2]\n  'infra/t.yaml': [LL0003]\n")
    for name in ("infra/t.yaml", "infra/legacy/t.yaml", "infra/old/t.yaml", "infra/generated.yaml"):
        write(root, name, TIMEOUT_TEMPLATE)
    return root


def test_same_findings_from_the_root_a_subfolder_and_the_parent(repo):
    infra = repo / "infra"
    expected = [
        (str(infra / "legacy" / "t.yaml"), "LL0003", 16),  # LL2 ignored by per-file-ignores
        (str(infra / "t.yaml"), "LL2002", 13),
        (str(infra / "t.yaml"), "LL2005", 16),  # LL0003 ignored; old/ and generated.yaml excluded
    ]
    for cwd, target in ((repo, "."), (repo, "infra"), (infra, "."), (infra / "legacy", ".."), (repo.parent, "repo"),
                        (repo.parent, "repo/infra")):
        result, report = check(cwd, target)
        assert seen(report, cwd) == expected, (cwd, target)
        assert result.exit_code == 1


def test_file_names_in_the_output_stay_relative_to_the_current_folder(repo):
    _, report = check(repo / "infra", ".")
    assert {f["file"].replace("\\", "/") for f in report["findings"]} == {"t.yaml", "legacy/t.yaml"}
    _, report = check(repo.parent, "repo/infra/legacy/t.yaml")
    assert {f["file"].replace("\\", "/") for f in report["findings"]} == {"repo/infra/legacy/t.yaml"}


def test_a_file_argument_uses_the_config_of_its_own_folder(repo):
    for cwd, target in ((repo.parent, "repo/infra/legacy/t.yaml"), (repo / "infra" / "legacy", "t.yaml")):
        _, report = check(cwd, target)
        assert [(f["rule"], f["line"]) for f in report["findings"]] == [("LL0003", 16)]


def test_projects_checked_in_one_run_keep_their_own_configs(tmp_path):
    write(tmp_path, "a/.lambdalint.yaml", "select: [LL2002]\nfail-level: none\n")
    write(tmp_path, "b/.lambdalint.yaml", "select: [LL2005]\n")
    write(tmp_path, "a/t.yaml", TIMEOUT_TEMPLATE)
    write(tmp_path, "b/t.yaml", TIMEOUT_TEMPLATE)
    write(tmp_path, "c/t.yaml", TIMEOUT_TEMPLATE)  # no config: the defaults
    result, report = check(tmp_path, "a", "b/t.yaml", "c")
    by_file = {}
    for finding in report["findings"]:
        by_file.setdefault(finding["file"].replace("\\", "/"), set()).add(finding["rule"])
    assert by_file["a/t.yaml"] == {"LL2002"} and by_file["b/t.yaml"] == {"LL2005"}
    assert {"LL2002", "LL2005", "LL0003"} <= by_file["c/t.yaml"]
    assert report["summary"]["files"] == 3
    assert result.exit_code == 1  # b and c fail at error; a's fail-level none is a's alone
    result, _ = check(tmp_path, "a")
    assert result.exit_code == 0


def test_an_explicit_config_applies_to_every_path(tmp_path):
    write(tmp_path, "a/.lambdalint.yaml", "select: [LL2002]\n")
    write(tmp_path, "a/t.yaml", TIMEOUT_TEMPLATE)
    write(tmp_path, "b/t.yaml", TIMEOUT_TEMPLATE)
    write(tmp_path, "ci/lint.yaml", "select: [LL0003]\nper-file-ignores:\n  '../b/*': [LL0003]\n")
    _, report = check(tmp_path, "a", "b", "--config", "ci/lint.yaml")
    assert [(f["file"].replace("\\", "/"), f["rule"]) for f in report["findings"]] == [("a/t.yaml", "LL0003")]


def test_config_paths_are_what_a_bare_check_checks_from_any_folder_below(repo):
    write(repo, ".lambdalint.yaml", "paths: [infra/legacy]\nselect: [LL0, LL2]\n")
    for cwd in (repo, repo / "infra"):
        _, report = check(cwd)
        assert seen(report, cwd) == [(str(repo / "infra" / "legacy" / "t.yaml"), "LL0003", 16),
                                     (str(repo / "infra" / "legacy" / "t.yaml"), "LL2002", 13),
                                     (str(repo / "infra" / "legacy" / "t.yaml"), "LL2005", 16)]


def test_command_line_exclude_globs_stay_relative_to_the_current_folder(repo):
    _, report = check(repo / "infra", ".", "--exclude", "legacy/*")
    assert {f["file"] for f in report["findings"]} == {"t.yaml"}
    _, report = check(repo, ".", "--exclude", "legacy")  # a bare name matches a folder anywhere
    assert {f["file"].replace("\\", "/") for f in report["findings"]} == {"infra/t.yaml"}


def test_skip_non_templates_uses_each_projects_exclude(repo):
    result, report = check(repo.parent, "--skip-non-templates", "repo/infra/generated.yaml", "repo/infra/t.yaml")
    assert {f["file"].replace("\\", "/") for f in report["findings"]} == {"repo/infra/t.yaml"}


# -- pyproject.toml [tool.lambdalint] -------------------------------------------------------------


PYPROJECT = """\
[project]
name = "app"

[tool.ruff]
line-length = 100

[tool.lambdalint]
select = ["LL2002", "LL0003"]
fail-level = "none"
today = 2026-01-01

[tool.lambdalint.per-file-ignores]
"legacy/*.yaml" = ["LL2002"]

[tool.lambdalint.limits]
account_concurrency_default = 3000
"""


def test_pyproject_tool_table_is_a_config(tmp_path):
    write(tmp_path, "pyproject.toml", PYPROJECT)
    write(tmp_path, "t.yaml", TIMEOUT_TEMPLATE)
    write(tmp_path, "legacy/t.yaml", TIMEOUT_TEMPLATE)
    assert find_config(str(tmp_path / "legacy")) == str(tmp_path / "pyproject.toml")
    config = load_config(str(tmp_path / "pyproject.toml"))
    assert config.today.isoformat() == "2026-01-01" and config.limits == {"account_concurrency_default": 3000}
    result, report = check(tmp_path / "legacy", "..")
    assert sorted((f["file"].replace("\\", "/"), f["rule"]) for f in report["findings"]) == [
        ("../legacy/t.yaml", "LL0003"), ("../t.yaml", "LL0003"), ("../t.yaml", "LL2002")]
    assert result.exit_code == 0  # fail-level none


def test_precedence_in_one_folder_and_tables_that_are_not_ours(tmp_path):
    write(tmp_path, "setup.cfg", "[lambdalint]\nselect = LL2005\n")
    write(tmp_path, "sub/pyproject.toml", "[project]\nname = 'x'\n\n[tool.black]\nline-length = 88\n")
    assert find_config(str(tmp_path / "sub")) == str(tmp_path / "setup.cfg")  # no table: searched upwards
    write(tmp_path, "pyproject.toml", "[tool.lambdalint]\nselect = ['LL2002']\n")
    assert find_config(str(tmp_path)) == str(tmp_path / "pyproject.toml")  # pyproject before setup.cfg
    write(tmp_path, ".lambdalint.yaml", "select: [LL0003]\n")
    assert find_config(str(tmp_path)) == str(tmp_path / ".lambdalint.yaml")  # .lambdalint.yaml first


@pytest.mark.parametrize("text, position, message", [
    ("[tool.lambdalint]\nselect = ['LL2']\nignroe = ['LL2005']\n", (3, 1), "unknown key 'ignroe'"),
    ("[tool.lambdalint]\nselect = [\n  'LL2',\n  'LL2999',\n]\n", (2, 1), "unknown rule 'LL2999' in select"),
    ("[tool.lambdalint.limits]\ntimeout_s_max = 900\n  memory_mb_mx = 3\n", (3, 3), "unknown limit 'memory_mb_mx'"),
    ("[tool.lambdalint]\nlimits = { timeout_s_max = 'long' }\n", (2, 1), "limits.timeout_s_max: 'long' is not an integer"),
    ("[tool.lambdalint]\nseverity.LL2002 = 'loud'\n", (2, 1), "invalid value for severity.LL2002"),
    ("[tool.lambdalint]\nselect = [\n", (3, 1), "TOML syntax"),
    ("[tool]\nlambdalint = 3\n", (1, 1), "[tool.lambdalint] must be a table"),
])
def test_pyproject_errors_point_at_the_key(tmp_path, text, position, message):
    from lambdalint.registry import load_registry

    write(tmp_path, "pyproject.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(str(tmp_path / "pyproject.toml"), [rule.id for rule in load_registry()])
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == position


def test_pyproject_error_exits_2_with_one_line(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.lambdalint]\nfail-level = 'sometimes'\n")
    write(tmp_path, "t.yaml", TIMEOUT_TEMPLATE)
    result, _ = check(tmp_path, "t.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("pyproject.toml:2:1: LL0005 error: invalid value for fail-level: 'sometimes'")
    assert len(result.stderr.splitlines()) == 1


PROBE = """
import sys
sys.argv = ["lambdalint", "check", "--fail-level", "none", "t.yaml"]
from lambdalint.cli import main
try:
    main()
except SystemExit:
    pass
print("tomllib" in sys.modules or "tomli" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize("pyproject, imported", [(None, False), ("[tool.black]\nx = 1\n", False),
                                                  ("[tool.lambdalint]\nselect = ['LL2']\n", True)])
def test_tomllib_is_imported_only_when_a_pyproject_is_read(tmp_path, pyproject, imported):
    write(tmp_path, "t.yaml", TIMEOUT_TEMPLATE)
    if pyproject:
        write(tmp_path, "pyproject.toml", pyproject)
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=str(tmp_path),
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == str(imported)


def test_combining_the_reports_of_several_projects_keeps_every_field():
    from lambdalint.declared import Declared
    from lambdalint.findings import Finding, Report, Severity, Unchecked
    from lambdalint.projects import combined

    def report(name):
        finding = Finding(file=name, line=1, column=1, rule="LL0003", severity=Severity.ERROR, message="m")
        unchecked = Unchecked(resource="Fn", reason="s3-object", file=name)
        return Report((finding,), 1, checked_files=(name,), missing=1, unchecked=(unchecked,), functions=2,
                      declared=Declared(frozenset({(name, (None,) * 7)}), frozenset({name})))

    both = combined([report("b.yaml"), report("a.yaml")])
    empty = Report((), 0)
    # a field added to Report must be combined too: this fails until it is
    for field in Report.__slots__:
        assert getattr(both, field) != getattr(empty, field), field
    assert [f.file for f in both.findings] == ["a.yaml", "b.yaml"]
    assert (both.files, both.missing, both.functions) == (2, 2, 4)
    assert both.declared.image_functions == {"a.yaml", "b.yaml"}


LOCAL_RULE = '''
from lambdalint.findings import Hit, Severity
from lambdalint.registry import rule

@rule(id="ACME0001", name="acme-every-function", severity=Severity.WARNING, summary="Every function",
      source="https://acme.example/why")
def check(model):
    """## What it does\\nReports every function.\\n## Why is this bad?\\nIt is a test.\\n## Example\\nx"""
    for function in model.functions:
        yield Hit(function.path(), "acme says hi")
'''


def test_a_projects_rules_dir_runs_on_its_own_templates_only(tmp_path):
    write(tmp_path, "a/.lambdalint.yaml", "rules-dir: [lint_rules]\n")
    write(tmp_path, "a/lint_rules/acme.py", LOCAL_RULE)
    write(tmp_path, "a/t.yaml", TIMEOUT_TEMPLATE)
    write(tmp_path, "b/t.yaml", TIMEOUT_TEMPLATE)
    _, report = check(tmp_path, "a", "b")
    acme = {f["file"].replace("\\", "/") for f in report["findings"] if f["rule"] == "ACME0001"}
    assert acme == {"a/t.yaml"}
    assert {f["file"].replace("\\", "/") for f in report["findings"]} == {"a/t.yaml", "b/t.yaml"}


_FOLDERS = ["a", "a/b", "a/b/c", "a/d", "e", "e/f"]
_CONFIG_FILES = {
    ".lambdalint.yaml": "select: [LL2]\n",
    "pyproject.toml": "[tool.lambdalint]\nselect = ['LL2']\n",
    "setup.cfg": "[lambdalint]\nselect = LL2\n",
    "pyproject.toml ": "[tool.other]\n",  # a pyproject.toml without the table: no configuration
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(configs=st.dictionaries(st.sampled_from([""] + _FOLDERS), st.sampled_from(sorted(_CONFIG_FILES)), max_size=4),
       order=st.permutations(_FOLDERS))
def test_a_run_that_remembers_folders_finds_what_each_search_finds(tmp_path_factory, configs, order):
    """group_by_config keeps each folder's answer for the files after it: in any order of the
    files, the same configuration as a search of its own."""
    root = tmp_path_factory.mktemp("tree")
    for folder in _FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for folder, name in configs.items():
        write(root / folder, name.strip(), _CONFIG_FILES[name])
    known = {}
    for folder in order:
        assert find_config(str(root / folder), known) == find_config(str(root / folder))
