"""Every registered rule is documented, sourced and has bad and good fixtures."""

from __future__ import annotations

import re

import pytest

from repo_paths import FIXTURES
from lambdalint.registry import DOC_HEADINGS, RULE_ID_PATTERN, load_registry

REGISTRY = load_registry()
RULES = list(REGISTRY)


def test_builtin_rules_are_found_through_the_entry_point():
    from lambdalint.registry import _entry_points

    assert any(point.value == "lambdalint_rules" for point in _entry_points())
    assert len(RULES) >= 7


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule):
    assert re.match(RULE_ID_PATTERN, rule.id)
    assert re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", rule.name), rule.name
    assert rule.summary and not rule.summary.endswith(".")
    assert rule.source.startswith("https://")
    for heading in DOC_HEADINGS:
        assert heading in rule.docs, f"{rule.id} docs lack {heading!r}"
    assert "```" in rule.docs, f"{rule.id} docs have no example"


def test_ids_and_names_are_unique():
    assert len({r.id for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_bad_and_good_fixtures(rule):
    folder = FIXTURES / "rules" / rule.id
    assert list(folder.glob("bad_*")), f"no bad fixture in {folder}"
    assert list(folder.glob("good_*")), f"no good fixture in {folder}"
