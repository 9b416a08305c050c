"""README.md works as written for a new user."""

from __future__ import annotations

import re
import shlex

from click.testing import CliRunner

from repo_paths import REPO
from lambdalint.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_fresh_machine_commands():
    assert re.findall(r"^## .*", README, flags=re.M)[0].startswith("## Quick start")
    start = README.index("## Quick start")
    head = README[start: README.index("\n## ", start)]
    blocks = re.findall(r"```sh\n(.*?)```", head, flags=re.S)
    assert len(blocks) == 2
    install_and_check, run_tests = (block.strip() for block in blocks)
    assert "pip install -e ." in install_and_check and "lambdalint check examples/" in install_and_check
    assert "python -m pytest" in run_tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in run_tests and "python -m pytest -q" in ci  # CI runs README's command


def test_readme_example_output_is_what_lambdalint_prints(monkeypatch):
    block = re.search(r"<!-- docs-test: example-output -->\n```text\n(.*?)```", README, flags=re.S).group(1)
    command, *expected = block.rstrip("\n").split("\n")
    arguments = shlex.split(command.lstrip("$ "))
    assert arguments[0] == "lambdalint"
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, arguments[1:])
    assert result.exit_code == 1
    assert result.output.rstrip("\n").split("\n") == expected


def test_readme_shows_a_package_finding():
    block = re.search(r"<!-- docs-test: example-output -->\n```text\n(.*?)```", README, flags=re.S).group(1)
    assert re.search(r": LL1\d{3} error: ", block), "the example should show a package (LL1) finding"


def test_readme_in_your_editor_section_points_at_the_editor_docs():
    start = README.index("\n## In your editor\n")
    section = README[start: README.index("\n## ", start + 1)]
    assert "lambdalint server" in section and "(docs/editor.md)" in section
    editor = (REPO / "docs" / "editor.md").read_text(encoding="utf-8")
    for heading in ("## VS Code", "## Neovim", "## Helix"):
        assert heading in editor
    # the command every snippet starts is the one the CLI has
    result = CliRunner().invoke(main, ["server", "--help"])
    assert result.exit_code == 0 and "Language server (LSP)" in result.output
