"""docs/cfn-lint.md: why `--` is needed, which plug-in findings cfn-lint already makes, and
that the documented switch drops one side (tools/cfn_lint_overlaps.py finds the pairs)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from lambdalint.cfn_ids import cfn_lint_id
from lambdalint.registry import load_registry
from repo_paths import FIXTURES, REPO

DOC = (REPO / "docs" / "cfn-lint.md").read_text(encoding="utf-8")
CFN_LINT = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
RESERVED_NAME = FIXTURES / "rules" / "LL2005" / "bad_env_names.yaml"


def load_tool():
    spec = importlib.util.spec_from_file_location("cfn_lint_overlaps", REPO / "tools" / "cfn_lint_overlaps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def match(rule_id, line, message="m", file="t.yaml", description=""):
    return {"Filename": file, "Location": {"Start": {"LineNumber": line, "ColumnNumber": 1}}, "Message": message,
            "Rule": {"Id": rule_id, "ShortDescription": description}}


def test_pairs_are_counted_per_lambdalint_finding_on_the_same_line():
    matches = [
        match("E9205", 4, "environment variable AWS_REGION is reserved by Lambda (lambdalint LL2005)"),
        match("E3663", 4, description="reserved names"),
        match("E3663", 4, description="reserved names"),  # cfn-lint twice on one line: still one pair
        match("E9205", 9, "variable 1X has an invalid name (lambdalint LL2005)"),
        match("E3663", 9, file="other.yaml", description="reserved names"),  # another file: no pair
        match("W3002", 12),  # no lambdalint finding on its line
    ]
    pairs, totals, descriptions = load_tool().overlaps(matches)
    assert pairs == {("LL2005", "E3663"): 1}
    assert totals == {"LL2005": 2}
    assert descriptions["E3663"] == "reserved names"


def test_markdown_table_puts_the_closest_twins_first():
    tool = load_tool()
    table = tool.markdown({("LL2005", "E3663"): 1, ("LL2007", "W2531"): 3, ("LL2005", "E3004"): 1},
                          {"LL2005": 3, "LL2007": 3}, {"W2531": "EOL runtimes"})
    rows = table.splitlines()[2:]
    assert rows == ["| LL2007 | W2531 | 3 | 3 | EOL runtimes |", "| LL2005 | E3004 | 1 | 3 |  |",
                    "| LL2005 | E3663 | 1 | 3 |  |"]


def twin_rows():
    block = DOC.split("<!-- docs-test: cfn-lint-twins -->\n", 1)[1].split("\n\n", 1)[0]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in block.splitlines()[2:]]


def cfn_lint_rule_ids():
    completed = subprocess.run([CFN_LINT, "--list-rules"], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return set(re.findall(r"^([EWI]\d{4}):", completed.stdout, flags=re.M))


@pytest.mark.slow
def test_documented_twins_name_real_rules_and_the_plug_in_ids_they_map_to():
    pytest.importorskip("cfnlint")
    rows = twin_rows()
    assert len(rows) >= 10
    registry = load_registry(())
    known = cfn_lint_rule_ids()
    for lambdalint_id, plugin_id, theirs, *_ in rows:
        rule = registry.get(lambdalint_id)
        assert rule is not None, lambdalint_id
        assert cfn_lint_id(lambdalint_id, rule.severity) == plugin_id
        for cfn_lint_rule in theirs.split(", "):
            assert cfn_lint_rule in known, f"{cfn_lint_rule} is not a cfn-lint rule"
    assert {"LL2005", "LL2006"} <= {row[0] for row in rows}  # the pairs the issue named


def run_cfn_lint(*arguments):
    return subprocess.run([CFN_LINT, *arguments], capture_output=True, text=True, timeout=300,
                          cwd=RESERVED_NAME.parent)


def reported(output):
    return re.findall(r"^([EWI]\d{4}) ", output, flags=re.M)


@pytest.mark.slow
def test_without_the_double_dash_the_template_is_taken_for_a_rules_module():
    pytest.importorskip("cfnlint")
    without = run_cfn_lint("--append-rules", "lambdalint.cfn_lint_plugin", RESERVED_NAME.name)
    assert without.returncode != 0
    assert "Tried to append rules but got an error: No module named 'bad_env_names'" in without.stderr
    with_dash = run_cfn_lint("--append-rules", "lambdalint.cfn_lint_plugin", "--", RESERVED_NAME.name)
    template_first = run_cfn_lint(RESERVED_NAME.name, "--append-rules", "lambdalint.cfn_lint_plugin")
    assert "E9205" in reported(with_dash.stdout)
    assert reported(template_first.stdout) == reported(with_dash.stdout)


@pytest.mark.slow
def test_ignore_checks_drops_one_side_of_a_twin():
    pytest.importorskip("cfnlint")
    both = reported(run_cfn_lint("--append-rules", "lambdalint.cfn_lint_plugin", "--", RESERVED_NAME.name).stdout)
    assert "E3663" in both and "E9205" in both
    plugin_off = reported(run_cfn_lint("--append-rules", "lambdalint.cfn_lint_plugin", "--ignore-checks", "E9205",
                                       "--", RESERVED_NAME.name).stdout)
    cfn_lint_off = reported(run_cfn_lint("--append-rules", "lambdalint.cfn_lint_plugin", "--ignore-checks", "E3663",
                                         "--", RESERVED_NAME.name).stdout)
    assert "E3663" in plugin_off and "E9205" not in plugin_off
    assert "E9205" in cfn_lint_off and "E3663" not in cfn_lint_off


@pytest.mark.slow
def test_the_tool_finds_the_reserved_name_twin_on_its_fixture():
    pytest.importorskip("cfnlint")
    tool = load_tool()
    pairs, totals, _ = tool.overlaps(tool.cfn_lint_matches([str(RESERVED_NAME.relative_to(REPO))]))
    assert pairs[("LL2005", "E3663")] >= 1
    assert totals["LL2005"] >= pairs[("LL2005", "E3663")]
