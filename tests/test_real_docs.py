"""README's SAM, container image and Serverless sections print what lambdalint prints on the real fixtures."""

from __future__ import annotations

import os
import re
import shlex

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.model.packages import reset_package_cache
from real_fixtures import copy_fixture, set_built_after_source
from repo_paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
USAGE = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")


def block(text: str, name: str):
    found = re.search(rf"<!-- docs-test: {name} -->\n```text\n(.*?)```", text, flags=re.S)
    assert found, f"no {name} block"
    command, *expected = found.group(1).rstrip("\n").split("\n")
    return shlex.split(command.lstrip("$ ")), expected


@pytest.mark.parametrize("document,name,fixture", [
    (README, "sam-output", "sam-app"), (README, "image-output", "images"),
    (USAGE, "sam-output", "sam-app"), (USAGE, "image-output", "images"),
    (README, "serverless-output", "serverless-shop"), (USAGE, "serverless-output", "serverless-shop"),
    (README, "serverless-yml-output", "serverless-shop"), (USAGE, "serverless-yml-output", "serverless-shop"),
])
def test_documented_output_is_what_lambdalint_prints(tmp_path, monkeypatch, document, name, fixture):
    arguments, expected = block(document, name)
    assert arguments[0] == "lambdalint"
    folder = copy_fixture(fixture, tmp_path / "fixtures" / "real")  # the paths as the docs show them
    if os.path.isdir(os.path.join(folder, ".aws-sam")):
        set_built_after_source(folder)
    if name == "serverless-yml-output":  # before `serverless package`: serverless.yml read directly
        import shutil

        shutil.rmtree(os.path.join(folder, ".serverless"))
    monkeypatch.chdir(tmp_path)
    reset_package_cache()
    result = CliRunner().invoke(main, arguments[1:])
    assert result.exit_code == 1
    assert result.output.rstrip("\n").split("\n") == expected
