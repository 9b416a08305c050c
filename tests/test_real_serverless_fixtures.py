"""The committed `.serverless/` fixtures are what `serverless package` made of the committed apps.

tools/real_fixtures/serverless.py records the sha256 of each app's files (lockfile included)
in `sources.json` when it packages; an app edited without running the script again fails
here (and in tests/test_real_fixtures.py, which checks every real fixture's record).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("serverless_fixtures", ROOT / "tools" / "real_fixtures" / "serverless.py")
maker = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(maker)

FIXTURES = maker.fixtures([])


def test_there_are_real_serverless_fixtures():
    assert {fixture.name for fixture in FIXTURES} >= {"serverless-shop", "serverless-individual", "serverless-osls"}
    assert {maker.framework_of(fixture) for fixture in FIXTURES} == set(maker.FRAMEWORKS)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_fixture_matches_its_app(fixture):
    assert not maker.stale(fixture), (
        f"{fixture.name}: the app changed since it was packaged: run tools/real_fixtures/serverless.py {fixture.name}")


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_fixture_pins_its_framework(fixture):
    """An exact version in package.json, the same one in the lockfile and in the record of the run."""
    package = json.loads((fixture / "package.json").read_text())
    lock = json.loads((fixture / "package-lock.json").read_text())
    record = json.loads((fixture / maker.RECORD).read_text())
    pinned = package["devDependencies"]
    assert set(pinned) == {maker.framework_of(fixture)}
    for name, version in pinned.items():
        assert version[0].isdigit(), f"{name} {version} is a range, not an exact version"
        assert version.startswith(maker.FRAMEWORKS[name])
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert record["tools"][name] == version


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_fixture_holds_the_package_output(fixture):
    output = fixture / ".serverless"
    assert (output / "cloudformation-template-update-stack.json").is_file()
    assert (output / "serverless-state.json").is_file()
    zips = sorted(output.glob("*.zip"))
    assert zips and all(zipfile.is_zipfile(path) for path in zips)
    assert all(path.stat().st_size <= maker.MAX_OUTPUT_FILE for path in output.iterdir())


def test_one_fixture_packages_individually():
    state = json.loads((maker.REAL / "serverless-individual" / ".serverless" / "serverless-state.json").read_text())
    assert state["package"]["individually"] is True
    assert sorted(path.name for path in (maker.REAL / "serverless-individual" / ".serverless").glob("*.zip")) == [
        "api.zip", "billing.zip"]


def test_the_package_is_not_a_source(tmp_path):
    """Re-packaging (a new timestamp in every S3 key) does not make the app look edited."""
    shutil.copytree(maker.REAL / "serverless-shop", tmp_path / "serverless-shop")
    copy = tmp_path / "serverless-shop"
    (copy / ".serverless" / "shop.zip").write_bytes(b"another package")
    assert not maker.stale(copy)  # the sources still equal those sources.json records
    (copy / "handlers" / "orders.py").write_text("edited")
    assert maker.stale(copy)
