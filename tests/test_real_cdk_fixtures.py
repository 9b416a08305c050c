"""The committed cdk.out fixtures are what `cdk synth` made of the committed apps.

tools/real_fixtures/cdk.py records the sha256 of each app's files (lockfile included) in
`sources.json` when it synthesizes; an app edited without running the script again fails
here (and in tests/test_real_fixtures.py, which checks every real fixture's record).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("real_fixtures_cdk", ROOT / "tools" / "real_fixtures" / "cdk.py")
maker = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(maker)

FIXTURES = maker.fixtures([])


def test_there_are_real_cdk_fixtures():
    assert {fixture.name for fixture in FIXTURES} >= {"cdk-handlers", "cdk-assetless", "cdk-typescript"}


def test_the_typescript_app_is_synthesized_through_ts_node():
    fixture = next(fixture for fixture in FIXTURES if fixture.name == "cdk-typescript")
    assert json.loads((fixture / "app" / "cdk.json").read_text())["app"].startswith("npx ts-node ")
    assert set(json.loads((fixture / "sources.json").read_text())["tools"]) >= {"ts-node", "typescript"}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_fixture_matches_its_app(fixture):
    assert not maker.stale(fixture), (
        f"{fixture.name}: the app changed since its cdk.out was synthesized: run tools/real_fixtures/cdk.py")
    record = json.loads((fixture / "sources.json").read_text())
    assert "app/package-lock.json" in record["built_from"] and "app/lib" not in record["built_from"]
    assert not any(name.startswith("cdk.out/") for name in record["built_from"])


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_fixture_pins_its_toolchain(fixture):
    """Exact versions in package.json, the same ones in the lockfile and in the record of the synth."""
    package = json.loads((fixture / "app" / "package.json").read_text())
    lock = json.loads((fixture / "app" / "package-lock.json").read_text())
    record = json.loads((fixture / "sources.json").read_text())
    pinned = {**package["dependencies"], **package["devDependencies"]}
    assert set(maker.TOOLS) <= set(pinned) <= set(maker.TOOLS + maker.TYPESCRIPT_TOOLS)
    for name, version in pinned.items():
        assert version[0].isdigit(), f"{name} {version} is a range, not an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert record["tools"][name] == version


def test_an_edited_app_is_stale(tmp_path):
    fixture = tmp_path / "cdk-x"
    shutil.copytree(FIXTURES[0], fixture)
    assert not maker.stale(fixture)
    (fixture / "cdk.out" / "manifest.json").write_text("{}")  # the output is not a source
    assert not maker.stale(fixture)
    stack = next((fixture / "app" / "lib").iterdir())
    stack.write_text(stack.read_text() + "\n// edited\n")
    assert maker.stale(fixture)
