"""Naming rules: patterns in any letter case, close-match suggestions, `explain` by name or cfn-lint ID,
and what a third-party rule is credited with."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_support import run
from lambdalint.cfn_ids import cfn_lint_id
from lambdalint.config import is_known_pattern
from lambdalint.registry import DOCS_URL, load_registry
from sample_templates import TIMEOUT_TEMPLATE  # --select LL2002: one error on line 13

REGISTRY = load_registry()
IDS = [rule.id for rule in REGISTRY]


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(TIMEOUT_TEMPLATE, encoding="utf-8")
    return tmp_path


def rules_in(output: str):
    return sorted({line.split(": ")[1].split()[0] for line in output.splitlines() if ": LL" in line})


# -- letter case ---------------------------------------------------------------------------------


@pytest.mark.parametrize("select", ["ll2002", "Ll2002", "ll20", "LL2002"])
def test_select_in_any_case(cwd, select):
    result = run("check", "t.yaml", "--select", select, "--ignore", "ll2005,LL0")
    assert result.exit_code == 1, result.output
    assert rules_in(result.stdout) == ["LL2002"]


def test_select_all_in_lower_case_enables_opt_in_rules(cwd):
    everything = run("check", "t.yaml", "--select", "all", "-f", "json")
    assert everything.exit_code == 1, everything.output
    found = {item["rule"] for item in json.loads(everything.stdout)["findings"]}
    assert found == {item["rule"] for item in json.loads(run("check", "t.yaml", "--select", "ALL", "-f",
                                                               "json").stdout)["findings"]}
    assert any(REGISTRY[rule_id].opt_in for rule_id in found)


def test_config_patterns_in_any_case(cwd):
    (cwd / ".lambdalint.yaml").write_text("select: [ll2]\nignore: [ll2005]\nseverity:\n  ll2002: warning\n",
                                          encoding="utf-8")
    result = run("check", "t.yaml", "--fail-level", "warning")
    assert result.exit_code == 1, result.output
    assert [line.split(": ")[1] for line in result.stdout.splitlines() if ": LL" in line] == ["LL2002 warning"]


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(IDS), st.integers(2, 6), st.sampled_from([str.lower, str.upper, str.swapcase]))
def test_a_prefix_is_known_in_any_case(rule_id, length, case):
    assert is_known_pattern(case(rule_id[:length]), IDS)


# -- unknown patterns --------------------------------------------------------------------------


def test_unknown_select_suggests_the_close_id(cwd):
    result = run("check", "t.yaml", "--select", "LL60001")
    assert result.exit_code == 2
    assert result.stderr == ("<command line>:1:1: LL0005 error: unknown rule 'LL60001' in --select "
                             "(did you mean LL6001?)\n")


def test_unknown_ignore_names_the_option_and_suggests_nothing_far(cwd):
    result = run("check", "t.yaml", "--ignore", "LL2,XYZ")
    assert result.exit_code == 2
    assert result.stderr == "<command line>:1:1: LL0005 error: unknown rule 'XYZ' in --ignore\n"


def test_unknown_config_pattern_suggests_the_close_id(cwd):
    (cwd / ".lambdalint.yaml").write_text("ignore:\n  - ll60001\n", encoding="utf-8")
    result = run("check", "t.yaml")
    assert result.exit_code == 2
    assert result.stderr == ".lambdalint.yaml:2:5: LL0005 error: unknown rule 'll60001' in ignore (did you mean LL6001?)\n"


# -- explain -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["LL6001", "ll6001", "sqs-visibility-below-timeout", "SQS-Visibility-Below-Timeout",
                                  "E9601", "e9601"])
def test_explain_by_id_name_or_cfn_lint_id(cwd, name):
    result = run("explain", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("LL6001 sqs-visibility-below-timeout (error)\n")


def test_every_rule_is_explained_by_its_cfn_lint_id_and_name(cwd):
    for rule in REGISTRY:
        cfn_id = cfn_lint_id(rule.id, rule.severity)
        for name in [rule.name] + ([cfn_id] if cfn_id else []):
            result = run("explain", name)
            assert result.stdout.split(" ")[0] == rule.id, name


@pytest.mark.parametrize("typo, suggestion", [
    ("LL60001", "LL6001"),
    ("sqs-visibility-timeout", "sqs-visibility-below-timeout"),
    ("E96001", "E9601"),
])
def test_explain_unknown_suggests_the_close_name(cwd, typo, suggestion):
    result = run("explain", typo)
    assert result.exit_code == 2
    assert f"unknown rule {typo!r} (did you mean {suggestion}? see `lambdalint rules`)" in result.stderr


def test_explain_unknown_and_far_from_everything(cwd):
    result = run("explain", "zzzz")
    assert result.exit_code == 2
    assert "unknown rule 'zzzz' (see `lambdalint rules`)" in result.stderr


# -- third-party rules get only what they declare ------------------------------------------------

PACK_RULE = '''
from lambdalint.findings import Hit, Severity
from lambdalint.registry import rule

@rule(id="ACME0001", name="acme-every-function", severity=Severity.WARNING, summary="Every function",
      source="{source}"{url})
def check(model):
    """## What it does\\nReports every function.\\n## Why is this bad?\\nIt is a test.\\n## Example\\nx"""
    for function in model.functions:
        yield Hit(function.path(), "acme says hi")
