"""Every Terraform fixture of a rule gives exactly the findings its comments expect.

A fixture is a root module: `fixtures/terraform/<RULE>/bad_<case>/` carries
`# expect: RULE[, RULE] [address]` comments on each line of its `.tf` / `.tfvars` files
where a finding must land, naming the block the finding is about as Terraform prints it
(no `[address]` for a finding about no block: LL0001, a file that does not parse);
`good_<case>/` carries none. As for the CloudFormation fixtures (tests/fixture_runner.py),
only the findings of the fixture's rule and of the rules its comments name are compared.

Packages nobody may commit (zips, ELF headers, images, file modes git does not keep) come
from a `build.py` in the rule's folder, beside its case folders, as for the CloudFormation
fixtures: `build(folder)` writes them into a temporary copy of the rule's folder (so into
`folder / "bad_<case>" / ...`) and may return extra `Config` options (`{"images":
{"aws_lambda_function.fn": "image.oci"}}`, a relative image path found from the case folder).
Line numbers are the fixture's own.
A `rules/` folder beside the case folders holds local rules the cases run with (`--rules-dir`).
"""

from __future__ import annotations

import os
import re

import pytest

from fixture_runner import FIXTURE_TODAY, built_fixture
from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.frontends.terraform.files import names_module
from lambdalint.registry import load_registry
from lambdalint.rule_inputs import runs_on_terraform
from repo_paths import FIXTURES

TERRAFORM_FIXTURES = FIXTURES / "terraform"
CASES = sorted(path for path in TERRAFORM_FIXTURES.glob("LL*/*")
               if path.is_dir() and path.name.startswith(("bad_", "good_")))
LOCAL_RULES = "rules"  # a rule's folder may hold local rules (*.py) its cases run with, as --rules-dir
EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9][A-Z0-9, ]*?)\s*(?:\[(.+)\]\s*$|$)")  # an address may hold [0] or ["key"]


def expected_findings(case):
    found = set()
    for folder, _, names in os.walk(case):
        for name in sorted(names):
            if not names_module(name):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    match = EXPECT.search(line)
                    if match:
                        rules, address = match.groups()
                        address = address.strip() if address is not None else None
                        found.update((os.path.relpath(path, case), number, rule.strip(), address)
                                     for rule in rules.split(",") if rule.strip())
    return found


def actual_findings(case, rule_ids):
    rules_dir = case.parent / LOCAL_RULES
    local = {"rules_dirs": (str(rules_dir),)} if rules_dir.is_dir() else {}
    with built_fixture(case) as (target, extra):
        report = Linter(Config(select=("ALL",), today=FIXTURE_TODAY, **local, **extra)).lint_paths([str(target)])
        return {(os.path.relpath(os.path.abspath(f.file), target), f.line, f.rule, f.shown_name)
                for f in report.findings if f.rule in rule_ids}, report


@pytest.mark.parametrize("case", CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_terraform_fixture_findings_match_expectations(case):
    rule_id = case.parent.name
    expected = expected_findings(case)
    if case.name.startswith("bad_"):
        assert any(rule == rule_id for _, _, rule, _ in expected), f"{case} never expects {rule_id}"
    else:
        assert not expected, f"{case} is a good fixture but expects findings"
    found, report = actual_findings(case, {rule_id} | {rule for _, _, rule, _ in expected} | {"LL0001", "LL0007"})
    assert found == expected
    assert report.files == 1


def test_every_rule_with_terraform_fixtures_runs_on_terraform_and_has_both_kinds():
    rules = {rule.id for rule in load_registry()}
    for folder in sorted(path for path in TERRAFORM_FIXTURES.glob("LL*") if path.is_dir()):
        assert folder.name in rules and runs_on_terraform(folder.name), folder.name
        kinds = {case.name.split("_", 1)[0] for case in folder.iterdir()
                 if case.is_dir() and case.name not in ("__pycache__", LOCAL_RULES)}  # __pycache__: a build.py's
        assert kinds == {"bad", "good"}, folder.name
