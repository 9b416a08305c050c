"""The committed cdk.out fixtures are what `cdk synth` made of the committed apps.

tools/make_cdk_fixtures.py records a hash of each app's sources and lockfile when it
synthesizes; an app edited without running the script again fails here.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("make_cdk_fixtures", ROOT / "tools" / "make_cdk_fixtures.py")
maker = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(maker)

FIXTURES = maker.fixtures([])


def test_there_are_real_cdk_fixtures():
    assert {fixture.name for fixture in FIXTURES} >= {"cdk-handlers", "cdk-assetless"}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_fixture_matches_its_app(fixture):
    record = json.loads((fixture / "fixture.json").read_text())
    assert record["sources_sha256"] == maker.sources_hash(fixture / "app"), (
        f"{fixture.name}: the app changed since its cdk.out was synthesized: "
        f"run tools/make_cdk_fixtures.py {fixture.name}")
    assert not maker.stale(fixture)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_fixture_pins_its_toolchain(fixture):
    """Exact versions in package.json, the same ones in the lockfile and in the record of the synth."""
    package = json.loads((fixture / "app" / "package.json").read_text())
    lock = json.loads((fixture / "app" / "package-lock.json").read_text())
    record = json.loads((fixture / "fixture.json").read_text())
    pinned = {**package["dependencies"], **package["devDependencies"]}
    assert set(pinned) == set(maker.TOOLS)
    for name, version in pinned.items():
        assert version[0].isdigit(), f"{name} {version} is a range, not an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert record["tools"][name] == version


def test_hash_changes_with_any_source(tmp_path):
    app = tmp_path / "app"
    (app / "lib").mkdir(parents=True)
    (app / "lib" / "stack.js").write_text("a")
    before = maker.sources_hash(app)
    (app / "node_modules").mkdir()
    (app / "node_modules" / "x.js").write_text("installed, not a source")
    assert maker.sources_hash(app) == before
    (app / "lib" / "stack.js").write_text("b")
    assert maker.sources_hash(app) != before