'''


def pack_rule(source: str = "https://acme.example/why", url: str = "") -> str:
    return PACK_RULE.format(source=source, url=f', url="{url}"' if url else "")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A distribution on sys.path the way pip leaves it (tests/test_rule_packs.py does the same)."""
    root = tmp_path / "site"
    monkeypatch.syspath_prepend(str(root))
    before = set(sys.modules)

    def install(text: str) -> None:
        (root / "acme_rules").mkdir(parents=True)
        (root / "acme_rules" / "__init__.py").write_text(textwrap.dedent(text), encoding="utf-8")
        info = root / "acme_rules-1.0.dist-info"
        info.mkdir()
        (info / "entry_points.txt").write_text("[lambdalint.rules]\nacme = acme_rules\n", encoding="utf-8")

    yield install
    for name in set(sys.modules) - before:
        del sys.modules[name]


def sarif_descriptor(rule_id: str, *args: str) -> dict:
    result = run("check", "t.yaml", "--select", rule_id, "-f", "sarif", *args)
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    return next(item for item in rules if item["id"] == rule_id)


def test_an_entry_point_rule_without_a_url_has_no_help_uri(cwd, site):
    site(pack_rule())
    descriptor = sarif_descriptor("ACME0001")
    assert "helpUri" not in descriptor
    assert descriptor["properties"]["source"] == "https://acme.example/why"
    explained = run("explain", "ACME0001").stdout
    assert "AWS source" not in explained
    assert explained.rstrip("\n").splitlines()[-2:] == ["From: acme-rules", "Source: https://acme.example/why"]
    assert sarif_descriptor("LL2002")["helpUri"] == f"{DOCS_URL}#ll2002"  # lambdalint's own keep theirs


def test_an_entry_point_rule_with_its_own_url(cwd, site):
    site(pack_rule(url="https://acme.example/rules/acme0001"))
    assert sarif_descriptor("ACME0001")["helpUri"] == "https://acme.example/rules/acme0001"
    assert run("explain", "acme-every-function").stdout.rstrip("\n").splitlines()[-1] == (
        "Docs: https://acme.example/rules/acme0001")


def test_a_rules_dir_rule_is_credited_to_its_folder(cwd):
    (cwd / "local").mkdir()
    (cwd / "local" / "acme.py").write_text(textwrap.dedent(pack_rule(source="")), encoding="utf-8")
    descriptor = sarif_descriptor("ACME0001", "--rules-dir", "local")
    assert "helpUri" not in descriptor and "source" not in descriptor["properties"]
    explained = run("explain", "ACME0001", "--rules-dir", "local").stdout
    assert "AWS source" not in explained and "Source:" not in explained
    assert explained.rstrip("\n").splitlines()[-1] == "From: --rules-dir local"
    junit = run("check", "t.yaml", "--select", "ACME0001", "--rules-dir", "local", "-f", "junit").stdout
    assert "acme says hi" in junit and DOCS_URL not in junit


def test_lambdalint_rules_keep_their_docs_and_aws_source():
    for rule in REGISTRY:
        assert not rule.third_party, rule.id
        assert rule.help_uri == f"{DOCS_URL}#{rule.id.lower()}"
    explained = run("explain", "LL6001").stdout
    assert explained.rstrip("\n").splitlines()[-1] == f"AWS source: {REGISTRY['LL6001'].source}"


def test_metadata_ignores_in_any_case(cwd):
    template = TIMEOUT_TEMPLATE.replace("    Type: AWS::Lambda::Function\n",
                                        "    Type: AWS::Lambda::Function\n"
                                        "    Metadata:\n      lambdalint:\n        ignore: [ll2002]\n")
    (cwd / "t.yaml").write_text(template, encoding="utf-8")
    result = run("check", "t.yaml", "--select", "LL0005,LL2002")
    assert result.exit_code == 0, result.output
    assert rules_in(result.stdout) == []
