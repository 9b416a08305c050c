"""Fuzzing the whole pipeline (load -> model -> every rule -> findings) with CloudFormation-shaped junk.

The property: `Linter(select=ALL).lint_text` returns findings, never raises, and no
rule reports LL0007 (a rule that raised). Derandomized and bounded so CI is
deterministic and takes a few seconds; tools/fuzz_campaign.py runs the same
strategies for minutes.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_cfn
from lambdalint.api import Linter
from lambdalint.config import Config

CI = settings(derandomize=True, deadline=None, database=None, max_examples=150,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_LINTER = Linter(Config(select=("ALL",), today=datetime.date(2026, 11, 23)))


def assert_lints_cleanly(text: str, name: str, linter: Linter = _LINTER, base_dir=None) -> list:
    findings = linter.lint_text(text, name, base_dir=base_dir)
    internal = [f"{f.rule} {f.message} [{f.resource}]" for f in findings if f.rule == "LL0007"]
    assert internal == [], text[:2000]
    for finding in findings:
        assert finding.line >= 1 and finding.column >= 1
        assert isinstance(finding.message, str) and finding.message
    return findings


@pytest.mark.slow
@CI
@given(fuzz_cfn.templates)
def test_fuzzed_json_templates_never_crash_a_rule(template):
    assert_lints_cleanly(fuzz_cfn.to_json(template), "fuzz.json")


@pytest.mark.slow
@CI
@given(fuzz_cfn.templates, st.booleans())
def test_fuzzed_yaml_templates_never_crash_a_rule(template, short_tags):
    assert_lints_cleanly(fuzz_cfn.to_yaml(template, short_tags), "fuzz.yaml")


@pytest.mark.slow
@settings(CI, max_examples=100)
@given(fuzz_cfn.templates)
def test_fuzzed_sam_templates_never_crash_a_rule(template):
    """With the SAM transform every resource also goes through Globals merging and SAM expansion."""
    template = dict(template, Transform=fuzz_cfn.SAM_TRANSFORM)
    resources = template.get("Resources")
    if isinstance(resources, dict):
        template["Resources"] = {
            logical_id: dict(body, Type="AWS::Serverless::Function") if isinstance(body, dict) and index % 2 == 0
            else body
            for index, (logical_id, body) in enumerate(resources.items())
        }
    assert_lints_cleanly(fuzz_cfn.to_json(template), "fuzz-sam.json")


# -- regressions the fuzzer found -------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    '{"Resources": {}, "Big": ' + "9" * 5000 + "}",
    '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": -' + "1" * 4400 + "}}}}",
])
def test_json_integer_beyond_pythons_digit_limit_is_a_parse_finding(text):
    findings = assert_lints_cleanly(text, "big.json")
    assert [(f.rule, f.line) for f in findings] == [("LL0001", 1)]
    assert "digits" in findings[0].message


@pytest.mark.slow
@settings(CI, max_examples=400)
@given(fuzz_cfn.mutated_fixtures(), st.sampled_from(["json", "yaml", "yaml-short"]))
def test_mutated_rule_fixtures_never_crash_a_rule(template, form):
    """Every rule fixture, a few subtrees replaced by wrong types, intrinsics, nulls, NaN and depth."""
    if form == "json":
        text = fuzz_cfn.to_json(template)
    else:
        text = fuzz_cfn.to_yaml(template, short_tags=form == "yaml-short")
    assert_lints_cleanly(text, f"mutant.{form[:4]}")
