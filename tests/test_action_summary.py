"""The job summary the GitHub Action writes: python -m lambdalint.action_summary REPORT.sarif."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from lambdalint import action_summary
from lambdalint.action_summary import line_link, markdown_text, render
from lambdalint.cli import main
from repo_paths import REPO

GITHUB = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/infra", "GITHUB_SHA": "f00d"}


def result(rule="LL0002", level="error", uri="t.yaml", line=3, message="m"):
    region = {"startLine": line} if line else None
    physical = {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
    if region:
        physical["region"] = region
    return {"ruleId": rule, "level": level, "message": {"text": message}, "locations": [{"physicalLocation": physical}]}


def sarif(*results, rules=()):
    return {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "lambdalint", "rules": list(rules)}},
                                          "results": list(results)}]}


def table(summary, header):
    """The rows of the markdown table whose header row is `header`, as lists of cells."""
    lines = summary.splitlines()
    start = lines.index(header) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_summary_of_the_bundled_example_counts_every_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    report = tmp_path / "example.sarif"
    CliRunner().invoke(main, ["check", "examples/sam-app/template.yaml", "--today", "2026-11-23",
                              "--format", "sarif", "--output", str(report)])
    document = json.loads(report.read_text())
    summary = render(document, GITHUB)
    levels = [r["level"] for r in document["runs"][0]["results"]]
    severity_rows = table(summary, "| severity | findings |")
    expected = [[label, str(levels.count(level))] for level, label in (("error", "error"), ("warning", "warning"),
                                                                        ("note", "info")) if level in levels]
    assert severity_rows == expected
    rule_rows = table(summary, "| rule | severity | findings | summary |")
    counted = {re.match(r"\[(\w+)\]", row[0]).group(1): int(row[2]) for row in rule_rows}
    ids = [r["ruleId"] for r in document["runs"][0]["results"]]
    assert counted == {rule: ids.count(rule) for rule in ids}
    finding_rows = table(summary, "| severity | rule | where | message |")
    assert len(finding_rows) == len(ids)  # 8 findings, under the limit: all listed
    assert "[examples/sam-app/template.yaml:42](https://github.com/acme/infra/blob/f00d/examples/sam-app/template.yaml#L42)" \
        in summary


def test_findings_are_listed_most_severe_first_up_to_the_limit():
    document = sarif(result("LL8002", "note", "a.yaml", 1), result("LL6012", "warning", "b.yaml", 9),
                     result("LL6001", "error", "c.yaml", 5), result("LL2005", "error", "a.yaml", 7))
    summary = render(document, {}, limit=3)
    rows = table(summary, "| severity | rule | where | message |")
    assert [(row[0], row[1], row[2]) for row in rows] == [
        ("error", "LL2005", "a.yaml:7"), ("error", "LL6001", "c.yaml:5"), ("warning", "LL6012", "b.yaml:9")]
    assert "### The 3 most severe of 4 findings" in summary
    assert "And 1 more, not listed here." in summary
    assert "**2 errors, 1 warning, 1 info**" in summary


def test_rules_table_puts_error_rules_first_then_by_count():
    document = sarif(result("LL8002", "note"), result("LL8002", "note"), result("LL6012", "warning"),
                     result("LL0003", "warning"), result("LL0003", "warning"), result("LL6001", "error"))
    rows = table(render(document, {}), "| rule | severity | findings | summary |")
    assert [(row[0], row[1], row[2]) for row in rows] == [
        ("LL6001", "error", "1"), ("LL0003", "warning", "2"), ("LL6012", "warning", "1"), ("LL8002", "info", "2")]


def test_a_rule_downgraded_for_one_finding_shows_both_severities():
    rows = table(render(sarif(result("LL2006", "error"), result("LL2006", "warning")), {}),
                 "| rule | severity | findings | summary |")
    assert rows[0][:3] == ["LL2006", "error, warning", "2"]


def test_no_findings():
    assert render(sarif(), GITHUB) == "## lambdalint\n\nNo findings.\n"


@pytest.mark.parametrize("uri, line, expected", [
    ("infra/template.yaml", 12, "https://github.com/acme/infra/blob/f00d/infra/template.yaml#L12"),
    ("infra/my%20template.yaml", 0, "https://github.com/acme/infra/blob/f00d/infra/my%20template.yaml"),
    ("../outside/template.yaml", 3, None),  # not in the repository
    ("file:///tmp/template.yaml", 3, None),
])
def test_links_point_at_the_checked_commit_for_files_in_the_workspace(uri, line, expected):
    assert line_link(uri, line, GITHUB) == expected


def test_without_the_runner_variables_locations_are_plain_text():
    rows = table(render(sarif(result(uri="infra/t.yaml", line=4)), {}), "| severity | rule | where | message |")
    assert rows[0][2] == "infra/t.yaml:4"
    assert line_link("infra/t.yaml", 4, {"GITHUB_REPOSITORY": "acme/infra"}) is None


def test_messages_cannot_break_the_table_or_add_markup():
    message = "a | b\nline two <script> **bold** [x](https://evil) ${AWS::Region} `code`"
    rows = table(render(sarif(result(message=message)), {}), "| severity | rule | where | message |")
    assert len(rows) == 1 and len(rows[0]) == 4
    cell = rows[0][3]
    assert "\n" not in cell
    assert re.sub(r"\\(.)", r"\1", cell) == message.replace("\n", " ")  # every special character escaped


@given(st.text())
def test_markdown_text_is_one_line_and_unescapes_to_the_text(text):
    escaped = markdown_text(text)
    assert "\n" not in escaped and "\r" not in escaped
    # no markdown character stands unescaped
    unescaped = re.sub(r"\\(.)", "", escaped)
    assert not set(unescaped) & set("\\`*_[]<>|~&$")


def test_a_hand_edited_report_with_odd_shapes_still_summarises():
    document = {"runs": [{"results": [{"ruleId": "X1", "locations": "nowhere", "message": "not an object"},
                                      "not a result", {"level": "note", "locations": [{"physicalLocation": []}]}]},
                         "not a run"]}
    summary = render(document, GITHUB)
    assert "**0 errors, 1 warning, 1 info**" in summary  # a result without a level is a SARIF warning


@pytest.mark.parametrize("content, problem", [
    (None, "cannot read"),
    ("{not json", "is not JSON"),
    ('{"version": "2.1.0"}', "is not a SARIF report"),
    ("[1, 2]", "is not a SARIF report"),
])
def test_unreadable_report_is_one_line_and_exit_2(tmp_path, content, problem):
    report = tmp_path / "report.sarif"
    if content is not None:
        report.write_text(content)
    completed = subprocess.run([sys.executable, "-m", "lambdalint.action_summary", str(report)],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lambdalint: no job summary: ") and problem in lines[0]


def test_limit_option(tmp_path, capsys):
    report = tmp_path / "r.sarif"
    report.write_text(json.dumps(sarif(*(result(line=n) for n in range(1, 6)))))
    assert action_summary.main([str(report), "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert len(table(out, "| severity | rule | where | message |")) == 2
