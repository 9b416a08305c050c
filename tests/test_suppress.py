"""Metadata suppressions: validated like the configuration (LL0005), applied only when valid,
and reported when they suppressed nothing (LL0010, opt-in)."""

from __future__ import annotations

import datetime
import json
import textwrap

from click.testing import CliRunner

from lambdalint.api import Linter
from lambdalint.cli import main
from lambdalint.config import Config
from lambdalint.findings import Severity
from repo_paths import FIXTURES

WORKER = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Metadata:
      lambdalint:
        ignore: {ignore}
    Properties:
      Runtime: python3.7
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code:
        ZipFile: "def handler(event, context): pass"
"""
RUNTIME_LINE = 9
IGNORE_LINE = 7


def lint(text: str, **config):
    config.setdefault("today", datetime.date(2026, 11, 23))
    return Linter(Config(**config)).lint_text(textwrap.dedent(text), "t.yaml")


def pairs(findings, *rules):
    return sorted((f.rule, f.line) for f in findings if not rules or f.rule in rules)


# -- LL0005: validated like the configuration ------------------------------------------------------


def test_an_unknown_rule_id_is_ll0005_at_its_line_with_the_closest_id():
    found = lint(WORKER.format(ignore="[LL2006, LL6100]"), select=("LL0005", "LL2006"))
    assert pairs(found) == [("LL0005", IGNORE_LINE)]
    assert found[0].message == "unknown rule 'LL6100' in Metadata lambdalint ignore (did you mean 'LL6010'?)"
    assert found[0].resource == "Worker"


def test_an_unknown_rule_id_is_skipped_while_the_known_ones_apply():
    assert pairs(lint(WORKER.format(ignore="[LL9999, LL2006]"), select=("LL0005", "LL2006"))) == [
        ("LL0005", IGNORE_LINE)]
    assert "did you mean" not in lint(WORKER.format(ignore="[LL9999]"), select=("LL0005",))[0].message


def test_a_string_instead_of_a_list_is_ll0005_and_suppresses_nothing():
    found = lint(WORKER.format(ignore="LL2006"), select=("LL0005", "LL2006"))
    assert pairs(found) == [("LL0005", IGNORE_LINE), ("LL2006", RUNTIME_LINE)]
    assert "nothing is ignored" in next(f.message for f in found if f.rule == "LL0005")


def test_ids_of_rules_from_a_rules_dir_are_known():
    rules_dir = str(FIXTURES / "rules" / "LL0007" / "rules")
    found = lint(WORKER.format(ignore="[XX9001]"), select=("LL0005",), rules_dirs=(rules_dir,))
    assert found == []


# -- LL0010: unused suppressions (opt-in) -----------------------------------------------------------

UNUSED = WORKER.format(ignore="[LL2006, LL2005]")


def test_unused_suppressions_are_opt_in():
    assert pairs(lint(UNUSED), "LL0010") == []
    assert pairs(lint(UNUSED, select=("LL", "LL0005")), "LL0010") == []


def test_an_entry_that_suppressed_nothing_is_reported_at_its_line_when_selected():
    found = lint(UNUSED, select=("LL", "LL0010"))
    unused = [f for f in found if f.rule == "LL0010"]
    assert [(f.line, f.resource, f.path) for f in unused] == [
        (IGNORE_LINE, "Worker", ("Resources", "Worker", "Metadata", "lambdalint", "ignore", 1))]
    assert "LL2005" in unused[0].message and "LL2006" not in unused[0].message
    assert pairs(lint(UNUSED, select=("ALL",)), "LL0010") == [("LL0010", IGNORE_LINE)]


def test_an_entry_whose_rules_did_not_all_run_is_not_judged():
    # LL2005 and LL2006 not selected: the entries could not have suppressed anything.
    assert pairs(lint(UNUSED, select=("LL0010",)), "LL0010") == []
    assert pairs(lint(UNUSED, select=("ALL",), ignore=("LL2005",)), "LL0010") == []
    # A prefix counts as run only when all its rules ran (no Lambda@Edge here: LL7 finds nothing).
    prefix = WORKER.format(ignore="[LL2006, LL7]")
    assert pairs(lint(prefix, select=("LL2", "LL0010")), "LL0010") == []
    assert pairs(lint(prefix, select=("ALL",)), "LL0010") == [("LL0010", IGNORE_LINE)]


def test_no_entry_is_judged_on_a_template_where_a_rule_failed():
    rules_dir = str(FIXTURES / "rules" / "LL0007" / "rules")
    found = lint(UNUSED, select=("ALL",), rules_dirs=(rules_dir,))
    assert "LL0007" in {f.rule for f in found}
    assert pairs(found, "LL0010") == []


def test_ll0010_can_be_silenced_by_metadata_config_and_severity():
    itself = WORKER.format(ignore="[LL2006, LL2005, LL0010]")
    assert pairs(lint(itself, select=("ALL",)), "LL0010") == []
    assert pairs(lint(UNUSED, select=("ALL",), ignore=("LL0010",)), "LL0010") == []
    raised = lint(UNUSED, select=("ALL",), severity={"LL0010": Severity.ERROR})
    assert [f.severity.label for f in raised if f.rule == "LL0010"] == ["error"]


def test_template_level_entries_are_judged_against_the_whole_file():
    text = WORKER.format(ignore="[LL2006]").replace(
        "Resources:\n", "Metadata:\n  lambdalint:\n    ignore: [LL2014, LL6001]\nResources:\n", 1)
    unused = [f for f in lint(text, select=("ALL",)) if f.rule == "LL0010"]
    assert [(f.line, f.resource, f.message.split(" suppressed")[0]) for f in unused] == [
        (4, None, "Metadata lambdalint ignore LL6001 of the template")]


def test_an_entry_in_a_loop_body_is_judged_per_resource_the_loop_makes():
    text = """\
    AWSTemplateFormatVersion: "2010-09-09"
    Transform: AWS::LanguageExtensions
    Resources:
      Fn::ForEach::Workers:
        - Name
        - [old, new]
        - ${Name}Worker:
            Type: AWS::Lambda::Function
            Metadata:
              lambdalint:
                ignore: [LL2006]
            Properties:
              Runtime: !FindInMap [Runtimes, !Ref Name, Value]
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/worker
              Code: {ZipFile: x}
    Mappings:
      Runtimes:
        old: {Value: python3.7}
        new: {Value: python3.13}
    """
    found = lint(text, select=("ALL",))
    assert pairs(found, "LL2006") == []
    assert [(f.line, f.resource) for f in found if f.rule == "LL0010"] == [(11, "newWorker")]


def test_explain_and_rules_know_the_unused_suppression_rule():
    runner = CliRunner()
    explained = runner.invoke(main, ["explain", "LL0010"])
    assert explained.exit_code == 0
    for heading in ("## What it does", "## Why is this bad?", "## Example"):
        assert heading in explained.output
    listed = runner.invoke(main, ["rules"])
    assert "LL0010" in listed.output


def test_check_with_the_default_rules_and_ll0010_from_the_command_line():
    fixture = str(FIXTURES / "rules" / "LL0010" / "bad_unused_suppression.yaml")
    result = CliRunner().invoke(main, ["check", "--select", "LL,LL0010", "--today", "2026-11-23",
                                       "--fail-level", "warning", "--format", "json", fixture])
    assert result.exit_code == 1
    unused = [(f["line"], f["resource"]) for f in json.loads(result.output)["findings"] if f["rule"] == "LL0010"]
    assert unused == [(5, None), (13, "Worker")]
