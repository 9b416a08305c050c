"""The committed real-tool fixtures (fixtures/real/, made by tools/real_fixtures/), copied for a test.

A copy, because git does not keep modification times: whether a `sam build` is fresh is
decided by comparing them, so each test sets them the way the tool left them.
"""

from __future__ import annotations

import json
import os
import shutil

from click.testing import CliRunner

from lambdalint.cli import main
from repo_paths import REPO

REAL = REPO / "fixtures" / "real"


def copy_fixture(name: str, destination) -> str:
    target = os.path.join(str(destination), name)
    shutil.copytree(str(REAL / name), target, symlinks=True)
    return target


def set_built_after_source(app: str, built_later: bool = True) -> None:
    """Give the source template and the build template the order of an edit and a `sam build`."""
    source = os.path.join(app, "template.yaml")
    built = os.path.join(app, ".aws-sam", "build", "template.yaml")
    os.utime(source, (1_700_000_000, 1_700_000_000))
    later = 1_700_000_000 + (100 if built_later else -100)
    os.utime(built, (later, later))


def check_json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def found(report: dict):
    """(file, line, rule, resource) of every finding, sorted."""
    return sorted((item["file"], item["line"], item["rule"], item["resource"]) for item in report["findings"])
