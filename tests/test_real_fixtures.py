"""Each real-tool fixture still matches the sources it was built from.

tools/real_fixtures/*.py record the sha256 of every source file in `sources.json`; a source
edited without running the script again fails here, so a committed build never drifts from
the app it claims to be the output of.
"""

from __future__ import annotations

import json
import os

import pytest

from repo_paths import REPO

REAL = REPO / "fixtures" / "real"
# fixtures/real/terraform/ groups the Terraform configurations, each a fixture of its own
GROUPS = ("terraform",)
RECORDS = sorted(REAL.glob("*/sources.json")) + sorted(
    record for group in GROUPS for record in (REAL / group).glob("*/sources.json"))
BUILT = (".aws-sam", "layout", "layout-zstd", "installed", "cdk.out", ".serverless", "plan.json")


def test_every_real_fixture_has_a_record():
    folders = sorted(path for path in REAL.iterdir() if path.is_dir() and path.name not in GROUPS)
    folders += sorted(path for group in GROUPS for path in (REAL / group).iterdir() if path.is_dir())
    assert folders and [record.parent for record in RECORDS] == folders


@pytest.mark.parametrize("record", RECORDS, ids=lambda path: path.parent.name)
def test_fixture_matches_the_sources_it_was_built_from(record):
    import sys

    sys.path.insert(0, str(REPO))
    from tools.real_fixtures.fixture_record import source_files

    recorded = json.loads(record.read_text(encoding="utf-8"))
    skip = [name for name in BUILT if os.path.exists(record.parent / name)]
    assert source_files(str(record.parent), skip) == recorded["built_from"], \
        f"{record.parent.name} changed since it was built: run tools/real_fixtures/ again"
    assert recorded["tools"], "the record names the pinned tools that built it"
