"""Every fixture of every rule gives exactly the (line, rule) pairs its comments expect."""

from __future__ import annotations

import pytest

from repo_paths import FIXTURES
from fixture_runner import actual_pairs, expected_pairs

FIXTURE_FILES = sorted(
    path
    for path in (FIXTURES / "rules").glob("LL*/*")
    if path.is_file() and path.name.startswith(("bad_", "good_")) and path.suffix in (".yaml", ".yml", ".json")
)


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_findings_match_expectations(fixture):
    rule_id = fixture.parent.name
    expected = expected_pairs(fixture)
    if fixture.name.startswith("bad_"):
        assert expected, f"{fixture} is a bad fixture without any '# expect:' comment"
        assert any(rule == rule_id for _, rule in expected), f"{fixture} never expects {rule_id}"
    else:
        assert not expected, f"{fixture} is a good fixture but expects findings"
    ids = {rule_id} | {rule for _, rule in expected}
    assert actual_pairs(fixture, ids) == expected
